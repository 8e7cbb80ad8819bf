import type {
  ApiKeyRotated,
  HeartbeatRecorded,
  Orchestrator,
  OrchestratorList,
  OrchestratorRegistered,
  OrchestratorRegisterInput,
  OrchestratorStatus,
} from '@octopoid/api';
import type { Transport } from '../transport.js';

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
  register(body: OrchestratorRegisterInput): Promise<OrchestratorRegistered> {
    return this.transport.request('POST', '/api/v1/orchestrators/register', { body });
  }

  heartbeat(id: string): Promise<HeartbeatRecorded> {
    return this.transport.request('POST', path(id, '/heartbeat'));
  }

  /** The scope's orchestrators, most recent heartbeat first. */
  async list(filters: OrchestratorListFilters = {}): Promise<Orchestrator[]> {
    const page = await this.transport.request<OrchestratorList>('GET', '/api/v1/orchestrators', {
      query: { ...filters },
    });
    return page.orchestrators;
  }

  /** The orchestrator, or `null` when the scope has none with that id. */
  get(id: string): Promise<Orchestrator | null> {
    return this.transport.request('GET', path(id), { nullOn: [404] });
  }

  setStatus(id: string, status: OrchestratorStatus): Promise<Orchestrator> {
    return this.transport.request('PATCH', path(id), { body: { status } });
  }

  /** Replaces the scope's API key (this client must hold the current one); the old one dies. */
  rotateKey(): Promise<ApiKeyRotated> {
    const scope = this.transport.scope;
    if (scope === undefined) throw new TypeError('rotateKey needs a client bound to a scope');
    return this.transport.request(
      'POST',
      `/api/v1/orchestrators/scopes/${encodeURIComponent(scope)}/rotate-key`,
    );
  }
}
