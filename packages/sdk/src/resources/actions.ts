import type {
  Action,
  ActionCreateInput,
  ActionList,
  ActionOutcomeInput,
  ActionPatchInput,
  ActionStatus,
} from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

export interface ActionListFilters {
  entity_type?: string;
  entity_id?: string;
  status?: ActionStatus;
  limit?: number;
  offset?: number;
}

const path = (id: string, suffix = '') => `/api/v1/actions/${encodeURIComponent(id)}${suffix}`;

export class ActionsResource {
  constructor(private readonly transport: Transport) {}

  create(body: ActionCreateInput, options?: CallOptions): Promise<Action> {
    return this.transport.request('POST', '/api/v1/actions', { signal: options?.signal, body });
  }

  /** One page of the scope's unexpired actions, newest first, with its total. */
  page(filters: ActionListFilters = {}, options?: CallOptions): Promise<ActionList> {
    return this.transport.request('GET', '/api/v1/actions', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  async list(filters: ActionListFilters = {}, options?: CallOptions): Promise<Action[]> {
    return (await this.page(filters, options)).actions;
  }

  /** The action, expired or not, or `null` when the scope has no action with that id. */
  get(id: string, options?: CallOptions): Promise<Action | null> {
    return this.transport.request('GET', path(id), { signal: options?.signal, nullOn: [404] });
  }

  update(id: string, patch: ActionPatchInput, options?: CallOptions): Promise<Action> {
    return this.transport.request('PATCH', path(id), { signal: options?.signal, body: patch });
  }

  /** Approves a live proposal: it becomes `execute_requested`. */
  execute(id: string, options?: CallOptions): Promise<Action> {
    return this.transport.request('POST', path(id, '/execute'), { signal: options?.signal });
  }

  complete(id: string, body: ActionOutcomeInput = {}, options?: CallOptions): Promise<Action> {
    return this.transport.request('POST', path(id, '/complete'), { signal: options?.signal, body });
  }

  fail(id: string, body: ActionOutcomeInput = {}, options?: CallOptions): Promise<Action> {
    return this.transport.request('POST', path(id, '/fail'), { signal: options?.signal, body });
  }
}
