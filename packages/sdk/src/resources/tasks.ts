import type {
  HookCompleteInput,
  Task,
  TaskAcceptInput,
  TaskClaimInput,
  TaskCreateInput,
  TaskForceQueueInput,
  TaskHistory,
  TaskLeaseRenewInput,
  TaskList,
  TaskPatchInput,
  TaskRejectInput,
  TaskRequeueInput,
  TaskSubmitInput,
} from '@octopoid/api';
import type { Transport } from '../transport.js';

export interface TaskListFilters {
  queue?: string | readonly string[];
  priority?: string | readonly string[];
  role?: string | readonly string[];
  claimed_by?: string;
  project_id?: string;
  needs_intervention?: boolean;
  sort?: 'priority' | 'created' | 'newest';
  limit?: number;
  offset?: number;
}

const path = (id: string, suffix = '') => `/api/v1/tasks/${encodeURIComponent(id)}${suffix}`;

export class TasksResource {
  constructor(private readonly transport: Transport) {}

  /** One page of tasks with its total. */
  page(filters: TaskListFilters = {}): Promise<TaskList> {
    return this.transport.request('GET', '/api/v1/tasks', { query: { ...filters } });
  }

  async list(filters: TaskListFilters = {}): Promise<Task[]> {
    return (await this.page(filters)).tasks;
  }

  /** The task, or `null` when the scope has no task with that id. */
  get(id: string): Promise<Task | null> {
    return this.transport.request('GET', path(id), { nullOn: [404] });
  }

  create(body: TaskCreateInput): Promise<Task> {
    return this.transport.request('POST', '/api/v1/tasks', { body });
  }

  update(id: string, patch: TaskPatchInput): Promise<Task> {
    return this.transport.request('PATCH', path(id), { body: patch });
  }

  delete(id: string): Promise<{ message: string; task_id: string }> {
    return this.transport.request('DELETE', path(id));
  }

  /** The claimed task, or `null` when nothing is claimable (404) or the claim limit is hit (429). */
  claim(body: TaskClaimInput): Promise<Task | null> {
    return this.transport.request('POST', '/api/v1/tasks/claim', { body, nullOn: [404, 429] });
  }

  submit(id: string, body: TaskSubmitInput): Promise<Task> {
    return this.transport.request('POST', path(id, '/submit'), { body });
  }

  accept(id: string, body: TaskAcceptInput = {}): Promise<Task> {
    return this.transport.request('POST', path(id, '/accept'), { body });
  }

  reject(id: string, body: TaskRejectInput): Promise<Task> {
    return this.transport.request('POST', path(id, '/reject'), { body });
  }

  requeue(id: string, body: TaskRequeueInput = {}): Promise<Task> {
    return this.transport.request('POST', path(id, '/requeue'), { body });
  }

  forceQueue(id: string, body: TaskForceQueueInput): Promise<Task> {
    return this.transport.request('POST', path(id, '/force-queue'), { body });
  }

  renewLease(id: string, body: TaskLeaseRenewInput = {}): Promise<Task> {
    return this.transport.request('POST', path(id, '/lease'), { body });
  }

  completeHook(id: string, hookName: string, body: HookCompleteInput): Promise<Task> {
    return this.transport.request(
      'POST',
      path(id, `/hooks/${encodeURIComponent(hookName)}/complete`),
      { body },
    );
  }

  history(id: string): Promise<TaskHistory> {
    return this.transport.request('GET', path(id, '/history'));
  }
}
