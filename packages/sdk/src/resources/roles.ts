import type { Role, RoleList, RoleRegisterInput } from '@octopoid/api';
import type { Transport } from '../transport.js';

/** Roles of the client's scope: which kinds of work its tasks and claims may name. */
export class RolesResource {
  constructor(private readonly transport: Transport) {}

  /** Creates or replaces the roles for a registered orchestrator; resolves to its roles. */
  async register(body: RoleRegisterInput): Promise<Role[]> {
    return (await this.transport.request<RoleList>('POST', '/api/v1/roles/register', { body }))
      .roles;
  }

  /** Every role of the scope, by name. */
  async list(): Promise<Role[]> {
    return (await this.transport.request<RoleList>('GET', '/api/v1/roles')).roles;
  }

  /** The role, or `null` when the scope has no role of that name. */
  get(name: string): Promise<Role | null> {
    return this.transport.request('GET', `/api/v1/roles/${encodeURIComponent(name)}`, {
      nullOn: [404],
    });
  }
}
