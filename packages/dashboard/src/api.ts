import type {
  Action,
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

/** The paging fields of a list answer. */
interface ListPage {
  total: number;
  offset: number;
  limit: number;
}

/** The keys of a list answer that hold its rows. */
type RowsKey<List> = { [Key in keyof List]: List[Key] extends unknown[] ? Key : never }[keyof List];

/** `Authorization` for a key, or nothing. */
export const authHeaders = (apiKey: string | null): Record<string, string> =>
  apiKey ? { authorization: `Bearer ${apiKey}` } : {};

/**
 * The `/api/v1` requests the dashboard makes, on the page's own origin, each in one scope:
 * reads, and one write (executing a proposed action). Throws `ApiFailure` for a non-2xx answer.
 */
export class DashboardApi {
  constructor(
    readonly apiKey: string | null,
    readonly origin = '',
  ) {}

  get<T>(path: string, query: Record<string, string | undefined> = {}): Promise<T> {
    return this.send<T>('GET', path, query);
  }

  /** A body-less write (`{}` is sent), such as asking for an action's execution. */
  post<T>(path: string, query: Record<string, string | undefined>): Promise<T> {
    return this.send<T>('POST', path, query);
  }

  private async send<T>(
    method: 'GET' | 'POST',
    path: string,
    query: Record<string, string | undefined>,
  ): Promise<T> {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) params.set(name, value);
    }
    const search = params.size > 0 ? `?${params}` : '';
    const write = method === 'POST';
    const response = await fetch(`${this.origin}/api/v1${path}${search}`, {
      method,
      headers: {
        ...authHeaders(this.apiKey),
        ...(write ? { 'content-type': 'application/json' } : {}),
      },
      ...(write ? { body: '{}' } : {}),
    });
    if (response.ok) return (await response.json()) as T;
    const body = (await response.json().catch(() => null)) as Partial<ErrorBody> | null;
    throw new ApiFailure(
      response.status,
      body?.code ?? 'unknown',
      body?.error ?? `${response.status} ${response.statusText}`,
    );
  }

  /**
   * Every row of a list the API answers 500 rows at a time by default (`/scopes`, `/flows`,
   * `/orchestrators`, a task's `/history`): its pages read one after another, each from the last
   * one's `offset + limit`, until `total` rows are read, joined under `key` in the first page's
   * answer. Throws `ApiFailure` as `get` does.
   */
  async whole<List extends ListPage, Key extends RowsKey<List>>(
    path: string,
    key: Key,
    query: Record<string, string | undefined> = {},
  ): Promise<List> {
    let page = await this.get<List>(path, query);
    const first = page;
    const rows = [...(page[key] as unknown[])];
    while (page.offset + page.limit < page.total) {
      page = await this.get<List>(path, { ...query, offset: String(page.offset + page.limit) });
      rows.push(...(page[key] as unknown[]));
    }
    return { ...first, [key]: rows };
  }

  /** Every scope of the server that holds anything, by name. */
  scopes() {
    return this.whole<ScopeList, 'scopes'>('/scopes', 'scopes');
  }

  scope(scope: string) {
    return this.get<ScopeSummary>(`/scopes/${encodeURIComponent(scope)}`);
  }

  /** Everything the board of one scope shows, read at once. */
  async board(scope: string) {
    const [tasks, flows, projects, drafts, orchestrators] = await Promise.all([
      this.get<TaskList>('/tasks', { scope, limit: String(TASK_PAGE_LIMIT) }),
      this.whole<FlowList, 'flows'>('/flows', 'flows', { scope }),
      this.get<ProjectList>('/projects', { scope, limit: '200' }),
      this.get<DraftList>('/drafts', { scope, limit: '200' }),
      this.whole<OrchestratorList, 'orchestrators'>('/orchestrators', 'orchestrators', { scope }),
    ]);
    return { tasks, flows, projects, drafts, orchestrators };
  }

  /** Asks for a proposed action to be executed (`status` becomes `execute_requested`). */
  executeAction(scope: string, id: string) {
    return this.post<Action>(`/actions/${encodeURIComponent(id)}/execute`, { scope });
  }

  /** One task with its history, messages and proposed actions. */
  async taskDetail(scope: string, id: string) {
    const path = `/tasks/${encodeURIComponent(id)}`;
    const [task, history, messages, actions] = await Promise.all([
      this.get<Task>(path, { scope }),
      this.whole<TaskHistory, 'history'>(`${path}/history`, 'history', { scope }),
      this.get<MessageList>('/messages', { scope, task_id: id, limit: '200' }),
      this.get<ActionList>('/actions', { scope, entity_type: 'task', entity_id: id }),
    ]);
    return { task, history, messages, actions };
  }
}

export type BoardData = Awaited<ReturnType<DashboardApi['board']>>;
export type TaskDetail = Awaited<ReturnType<DashboardApi['taskDetail']>>;
