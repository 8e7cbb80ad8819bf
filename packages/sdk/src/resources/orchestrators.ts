import type {
  ApiKeyRotated,
  HeartbeatRecorded,
  Orchestrator,
  OrchestratorList,
  OrchestratorRegistered,
  OrchestratorRegisterInput,
  OrchestratorStatus,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

export interface OrchestratorListFilters {
  cluster?: string;
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

  /** The scope's orchestrators, most recent heartbeat first: up to 500 (the server's first page). */
  async list(
    filters: OrchestratorListFilters = {},
    options?: CallOptions,
  ): Promise<Orchestrator[]> {
    const page = await this.transport.request<OrchestratorList>('GET', '/api/v1/orchestrators', {
      signal: options?.signal,
      query: { ...filters },
    });
    return page.orchestrators;
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
