import type {
  Role,
  RoleList,
  RoleListQuery,
  RoleRegisterInput,
  RolesRegistered,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/**
 * Paging of `GET /roles`, derived from the server's query schema: `limit` (1–500, default 500)
 * and `offset`. The transport adds the client's scope.
 */
export type RoleListPage = Partial<Omit<RoleListQuery, 'scope'>>;

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

  /**
   * One page of the scope's roles, by name, with `total` (every role), `offset` and `limit`; the
   * next page starts at `offset + limit`.
   */
  page(page: RoleListPage = {}, options?: CallOptions): Promise<RoleList> {
    return this.transport.request('GET', '/api/v1/roles', {
      signal: options?.signal,
      query: { ...page },
    });
  }

  /** The scope's roles, by name: every one up to 500 (the server's first page; see `page`). */
  async list(options?: CallOptions): Promise<Role[]> {
    return (await this.page({}, options)).roles;
  }

  /** The role, or `null` when the scope has no role of that name. */
  get(name: string, options?: CallOptions): Promise<Role | null> {
    return this.transport.request('GET', `/api/v1/roles/${encodeURIComponent(name)}`, {
      signal: options?.signal,
      nullOn: [404],
    });
  }
}
