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
import { CLAIM_OUTCOME_HEADER } from '@octopoid/api/constants';
import type { CallOptions, Transport } from '../transport.js';

/**
 * Filters of `GET /tasks`, derived from the server's query schema. The client's scope is added
 * by the transport; list filters take a string or an array (sent comma-separated).
 */
export type TaskListFilters = {
  [K in Exclude<keyof TaskListQuery, 'scope'>]?: NonNullable<TaskListQuery[K]> extends string[]
    ? string | readonly string[]
    : TaskListQuery[K];
};

/** Time a waiting claim's answer may take beyond `wait_seconds` to reach the client, in ms. */
const CLAIM_WAIT_MARGIN_MS = 10_000;

const path = (id: string, suffix = '') => `/api/v1/tasks/${encodeURIComponent(id)}${suffix}`;

/**
 * Tasks of the client's scope: CRUD, the queue transitions, hooks and history.
 *
 * Fencing by default: the client remembers the `lease_token` of every task it claimed and sends
 * it with that task's `submit` and `renewLease` (unless the body names one), so if its lease ran
 * out and another claimant took the task, the server refuses the late request (409) instead of
 * crediting it to the new claimant.
 */
export class TasksResource {
  readonly #leaseTokens = new Map<string, string>();

  constructor(private readonly transport: Transport) {}

  #fenced<T extends { lease_token?: string | undefined }>(id: string, body: T): T {
    const token = this.#leaseTokens.get(id);
    return token === undefined || 'lease_token' in body ? body : { ...body, lease_token: token };
  }

  /** One page of tasks with its total, newest first unless `sort` says otherwise. */
  page(filters: TaskListFilters = {}, options?: CallOptions): Promise<TaskList> {
    return this.transport.request('GET', '/api/v1/tasks', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  /** The tasks of one page, without the paging envelope. */
  async list(filters: TaskListFilters = {}, options?: CallOptions): Promise<Task[]> {
    return (await this.page(filters, options)).tasks;
  }

  /** The task, or `null` when the scope has no task with that id. */
  get(id: string, options?: CallOptions): Promise<Task | null> {
    return this.transport.request('GET', path(id), { signal: options?.signal, nullOn: [404] });
  }

  create(body: TaskCreateInput, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', '/api/v1/tasks', { signal: options?.signal, body });
  }

  /** Direct edit; `version` makes it conditional (409 `version_conflict` on mismatch). */
  update(id: string, patch: TaskPatchInput, options?: CallOptions): Promise<Task> {
    return this.transport.request('PATCH', path(id), { signal: options?.signal, body: patch });
  }

  /** A retry that finds the task gone (its first attempt's answer was lost) resolves too. */
  delete(id: string, options?: CallOptions): Promise<TaskDeleted> {
    return this.transport.request('DELETE', path(id), {
      signal: options?.signal,
      alreadyDeleted: () => ({ message: `task ${id} deleted`, task_id: id }),
    });
  }

  /**
   * The claimed task, or `null` when the server says nothing is claimable (404) or the claim
   * limit is hit (429), both marked by its `x-octopoid-claim` header. Any other 404 or 429 (a
   * wrong base path, a proxy's rate limit) throws `OctopoidError`. Each call carries a fresh
   * `Idempotency-Key`, so a claim whose answer was lost is retried safely: the server answers
   * the retry with the task the first attempt claimed. With `wait_seconds` (0–60) the server
   * holds the request until a task becomes claimable or the wait ends (then `null`); this
   * request's timeout is stretched to outlast the wait.
   */
  async claim(body: TaskClaimInput, options?: CallOptions): Promise<Task | null> {
    const task: Task | null = await this.transport.request('POST', '/api/v1/tasks/claim', {
      signal: options?.signal,
      body,
      idempotencyKey: crypto.randomUUID(),
      nullIf: (response) => response.headers.has(CLAIM_OUTCOME_HEADER),
      minTimeoutMs: (body.wait_seconds ?? 0) * 1000 + CLAIM_WAIT_MARGIN_MS,
    });
    if (task?.lease_token) this.#leaseTokens.set(task.id, task.lease_token);
    return task;
  }

  /** Hands in the claimed task's work; fenced with the claim's `lease_token` (see the class). */
  async submit(id: string, body: TaskSubmitInput, options?: CallOptions): Promise<Task> {
    const task: Task = await this.transport.request('POST', path(id, '/submit'), {
      signal: options?.signal,
      body: this.#fenced(id, body),
    });
    this.#leaseTokens.delete(id);
    return task;
  }

  accept(id: string, body: TaskAcceptInput = {}, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', path(id, '/accept'), { signal: options?.signal, body });
  }

  reject(id: string, body: TaskRejectInput, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', path(id, '/reject'), { signal: options?.signal, body });
  }

  requeue(id: string, body: TaskRequeueInput = {}, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', path(id, '/requeue'), { signal: options?.signal, body });
  }

  forceQueue(id: string, body: TaskForceQueueInput, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', path(id, '/force-queue'), {
      signal: options?.signal,
      body,
    });
  }

  /** Extends the claimed task's lease; fenced with the claim's `lease_token` (see the class). */
  renewLease(id: string, body: TaskLeaseRenewInput = {}, options?: CallOptions): Promise<Task> {
    return this.transport.request('POST', path(id, '/lease'), {
      signal: options?.signal,
      body: this.#fenced(id, body),
    });
  }

  completeHook(
    id: string,
    hookName: string,
    body: HookCompleteInput,
    options?: CallOptions,
  ): Promise<Task> {
    return this.transport.request(
      'POST',
      path(id, `/hooks/${encodeURIComponent(hookName)}/complete`),
      { signal: options?.signal, body },
    );
  }

  /**
   * The recorded transitions and edits of the task, oldest first: every one up to 500 (the
   * server's first page; `total` counts them all).
   */
  history(id: string, options?: CallOptions): Promise<TaskHistory> {
    return this.transport.request('GET', path(id, '/history'), { signal: options?.signal });
  }
}
