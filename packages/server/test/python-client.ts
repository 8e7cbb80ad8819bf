/**
 * A replica of the public octopoid Python SDK (`packages/python-sdk/octopoid_sdk/client.py` in
 * the main octopoid project) and of the orchestrator code that calls it, request for request, as
 * the v1 API reference (§6 "Compatibility essentials") describes them. It exists so that
 * ./python-client-compat.test.ts can prove the server still serves that client unchanged.
 *
 * The transport is `OctopoidSDK._request`:
 * - scope is injected set-if-absent (`setdefault`): into the query of a GET, into the JSON body
 *   of any other method that has one, and nowhere for DELETE and body-less POSTs;
 * - `Authorization: Bearer oct_…` once a key is known (the first registration hands it out);
 * - `requests` serialises bodies with `json.dumps` and sends no body at all for `json=None`;
 * - any status from 400 up raises (`raise_for_status`); a 204 gives None; other bodies are JSON.
 * The methods that read a 404 (or 429) as None do so exactly where the Python client does.
 */

// biome-ignore lint/suspicious/noExplicitAny: the Python client hands back parsed JSON dicts, unchecked
export type PyDict = Record<string, any>;
type PyParams = Record<string, string | number | undefined>;
type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** `requests` sends these on every request (the version is immaterial). */
const REQUESTS_HEADERS = {
  'user-agent': 'python-requests/2.32.3',
  accept: '*/*',
  'accept-encoding': 'gzip, deflate',
};

/** One request as it went on the wire, and what came back. */
export interface SentRequest {
  method: Method;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string>;
  /** The exact body text; `undefined` when no body was sent. */
  body: string | undefined;
  status: number;
  response: unknown;
}

/** `requests.HTTPError` from `raise_for_status()`, with the response it was raised for. */
export class PyHTTPError extends Error {
  constructor(
    readonly request: SentRequest,
    readonly status: number,
    readonly body: unknown,
  ) {
    super(
      `${status} Client/Server Error for ${request.method} ${request.path}: ${JSON.stringify(body)}`,
    );
    this.name = 'PyHTTPError';
  }
}

/** `json.dumps(value)` with its defaults: `", "` and `": "` separators, `ensure_ascii=True`. */
export function pythonJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(pythonJsonDumps).join(', ')}]`;
  if (typeof value === 'object') {
    const items = Object.entries(value).map(([k, v]) => `${asciiJson(k)}: ${pythonJsonDumps(v)}`);
    return `{${items.join(', ')}}`;
  }
  if (typeof value === 'string') return asciiJson(value);
  return JSON.stringify(value);
}

function asciiJson(text: string): string {
  return JSON.stringify(text).replace(
    /[\u007f-\uffff]/g,
    (ch) => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/**
 * `datetime.isoformat()` of an aware UTC datetime, as the client writes `lease_expires_at`:
 * microseconds (omitted when zero; `micros` may carry the digits below the millisecond) and
 * `+00:00`, never `Z`.
 */
export function pythonIsoformat(date: Date, micros = date.getUTCMilliseconds() * 1000): string {
  const base =
    `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}` +
    `T${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}`;
  return `${base}${micros === 0 ? '' : `.${pad(micros, 6)}`}+00:00`;
}

const PY_ISO =
  /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{3}|\d{6}))?)?([+-])(\d{2}):(\d{2})$/;

/**
 * `datetime.fromisoformat(text.replace('Z', '+00:00'))` as every Python 3 since 3.7 accepts it
 * (3 or 6 fraction digits, a `±HH:MM` offset), and only when the result is timezone-aware: the
 * client compares leases with `datetime.now(timezone.utc)`, and a naive value raises TypeError.
 * Resolves to epoch milliseconds; throws like Python would.
 */
export function pythonFromIsoformat(text: unknown): number {
  if (typeof text !== 'string') throw new TypeError(`fromisoformat: argument must be str`);
  const match = PY_ISO.exec(text.replace('Z', '+00:00'));
  if (!match) {
    throw new RangeError(`ValueError: Invalid isoformat string (or naive datetime): '${text}'`);
  }
  const part = (i: number) => Number(match[i] ?? 0);
  const frac = match[7];
  const ms = frac === undefined ? 0 : Math.floor(Number(frac.padEnd(6, '0')) / 1000);
  const local = Date.UTC(part(1), part(2) - 1, part(3), part(4), part(5), part(6), ms);
  const offsetMs = (match[8] === '-' ? -1 : 1) * (part(9) * 60 + part(10)) * 60_000;
  return local - offsetMs;
}

/** `OctopoidSDK` with its resource classes, plus the orchestrator's own calls through `_request`. */
export class PythonClient {
  /** Every request this client sent, in order. */
  readonly sent: SentRequest[] = [];
  readonly tasks = new TasksAPI(this);
  readonly drafts = new DraftsAPI(this);
  readonly projects = new ProjectsAPI(this);
  readonly flows = new FlowsAPI(this);
  readonly messages = new MessagesAPI(this);
  readonly actions = new ActionsAPI(this);
  readonly orchestrators = new OrchestratorCalls(this);

  constructor(
    readonly serverUrl: string,
    readonly scope: string | undefined,
    /** `session.headers['Authorization']`; set by a registration that returns `api_key`. */
    public apiKey?: string,
  ) {}

  /** The last request sent. */
  get last(): SentRequest {
    const last = this.sent.at(-1);
    if (!last) throw new Error('no request sent yet');
    return last;
  }

  /** `OctopoidSDK._request(method, path, params=None, json=None)`. */
  async request(
    method: Method,
    path: string,
    options: { params?: PyParams; json?: PyDict } = {},
  ): Promise<PyDict> {
    let params = options.params;
    const json = options.json;
    if (this.scope) {
      if (method === 'GET') {
        params ??= {};
        if (!('scope' in params)) params.scope = this.scope;
      } else if (json !== undefined) {
        if (!('scope' in json)) json.scope = this.scope;
      }
    }
    const url = new URL(path, this.serverUrl);
    const query: Record<string, string> = {};
    for (const [key, value] of Object.entries(params ?? {})) {
      if (value === undefined) continue; // requests drops None-valued params
      query[key] = String(value);
      url.searchParams.append(key, String(value));
    }
    const headers: Record<string, string> = { ...REQUESTS_HEADERS };
    if (this.apiKey) headers.authorization = `Bearer ${this.apiKey}`;
    let body: string | undefined;
    if (json !== undefined) {
      body = pythonJsonDumps(json);
      headers['content-type'] = 'application/json';
    }
    const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
    const text = await response.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // `response.json()` raised ValueError: the client returns the text
    }
    const sent: SentRequest = {
      method,
      path,
      query,
      headers,
      body,
      status: response.status,
      response: parsed,
    };
    this.sent.push(sent);
    if (response.status >= 400) throw new PyHTTPError(sent, response.status, parsed);
    if (response.status === 204) return null as unknown as PyDict;
    return parsed as PyDict;
  }

  /** `sdk.status.health()`. */
  health(): Promise<PyDict> {
    return this.request('GET', '/api/health');
  }

  /** `sdk.poll(orchestrator_id)`. */
  poll(orchestratorId: string): Promise<PyDict> {
    return this.request('GET', '/api/v1/scheduler/poll', {
      params: { orchestrator_id: orchestratorId },
    });
  }
}

/** `except requests.HTTPError as e: if e.response.status_code in statuses: return None`. */
async function noneOn<T>(statuses: number[], call: Promise<T>): Promise<T | null> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof PyHTTPError && statuses.includes(error.status)) return null;
    throw error;
  }
}

/** `isinstance(response, dict) and key in response`: the list wrappers. */
function unwrap(response: PyDict, key: string): PyDict[] {
  if (response && typeof response === 'object' && key in response) return response[key];
  return Array.isArray(response) ? response : [];
}

export class TasksAPI {
  constructor(private readonly client: PythonClient) {}

  async list(queue?: string, filters: PyParams = {}): Promise<PyDict[]> {
    const params: PyParams = {};
    if (queue) params.queue = queue;
    Object.assign(params, filters);
    return unwrap(await this.client.request('GET', '/api/v1/tasks', { params }), 'tasks');
  }

  get(taskId: string): Promise<PyDict | null> {
    return noneOn([404], this.client.request('GET', `/api/v1/tasks/${taskId}`));
  }

  create(fields: {
    id: string;
    file_path: string;
    title?: string;
    role?: string;
    priority?: string;
    queue?: string;
    branch?: string;
    metadata?: PyDict;
    [kwarg: string]: unknown;
  }): Promise<PyDict> {
    const { id, file_path, title, role, priority, queue, branch, metadata, ...kwargs } = fields;
    const data: PyDict = { id, file_path, queue: queue ?? 'incoming' };
    if (branch !== undefined) data.branch = branch;
    if (title) data.title = title;
    if (role) data.role = role;
    if (priority) data.priority = priority;
    if (metadata) data.metadata = metadata;
    Object.assign(data, kwargs);
    return this.client.request('POST', '/api/v1/tasks', { json: data });
  }

  claim(args: {
    orchestrator_id: string;
    agent_name: string;
    role_filter?: string;
    type_filter?: string;
    lease_duration_seconds?: number;
    max_claimed?: number;
    queue?: string;
  }): Promise<PyDict | null> {
    const data: PyDict = { orchestrator_id: args.orchestrator_id, agent_name: args.agent_name };
    if (args.role_filter) data.role_filter = args.role_filter;
    if (args.type_filter) data.type_filter = args.type_filter;
    if (args.lease_duration_seconds) data.lease_duration_seconds = args.lease_duration_seconds;
    if (args.max_claimed !== undefined) data.max_claimed = args.max_claimed;
    if (args.queue !== undefined) data.queue = args.queue;
    return noneOn([404, 429], this.client.request('POST', '/api/v1/tasks/claim', { json: data }));
  }

  submit(
    taskId: string,
    commitsCount: number,
    turnsUsed: number,
    checkResults?: string,
    executionNotes?: string,
  ): Promise<PyDict> {
    const data: PyDict = { commits_count: commitsCount, turns_used: turnsUsed };
    if (checkResults) data.check_results = checkResults;
    if (executionNotes) data.execution_notes = executionNotes;
    return this.client.request('POST', `/api/v1/tasks/${taskId}/submit`, { json: data });
  }

  delete(taskId: string): Promise<PyDict> {
    return this.client.request('DELETE', `/api/v1/tasks/${taskId}`);
  }

  update(taskId: string, updates: PyDict): Promise<PyDict> {
    return this.client.request('PATCH', `/api/v1/tasks/${taskId}`, { json: { ...updates } });
  }

  /** `tasks.fail()`: a PATCH to `failed` carrying the reason as `execution_notes`. */
  fail(taskId: string, reason?: string): Promise<PyDict> {
    const data: PyDict = { queue: 'failed' };
    if (reason) data.execution_notes = reason;
    return this.update(taskId, data);
  }

  accept(taskId: string, acceptedBy?: string): Promise<PyDict> {
    const data: PyDict = {};
    if (acceptedBy) data.accepted_by = acceptedBy;
    return this.client.request('POST', `/api/v1/tasks/${taskId}/accept`, { json: data });
  }

  reject(taskId: string, reason: string, rejectedBy?: string): Promise<PyDict> {
    const data = { reason, rejected_by: rejectedBy || 'orchestrator' };
    return this.client.request('POST', `/api/v1/tasks/${taskId}/reject`, { json: data });
  }

  requeue(taskId: string): Promise<PyDict> {
    return this.client.request('POST', `/api/v1/tasks/${taskId}/requeue`, { json: {} });
  }

  async getMessages(taskId: string): Promise<PyDict[]> {
    const response = await this.client.request('GET', `/api/v1/tasks/${taskId}/messages`);
    return unwrap(response, 'messages');
  }
}

export class DraftsAPI {
  constructor(private readonly client: PythonClient) {}

  async list(status?: string, filters: PyParams = {}): Promise<PyDict[]> {
    const params: PyParams = {};
    if (status) params.status = status;
    Object.assign(params, filters);
    return unwrap(await this.client.request('GET', '/api/v1/drafts', { params }), 'drafts');
  }

  create(title: string, author: string, filePath?: string, status?: string): Promise<PyDict> {
    const data: PyDict = { title, author };
    if (filePath) data.file_path = filePath;
    if (status) data.status = status;
    return this.client.request('POST', '/api/v1/drafts', { json: data });
  }
}

export class ProjectsAPI {
  constructor(private readonly client: PythonClient) {}

  async list(status?: string, filters: PyParams = {}): Promise<PyDict[]> {
    const params: PyParams = {};
    if (status) params.status = status;
    Object.assign(params, filters);
    return unwrap(await this.client.request('GET', '/api/v1/projects', { params }), 'projects');
  }

  get(projectId: string): Promise<PyDict | null> {
    return noneOn([404], this.client.request('GET', `/api/v1/projects/${projectId}`));
  }

  create(fields: PyDict): Promise<PyDict> {
    return this.client.request('POST', '/api/v1/projects', { json: { ...fields } });
  }

  update(projectId: string, updates: PyDict): Promise<PyDict> {
    return this.client.request('PATCH', `/api/v1/projects/${projectId}`, {
      json: { ...updates },
    });
  }

  async getTasks(projectId: string): Promise<PyDict[]> {
    const response = await this.client.request('GET', `/api/v1/projects/${projectId}/tasks`);
    return unwrap(response, 'tasks');
  }
}

export class FlowsAPI {
  constructor(private readonly client: PythonClient) {}

  async list(): Promise<PyDict[]> {
    return unwrap(await this.client.request('GET', '/api/v1/flows'), 'flows');
  }

  register(
    name: string,
    states: string[],
    transitions?: PyDict[],
    extra: { description?: string; child_flow?: PyDict } = {},
  ): Promise<PyDict> {
    const data: PyDict = { states };
    if (transitions !== undefined) data.transitions = transitions;
    if (extra.description !== undefined) data.description = extra.description;
    if (extra.child_flow !== undefined) data.child_flow = extra.child_flow;
    return this.client.request('PUT', `/api/v1/flows/${name}`, { json: data });
  }

  delete(name: string): Promise<PyDict> {
    return this.client.request('DELETE', `/api/v1/flows/${name}`);
  }
}

export class MessagesAPI {
  constructor(private readonly client: PythonClient) {}

  create(args: {
    task_id: string;
    from_actor: string;
    type: string;
    content: string;
    to_actor?: string;
    parent_message_id?: string;
  }): Promise<PyDict> {
    const payload: PyDict = {
      task_id: args.task_id,
      from_actor: args.from_actor,
      type: args.type,
      content: args.content,
    };
    if (args.to_actor) payload.to_actor = args.to_actor;
    if (args.parent_message_id) payload.parent_message_id = args.parent_message_id;
    return this.client.request('POST', '/api/v1/messages', { json: payload });
  }

  async list(
    filters: { task_id?: string; to_actor?: string; type?: string; thread_id?: string } = {},
  ): Promise<PyDict[]> {
    const params: PyParams = {};
    for (const key of ['task_id', 'to_actor', 'type', 'thread_id'] as const) {
      if (filters[key]) params[key] = filters[key];
    }
    const response = await this.client.request('GET', '/api/v1/messages', { params });
    return response.messages ?? [];
  }
}

export class ActionsAPI {
  constructor(private readonly client: PythonClient) {}

  create(args: {
    entity_type: string;
    entity_id: string;
    label: string;
    description?: string;
    action_data?: PyDict | string;
    action_type?: string;
    proposed_by?: string;
    expires_at?: string;
  }): Promise<PyDict> {
    const data: PyDict = {
      entity_type: args.entity_type,
      entity_id: args.entity_id,
      label: args.label,
      action_type: args.action_type ?? 'proposal',
    };
    if (args.description !== undefined) data.description = args.description;
    if (args.action_data !== undefined) data.action_data = args.action_data;
    if (args.proposed_by !== undefined) data.proposed_by = args.proposed_by;
    if (args.expires_at !== undefined) data.expires_at = args.expires_at;
    return this.client.request('POST', '/api/v1/actions', { json: data });
  }

  async list(
    filters: { entity_type?: string; entity_id?: string; status?: string } = {},
  ): Promise<PyDict[]> {
    const params: PyParams = {};
    for (const key of ['entity_type', 'entity_id', 'status'] as const) {
      if (filters[key] !== undefined) params[key] = filters[key];
    }
    return unwrap(await this.client.request('GET', '/api/v1/actions', { params }), 'actions');
  }

  execute(actionId: string): Promise<PyDict> {
    return this.client.request('POST', `/api/v1/actions/${actionId}/execute`, { json: {} });
  }

  complete(actionId: string, result?: PyDict): Promise<PyDict> {
    const data: PyDict = {};
    if (result !== undefined) data.result = result;
    return this.client.request('POST', `/api/v1/actions/${actionId}/complete`, { json: data });
  }

  fail(actionId: string, result?: PyDict): Promise<PyDict> {
    const data: PyDict = {};
    if (result !== undefined) data.result = result;
    return this.client.request('POST', `/api/v1/actions/${actionId}/fail`, { json: data });
  }
}

/** The orchestrator's registration and heartbeat, sent through `sdk._request`. */
export class OrchestratorCalls {
  constructor(private readonly client: PythonClient) {}

  /**
   * Registers `<cluster>-<machine_id>`; a response carrying `api_key` (the scope's first
   * registration) is saved and sent as `Authorization: Bearer` from then on.
   */
  async register(args: {
    cluster: string;
    machine_id: string;
    version: string;
    max_agents: number;
    repo_url?: string;
  }): Promise<PyDict> {
    const data: PyDict = {
      id: `${args.cluster}-${args.machine_id}`,
      cluster: args.cluster,
      machine_id: args.machine_id,
      version: args.version,
      max_agents: args.max_agents,
    };
    if (args.repo_url) data.repo_url = args.repo_url;
    const response = await this.client.request('POST', '/api/v1/orchestrators/register', {
      json: data,
    });
    if (typeof response?.api_key === 'string') this.client.apiKey = response.api_key;
    return response;
  }

  /** A body-less POST: no JSON, so no scope either. */
  heartbeat(orchestratorId: string): Promise<PyDict> {
    return this.client.request('POST', `/api/v1/orchestrators/${orchestratorId}/heartbeat`);
  }
}

/**
 * A request of an agent script (`orchestrator/agent_scripts/submit-pr`): `urllib.request` with a
 * `json.dumps` body and only `Content-Type: application/json` — no key and no scope, since the
 * script knows just `OCTOPOID_SERVER_URL` and `TASK_ID`. Its failures are non-fatal (the script
 * prints a warning and the scheduler takes over), so it never throws: it resolves to the status
 * and body (`status` 0 when the connection failed).
 */
export async function agentScriptRequest(
  serverUrl: string,
  method: 'POST' | 'PATCH',
  path: string,
  payload: PyDict,
): Promise<{ status: number; body: PyDict }> {
  const response = await fetch(new URL(path, serverUrl), {
    method,
    headers: {
      'content-type': 'application/json',
      'user-agent': 'Python-urllib/3.12',
      'accept-encoding': 'identity',
    },
    body: pythonJsonDumps(payload),
  }).catch(() => null);
  if (!response) return { status: 0, body: {} };
  const text = await response.text();
  try {
    return { status: response.status, body: JSON.parse(text) };
  } catch {
    return { status: response.status, body: { text } };
  }
}

/** The three calls `submit-pr` makes once the PR exists, in its order. */
export async function submitPrScript(
  serverUrl: string,
  taskId: string,
  pr: { url: string; number: number; commits: number; notes?: string },
) {
  const evidence = await agentScriptRequest(
    serverUrl,
    'POST',
    `/api/v1/tasks/${taskId}/hooks/create_pr/complete`,
    { status: 'passed', evidence: { pr_url: pr.url, pr_number: pr.number } },
  );
  const submitData: PyDict = { commits_count: pr.commits, turns_used: 0 };
  if (pr.notes) submitData.execution_notes = pr.notes;
  const submit = await agentScriptRequest(
    serverUrl,
    'POST',
    `/api/v1/tasks/${taskId}/submit`,
    submitData,
  );
  // The script stops at the first failure of its submit block (one try around both).
  const update =
    submit.status >= 200 && submit.status < 300
      ? await agentScriptRequest(serverUrl, 'PATCH', `/api/v1/tasks/${taskId}`, {
          pr_url: pr.url,
          pr_number: pr.number,
        })
      : null;
  return { evidence, submit, update };
}
