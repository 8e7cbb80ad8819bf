import type {
  ActionList,
  DraftList,
  ErrorBody,
  FlowList,
  MessageList,
  OrchestratorList,
  ProjectList,
  ScopeList,
  ScopeSummary,
  Task,
  TaskHistory,
  TaskList,
} from '@octopoid/api';

/** A refused request: the server's `{ error, code }` body and the HTTP status. */
export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The board lists at most this many tasks of a scope: the API's largest page. */
export const TASK_PAGE_LIMIT = 500;

/** `Authorization` for a key, or nothing. */
export const authHeaders = (apiKey: string | null): Record<string, string> =>
  apiKey ? { authorization: `Bearer ${apiKey}` } : {};

/**
 * The few `/api/v1` reads the dashboard makes, on the page's own origin, each in one scope
 * (`null`: the scope of the API key). Throws `ApiFailure` for a non-2xx answer.
 */
export class DashboardApi {
  constructor(
    readonly apiKey: string | null,
    readonly origin = '',
  ) {}

  async get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query))
      if (value !== undefined) params.set(name, value);
    const search = params.size > 0 ? `?${params}` : '';
    const response = await fetch(`${this.origin}/api/v1${path}${search}`, {
      headers: authHeaders(this.apiKey),
    });
    if (response.ok) return (await response.json()) as T;
    const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
    throw new ApiFailure(
      response.status,
      body?.code ?? 'unknown',
      body?.error ?? `${response.status} ${response.statusText}`,
    );
  }

  scopes() {
    return this.get<ScopeList>('/scopes');
  }

  scope(scope: string) {
    return this.get<ScopeSummary>(`/scopes/${encodeURIComponent(scope)}`);
  }

  /** Everything the board of one scope shows, read at once. */
  async board(scope: string) {
    const [tasks, flows, projects, drafts, orchestrators] = await Promise.all([
      this.get<TaskList>('/tasks', { scope, limit: String(TASK_PAGE_LIMIT) }),
      this.get<FlowList>('/flows', { scope }),
      this.get<ProjectList>('/projects', { scope, limit: '200' }),
      this.get<DraftList>('/drafts', { scope, limit: '200' }),
      this.get<OrchestratorList>('/orchestrators', { scope }),
    ]);
    return { tasks, flows, projects, drafts, orchestrators };
  }

  /** One task with its history, messages and proposed actions. */
  async taskDetail(scope: string, id: string) {
    const path = `/tasks/${encodeURIComponent(id)}`;
    const [task, history, messages, actions] = await Promise.all([
      this.get<Task>(path, { scope }),
      this.get<TaskHistory>(`${path}/history`, { scope }),
      this.get<MessageList>('/messages', { scope, task_id: id, limit: '200' }),
      this.get<ActionList>('/actions', { scope, entity_type: 'task', entity_id: id }),
    ]);
    return { task, history, messages, actions };
  }
}

export type BoardData = Awaited<ReturnType<DashboardApi['board']>>;
export type TaskDetail = Awaited<ReturnType<DashboardApi['taskDetail']>>;
