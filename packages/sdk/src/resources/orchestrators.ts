import type {
  ApiKeyRotated,
  HeartbeatRecorded,
  Orchestrator,
  OrchestratorList,
  OrchestratorListQuery,
  OrchestratorRegistered,
  OrchestratorRegisterInput,
  OrchestratorStatus,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

/**
 * Filters and paging of `GET /orchestrators`, derived from the server's query schema: `limit`
 * (1–500, default 500) and `offset` page on. The transport adds the client's scope; `status`
 * takes one status or several (sent comma-separated).
 */
export interface OrchestratorListFilters
  extends Partial<Omit<OrchestratorListQuery, 'scope' | 'status'>> {
  status?: OrchestratorStatus | readonly OrchestratorStatus[];
}

const path = (id: string, suffix = '') =>
  `/api/v1/orchestrators/${encodeURIComponent(id)}${suffix}`;

/** Orchestrators of the client's scope, and the scope's API key. */
export class OrchestratorsResource {
  constructor(private readonly transport: Transport) {}

  /**
   * Registers `<cluster>-<machine_id>` (again). The scope's first registration answers with the
   * scope's API key in `api_key`; keep it and build a keyed client with `withApiKey`.
   */
  register(
    body: OrchestratorRegisterInput,
    options?: CallOptions,
  ): Promise<OrchestratorRegistered> {
    return this.transport.request('POST', '/api/v1/orchestrators/register', {
      signal: options?.signal,
      body,
    });
  }

  heartbeat(id: string, options?: CallOptions): Promise<HeartbeatRecorded> {
    return this.transport.request('POST', path(id, '/heartbeat'), { signal: options?.signal });
  }

  /**
   * One page of the scope's orchestrators, most recent heartbeat first, with `total` (every
   * matching one), `offset` and `limit`; the next page starts at `offset + limit`.
   */
  page(filters: OrchestratorListFilters = {}, options?: CallOptions): Promise<OrchestratorList> {
    return this.transport.request('GET', '/api/v1/orchestrators', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  /**
   * The orchestrators of one page, without the paging envelope: every matching one up to 500
   * unless `limit`/`offset` say otherwise.
   */
  async list(
    filters: OrchestratorListFilters = {},
    options?: CallOptions,
  ): Promise<Orchestrator[]> {
    return (await this.page(filters, options)).orchestrators;
  }

  /** The orchestrator, or `null` when the scope has none with that id. */
  get(id: string, options?: CallOptions): Promise<Orchestrator | null> {
    return this.transport.request('GET', path(id), { signal: options?.signal, nullOn: [404] });
  }

  setStatus(id: string, status: OrchestratorStatus, options?: CallOptions): Promise<Orchestrator> {
    return this.transport.request('PATCH', path(id), { signal: options?.signal, body: { status } });
  }

  /** Replaces the scope's API key (this client must hold the current one); the old one dies. */
  rotateKey(options?: CallOptions): Promise<ApiKeyRotated> {
    const scope = this.transport.scope;
    if (scope === undefined) throw new TypeError('rotateKey needs a client bound to a scope');
    return this.transport.request(
      'POST',
      `/api/v1/orchestrators/scopes/${encodeURIComponent(scope)}/rotate-key`,
      { signal: options?.signal },
    );
  }
}
