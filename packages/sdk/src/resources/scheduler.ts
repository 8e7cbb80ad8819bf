import type { SchedulerPoll } from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

export class SchedulerResource {
  constructor(private readonly transport: Transport) {}

  /** The scope's queue counts, review work, flows, and whether the orchestrator is registered. */
  poll(orchestratorId?: string, options?: CallOptions): Promise<SchedulerPoll> {
    return this.transport.request('GET', '/api/v1/scheduler/poll', {
      signal: options?.signal,
      query: { orchestrator_id: orchestratorId },
    });
  }
}
