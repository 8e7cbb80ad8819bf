import type { ErrorBody, Task, TaskCreateInput } from '@octopoid/api';
import { OctopoidError, type OctopoidSDK } from '@octopoid/sdk';
import { expect } from '@octopoid/testing/vitest';

/** A valid create body; `extra` overrides or adds fields. */
export const newTask = (id: string, extra: Partial<TaskCreateInput> = {}): TaskCreateInput => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  title: id,
  ...extra,
});

export const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' } as const;

export interface RawResponse {
  status: number;
  headers: Headers;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields of any route's JSON body
  body: any;
}

export interface RawRequest {
  /** Query parameters; `scope` goes here unless `headers` or `json.scope` carry it. */
  query?: Record<string, string | number>;
  /** Sent as `application/json` after `JSON.stringify`. */
  json?: unknown;
  /** Sent as is, with `contentType` (if any): text, or bytes that need not be UTF-8. */
  raw?: string | Uint8Array<ArrayBuffer>;
  contentType?: string;
  headers?: Record<string, string>;
}

/** Where `send` sends: a server's base URL, or an in-process server (its URL and fetch). */
export type Target = string | { url: string; fetch: typeof globalThis.fetch };

/** A request the SDK cannot send: wrong content types, broken JSON, disagreeing scopes. */
export async function send(
  target: Target,
  method: string,
  path: string,
  request: RawRequest = {},
): Promise<RawResponse> {
  const { url: base, fetch } =
    typeof target === 'string' ? { url: target, fetch: globalThis.fetch } : target;
  const url = new URL(`/api/v1${path}`, base);
  for (const [key, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(key, String(value));
  }
  const headers: Record<string, string> = { accept: 'application/json', ...request.headers };
  let body: string | Uint8Array<ArrayBuffer> | undefined;
  if (request.json !== undefined) {
    body = JSON.stringify(request.json);
    headers['content-type'] = 'application/json';
  } else if (request.raw !== undefined) {
    body = request.raw;
  }
  if (request.contentType !== undefined) headers['content-type'] = request.contentType;
  const response = await fetch(url, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    // kept as text: the assertion on it will say what arrived
  }
  return { status: response.status, headers: response.headers, body: parsed };
}

/** Asserts the one error shape: `{ error, code, details? }`, with `field` among the details. */
export function expectError(
  response: RawResponse,
  status: number,
  code: ErrorBody['code'],
  field?: string,
): void {
  expect(
    { status: response.status, code: response.body?.code },
    JSON.stringify(response.body),
  ).toEqual({ status, code });
  expect(typeof response.body.error).toBe('string');
  expect(response.body.error.length).toBeGreaterThan(0);
  expect(Object.keys(response.body).sort()).toEqual(
    response.body.details === undefined ? ['code', 'error'] : ['code', 'details', 'error'],
  );
  if (field !== undefined) {
    expect(response.body.details?.map((d: { field?: string }) => d.field)).toContain(field);
  }
}

/** The error an SDK call rejected with; fails the test when the call succeeded. */
export async function sdkError(call: Promise<unknown>): Promise<OctopoidError> {
  const error = await call.then(
    (value) => {
      throw new Error(`expected an error, got ${JSON.stringify(value)}`);
    },
    (error: unknown) => error,
  );
  expect(error).toBeInstanceOf(OctopoidError);
  return error as OctopoidError;
}

/** Asserts an SDK call failed with this status, code and (optionally) detail field. */
export async function expectSdkError(
  call: Promise<unknown>,
  status: number,
  code: ErrorBody['code'],
  field?: string,
): Promise<OctopoidError> {
  const error = await sdkError(call);
  expect({ status: error.status, code: error.code }, error.message).toEqual({ status, code });
  if (field !== undefined) expect(error.details.map((d) => d.field)).toContain(field);
  return error;
}

/** The task, which must exist. */
export async function mustGet(sdk: OctopoidSDK, id: string): Promise<Task> {
  const task = await sdk.tasks.get(id);
  expect(task, `task ${id} in ${sdk.scope}`).not.toBeNull();
  return task as Task;
}

/** Every task of the client's scope, oldest first; a snapshot to compare before and after. */
export async function snapshot(sdk: OctopoidSDK): Promise<Task[]> {
  const tasks = await sdk.tasks.list({ sort: 'priority', limit: 500 });
  return tasks.sort((a, b) => a.id.localeCompare(b.id));
}

/** Event names of a task's history, oldest first. */
export async function events(sdk: OctopoidSDK, id: string): Promise<string[]> {
  return (await sdk.tasks.history(id)).history.map((entry) => entry.event);
}
