import type { Flow, FlowDeleted, FlowList, FlowRegisterInput } from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

const path = (name: string) => `/api/v1/flows/${encodeURIComponent(name)}`;

/** Flows of the client's scope: the queues its tasks may use and the moves between them. */
export class FlowsResource {
  constructor(private readonly transport: Transport) {}

  /** The scope's flows, by name: every one up to 500 (the server's first page). */
  async list(options?: CallOptions): Promise<Flow[]> {
    return (
      await this.transport.request<FlowList>('GET', '/api/v1/flows', { signal: options?.signal })
    ).flows;
  }

  /** The flow, or `null` when the scope has no flow of that name. */
  get(name: string, options?: CallOptions): Promise<Flow | null> {
    return this.transport.request('GET', path(name), { signal: options?.signal, nullOn: [404] });
  }

  /** Registers the flow, or replaces its definition (keeping `registered_at`). */
  register(name: string, body: FlowRegisterInput, options?: CallOptions): Promise<Flow> {
    return this.transport.request('PUT', path(name), { signal: options?.signal, body });
  }

  delete(name: string, options?: CallOptions): Promise<FlowDeleted> {
    return this.transport.request('DELETE', path(name), {
      signal: options?.signal,
      alreadyDeleted: () => ({
        message: `flow ${name} deleted`,
        name,
        scope: this.transport.scope,
      }),
    });
  }
}
