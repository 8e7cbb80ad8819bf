import type {
  HookCompleteInput,
  Task,
  TaskAcceptInput,
  TaskClaimInput,
  TaskCreateInput,
  TaskDeleted,
  TaskForceQueueInput,
  TaskHistory,
  TaskLeaseRenewInput,
  TaskList,
  TaskListQuery,
  TaskPatchInput,
  TaskRejectInput,
  TaskRequeueInput,
  TaskSubmitInput,
} from '@octopoid/api';
import type { Transport } from '../transport.js';

/**
 * Filters of `GET /tasks`, derived from the server's query schema. The client's scope is added
 * by the transport; list filters take a string or an array (sent comma-separated).
 */
export type TaskListFilters = {
  [K in Exclude<keyof TaskListQuery, 'scope'>]?: NonNullable<TaskListQuery[K]> extends string[]
    ? string | readonly string[]
    : TaskListQuery[K];
};

const path = (id: string, suffix = '') => `/api/v1/tasks/${encodeURIComponent(id)}${suffix}`;

/** Tasks of the client's scope: CRUD, the queue transitions, hooks and history. */
export class TasksResource {
  constructor(private readonly transport: Transport) {}

  /** One page of tasks with its total, newest first unless `sort` says otherwise. */
  page(filters: TaskListFilters = {}): Promise<TaskList> {
    return this.transport.request('GET', '/api/v1/tasks', { query: { ...filters } });
  }

  /** The tasks of one page, without the paging envelope. */
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

  /** Direct edit; `version` makes it conditional (409 `version_conflict` on mismatch). */
  update(id: string, patch: TaskPatchInput): Promise<Task> {
    return this.transport.request('PATCH', path(id), { body: patch });
  }

  delete(id: string): Promise<TaskDeleted> {
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

  /** Every recorded transition and edit of the task, oldest first. */
  history(id: string): Promise<TaskHistory> {
    return this.transport.request('GET', path(id, '/history'));
  }
}
