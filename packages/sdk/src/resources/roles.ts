import type { Role, RoleList, RoleRegisterInput, RolesRegistered } from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/** Roles of the client's scope: which kinds of work its tasks and claims may name. */
export class RolesResource {
  constructor(private readonly transport: Transport) {}

  /** Creates or replaces the roles for a registered orchestrator; resolves to its roles. */
  async register(body: RoleRegisterInput, options?: CallOptions): Promise<Role[]> {
    return (
      await this.transport.request<RolesRegistered>('POST', '/api/v1/roles/register', {
        signal: options?.signal,
        body,
      })
    ).roles;
  }

  /** The scope's roles, by name: every one up to 500 (the server's first page). */
  async list(options?: CallOptions): Promise<Role[]> {
    return (
      await this.transport.request<RoleList>('GET', '/api/v1/roles', { signal: options?.signal })
    ).roles;
  }

  /** The role, or `null` when the scope has no role of that name. */
  get(name: string, options?: CallOptions): Promise<Role | null> {
    return this.transport.request('GET', `/api/v1/roles/${encodeURIComponent(name)}`, {
      signal: options?.signal,
      nullOn: [404],
    });
  }
}
