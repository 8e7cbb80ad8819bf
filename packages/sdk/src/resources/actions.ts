import type {
  Action,
  ActionCreateInput,
  ActionList,
  ActionOutcomeInput,
  ActionPatchInput,
  ActionStatus,
} from '@octopoid/api';
import type { Transport } from '../transport.js';

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

  create(body: ActionCreateInput): Promise<Action> {
    return this.transport.request('POST', '/api/v1/actions', { body });
  }

  /** One page of the scope's unexpired actions, newest first, with its total. */
  page(filters: ActionListFilters = {}): Promise<ActionList> {
    return this.transport.request('GET', '/api/v1/actions', { query: { ...filters } });
  }

  async list(filters: ActionListFilters = {}): Promise<Action[]> {
    return (await this.page(filters)).actions;
  }

  /** The action, expired or not, or `null` when the scope has no action with that id. */
  get(id: string): Promise<Action | null> {
    return this.transport.request('GET', path(id), { nullOn: [404] });
  }

  update(id: string, patch: ActionPatchInput): Promise<Action> {
    return this.transport.request('PATCH', path(id), { body: patch });
  }

  /** Approves a live proposal: it becomes `execute_requested`. */
  execute(id: string): Promise<Action> {
    return this.transport.request('POST', path(id, '/execute'));
  }

  complete(id: string, body: ActionOutcomeInput = {}): Promise<Action> {
    return this.transport.request('POST', path(id, '/complete'), { body });
  }

  fail(id: string, body: ActionOutcomeInput = {}): Promise<Action> {
    return this.transport.request('POST', path(id, '/fail'), { body });
  }
}
