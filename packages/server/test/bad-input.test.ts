import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { inProcessServerOfFile } from './in-process-support.js';
import { postOverSocket } from './socket-post.js';
import { claimant, events, expectError, newTask, send, snapshot } from './tasks-support.js';

// Refusals come from the middleware and the routes' validation, which a socket adds nothing to:
// they are sent in process, each test on a fresh scope. Only a body streamed over a real
// connection goes over a socket.
const { server, freshSdk } = inProcessServerOfFile('bad-input');

/** The test servers' body limit: the default, 1 MiB. */
const MAX_BODY_BYTES = 1024 * 1024;

/**
 * POSTs `body` to the in-process server in 64 KiB pieces with no Content-Length (chunked), as a
 * stream uploads; `null` sends no Content-Type.
 */
function sendChunked(path: string, body: string, contentType: string | null = 'application/json') {
  const bytes = new TextEncoder().encode(body);
  let sent = 0;
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(sent, sent + 64 * 1024));
      sent += 64 * 1024;
    },
  });
  return server().fetch(new URL(path, server().url), {
    method: 'POST',
    headers: contentType === null ? {} : { 'content-type': contentType },
    body: stream,
    duplex: 'half',
  } as RequestInit);
}

/** Every route that writes, with a body it would accept in the state `prepare` leaves. */
const WRITE_ROUTES: [method: string, path: string, valid: object][] = [
  ['POST', '/tasks', newTask('t-new')],
  ['PATCH', '/tasks/t-1', { title: 'renamed' }],
  ['POST', '/tasks/claim', claimant],
  ['POST', '/tasks/t-1/submit', { commits_count: 1, turns_used: 1 }],
  ['POST', '/tasks/t-1/accept', { accepted_by: 'me' }],
  ['POST', '/tasks/t-1/reject', { reason: 'no' }],
  ['POST', '/tasks/t-1/requeue', {}],
  ['POST', '/tasks/t-1/force-queue', { queue: 'failed', reason: 'stop' }],
  ['POST', '/tasks/t-1/lease', { lease_duration_seconds: 60 }],
  ['POST', '/tasks/t-1/hooks/lint/complete', { status: 'passed' }],
];
const ALL_ROUTES: [string, string, object | undefined][] = [
  ...WRITE_ROUTES,
  ['DELETE', '/tasks/t-1', undefined],
  ['GET', '/tasks', undefined],
  ['GET', '/tasks/t-1', undefined],
  ['GET', '/tasks/t-1/history', undefined],
];

/** A claimed task t-1 with a hook, and a claimable t-2: every write route has work to do. */
async function prepare(sdk: OctopoidSDK) {
  await sdk.tasks.create(newTask('t-1', { hooks: [{ name: 'lint', status: 'pending' }] }));
  await sdk.tasks.claim(claimant);
  await sdk.tasks.create(newTask('t-2'));
  return state(sdk);
}

/** What a refused request must leave untouched: the tasks (versions included) and t-1's history. */
async function state(sdk: OctopoidSDK) {
  return { tasks: await snapshot(sdk), history: await events(sdk, 't-1') };
}

describe('bad input is refused before anything is written', () => {
  test('malformed JSON is 400 malformed_json on every route with a body', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    for (const [method, path] of [...WRITE_ROUTES, ['DELETE', '/tasks/t-1'] as const]) {
      for (const raw of ['{"title": ', "{'a': 1}", '{"a":1}}']) {
        const response = await send(server(), method, path, {
          query: { scope: sdk.scope as string },
          raw,
          contentType: 'application/json',
        });
        expectError(response, 400, 'malformed_json');
      }
    }
    expect(await state(sdk)).toEqual(before);
  });

  test('a JSON body that is not an object is 400 naming the body', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    for (const [method, path] of WRITE_ROUTES) {
      for (const json of [[1], 'text', 42, null]) {
        const response = await send(server(), method, path, {
          query: { scope: sdk.scope as string },
          raw: JSON.stringify(json),
          contentType: 'application/json',
        });
        expectError(response, 400, 'validation_failed', 'body');
      }
    }
    expect(await state(sdk)).toEqual(before);
  });

  test('a JSON body that is not UTF-8 is 400 naming the body, never stored as U+FFFD', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const json = new TextEncoder().encode(JSON.stringify({ title: 'café' }));
    // The two bytes of é become a lone continuation byte and an invalid lead byte.
    const raw = json.map((byte) => (byte === 0xc3 ? 0xff : byte));
    const response = await send(server(), 'PATCH', '/tasks/t-1', {
      query: { scope: sdk.scope as string },
      raw,
      contentType: 'application/json',
    });
    expectError(response, 400, 'malformed_json', 'body');
    expect(await state(sdk)).toEqual(before);
  });

  test('a JSON body in another charset, or compressed, is 415 naming the header', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const patch = (headers: Record<string, string>) =>
      send(server(), 'PATCH', '/tasks/t-1', {
        query: { scope: sdk.scope as string },
        raw: JSON.stringify({ title: 'renamed' }),
        headers,
      });
    for (const type of ['application/json; charset=latin1', 'application/json;charset="utf-16"']) {
      expectError(
        await patch({ 'content-type': type }),
        415,
        'unsupported_media_type',
        'Content-Type',
      );
    }
    for (const encoding of ['gzip', 'br', 'deflate']) {
      expectError(
        await patch({ 'content-type': 'application/json', 'content-encoding': encoding }),
        415,
        'unsupported_media_type',
        'Content-Encoding',
      );
    }
    expect(await state(sdk)).toEqual(before);
    for (const headers of [
      { 'content-type': 'application/json; charset=UTF-8' } as Record<string, string>,
      { 'content-type': 'application/json', 'content-encoding': 'identity' },
    ]) {
      expect((await patch(headers)).status).toBe(200);
    }
  });

  test('a body that is not JSON is 415 on every write route', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    for (const [method, path, valid] of WRITE_ROUTES) {
      for (const contentType of ['text/plain', 'application/x-www-form-urlencoded']) {
        const response = await send(server(), method, path, {
          query: { scope: sdk.scope as string },
          raw: JSON.stringify(valid),
          contentType,
        });
        expectError(response, 415, 'unsupported_media_type', 'Content-Type');
      }
    }
    expect(await state(sdk)).toEqual(before);
  });

  test('a body over 1 MiB is 413 on every write route', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const huge = 'x'.repeat(1024 * 1024 + 1);
    for (const [method, path, valid] of WRITE_ROUTES) {
      const response = await send(server(), method, path, {
        query: { scope: sdk.scope as string },
        json: { ...valid, content: huge },
      });
      expectError(response, 413, 'payload_too_large', 'body');
    }
    expect(await state(sdk)).toEqual(before);
    // Just under the limit is fine.
    const created = await sdk.tasks.create(newTask('big', { content: 'y'.repeat(1000 * 1000) }));
    expect(created.content).toHaveLength(1000 * 1000);
  });

  test('a chunked body over 1 MiB streamed over a socket is 413 too', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await prepare(sdk);
    const encode = (text: string) => new TextEncoder().encode(text);
    // One chunk of 1 MiB and 64 KiB, written at once: the whole body is in the server's socket
    // before it answers, so its drain reads it all and closes without resetting the connection
    // under the client's feet (many small writes raced that close on a busy machine).
    const chunks = [encode(`{"id":"t-big","content":"${' '.repeat(1024 * 1024 + 64 * 1024)}"}`)];
    const answer = await postOverSocket(
      new URL(`/api/v1/tasks?scope=${sdk.scope}`, serverUrl),
      { 'content-type': 'application/json' },
      chunks,
    );
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toEqual({
      error: `request body exceeds ${MAX_BODY_BYTES} bytes`,
      code: 'payload_too_large',
      details: [{ field: 'body', reason: `at most ${MAX_BODY_BYTES} bytes (max-body-bytes)` }],
    });
    expect(await state(sdk)).toEqual(before);
  });

  test('a chunked body of exactly 1 MiB is taken whole', async () => {
    const sdk = freshSdk();
    const frame = JSON.stringify(newTask('t-exact', { content: '' }));
    const body = JSON.stringify(
      newTask('t-exact', { content: 'y'.repeat(MAX_BODY_BYTES - frame.length) }),
    );
    expect(body).toHaveLength(MAX_BODY_BYTES);
    const response = await sendChunked(`/api/v1/tasks?scope=${sdk.scope}`, body);
    expect(response.status).toBe(201);
    expect((await sdk.tasks.get('t-exact'))?.content).toHaveLength(MAX_BODY_BYTES - frame.length);
  });

  test('a chunked body that is not JSON is 413 past 1 MiB and 415 within it', async () => {
    const sdk = freshSdk();
    const path = `/api/v1/tasks?scope=${sdk.scope}`;
    const over = await sendChunked(path, 'x'.repeat(MAX_BODY_BYTES + 1), 'text/plain');
    expect(over.status).toBe(413);
    expect(await over.json()).toMatchObject({ code: 'payload_too_large' });
    const within = await sendChunked(path, JSON.stringify(newTask('t-text')), 'text/plain');
    expect(within.status).toBe(415);
    expect(await within.json()).toMatchObject({ code: 'unsupported_media_type' });
    // Without a Content-Type, the route's media-type check still finds the body that was read.
    const untyped = await sendChunked(path, JSON.stringify(newTask('t-untyped')), null);
    expect(untyped.status).toBe(415);
    expect(await snapshot(sdk)).toEqual([]);
  });

  test('wrong types, unknown enum values and missing fields are 400 naming the field', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const cases: [method: string, path: string, json: object, field: string][] = [
      ['POST', '/tasks', { ...newTask('t-9'), priority: 'P9' }, 'priority'],
      ['POST', '/tasks', { ...newTask('t-9'), complexity: 'XXL' }, 'complexity'],
      ['POST', '/tasks', { ...newTask('t-9'), title: 123 }, 'title'],
      ['POST', '/tasks', { ...newTask('t-9'), auto_accept: 'yes' }, 'auto_accept'],
      ['POST', '/tasks', { ...newTask('t-9'), hooks: 'not json' }, 'hooks'],
      ['POST', '/tasks', { ...newTask('t-9'), hooks: [{ status: 'pending' }] }, 'hooks'],
      ['POST', '/tasks', { ...newTask('t-9'), flow_overrides: [1, 2] }, 'flow_overrides'],
      ['POST', '/tasks', { ...newTask('t-9'), blocked_by: 5 }, 'blocked_by'],
      ['POST', '/tasks', { ...newTask('t-9'), queue: 'no spaces' }, 'queue'],
      ['POST', '/tasks', { ...newTask('t-9'), id: 'a/b' }, 'id'],
      ['POST', '/tasks', { ...newTask('t-9'), id: '' }, 'id'],
      ['POST', '/tasks', { file_path: 'x.md', branch: 'main' }, 'id'],
      ['POST', '/tasks', { id: 't-9', branch: 'main' }, 'file_path'],
      ['POST', '/tasks', { id: 't-9', file_path: 'x.md' }, 'branch'],
      ['PATCH', '/tasks/t-1', { priority: 'P9' }, 'priority'],
      ['PATCH', '/tasks/t-1', { complexity: 'XXL' }, 'complexity'],
      ['PATCH', '/tasks/t-1', { commits_count: -1 }, 'commits_count'],
      ['PATCH', '/tasks/t-1', { pr_number: '42' }, 'pr_number'],
      ['PATCH', '/tasks/t-1', { needs_intervention: 'yes' }, 'needs_intervention'],
      ['PATCH', '/tasks/t-1', { lease_expires_at: 'tomorrow' }, 'lease_expires_at'],
      ['PATCH', '/tasks/t-1', { title: null }, 'title'],
      ['PATCH', '/tasks/t-1', { title: 'x', version: 'one' }, 'version'],
      ['PATCH', '/tasks/t-1', { title: 'x', version: 0 }, 'version'],
      ['POST', '/tasks/claim', { agent_name: 'a' }, 'orchestrator_id'],
      [
        'POST',
        '/tasks/claim',
        { ...claimant, lease_duration_seconds: 0 },
        'lease_duration_seconds',
      ],
      [
        'POST',
        '/tasks/claim',
        { ...claimant, lease_duration_seconds: -5 },
        'lease_duration_seconds',
      ],
      [
        'POST',
        '/tasks/claim',
        { ...claimant, lease_duration_seconds: 1.5 },
        'lease_duration_seconds',
      ],
      [
        'POST',
        '/tasks/claim',
        { ...claimant, lease_duration_seconds: 604_801 },
        'lease_duration_seconds',
      ],
      [
        'POST',
        '/tasks/claim',
        { ...claimant, lease_duration_seconds: '300' },
        'lease_duration_seconds',
      ],
      ['POST', '/tasks/claim', { ...claimant, max_claimed: 0 }, 'max_claimed'],
      ['POST', '/tasks/claim', { ...claimant, role_filter: 5 }, 'role_filter'],
      ['POST', '/tasks/claim', { ...claimant, type_filter: [1] }, 'type_filter'],
      ['POST', '/tasks/t-1/submit', { commits_count: '3', turns_used: 1 }, 'commits_count'],
      ['POST', '/tasks/t-1/submit', { commits_count: 1, turns_used: -1 }, 'turns_used'],
      ['POST', '/tasks/t-1/submit', { commits_count: 1 }, 'turns_used'],
      ['POST', '/tasks/t-1/accept', { completed_at: 'yesterday' }, 'completed_at'],
      ['POST', '/tasks/t-1/accept', { accepted_by: 7 }, 'accepted_by'],
      ['POST', '/tasks/t-1/reject', { reason: 5 }, 'reason'],
      ['POST', '/tasks/t-1/requeue', { version: 'latest' }, 'version'],
      ['POST', '/tasks/t-1/force-queue', { queue: 'done' }, 'reason'],
      ['POST', '/tasks/t-1/force-queue', { reason: 'x' }, 'queue'],
      ['POST', '/tasks/t-1/lease', { lease_duration_seconds: 0 }, 'lease_duration_seconds'],
      ['POST', '/tasks/t-1/lease', { lease_duration_seconds: 604_801 }, 'lease_duration_seconds'],
      ['POST', '/tasks/t-1/hooks/lint/complete', {}, 'status'],
      ['POST', '/tasks/t-1/hooks/lint/complete', { status: 'ok' }, 'status'],
    ];
    for (const [method, path, json, field] of cases) {
      const response = await send(server(), method, path, {
        query: { scope: sdk.scope as string },
        json,
      });
      const label = `${method} ${path} ${JSON.stringify(json)}`;
      expect({ label, status: response.status, code: response.body?.code }).toEqual({
        label,
        status: 400,
        code: 'validation_failed',
      });
      expectError(response, 400, 'validation_failed', field);
      const detail = response.body.details.find((d: { field: string }) => d.field === field);
      expect(detail.reason.length, label).toBeGreaterThan(0);
      expect(response.body.error, label).toContain(field);
    }
    expect(await state(sdk)).toEqual(before);
  });

  test('bad limit and offset are 400 naming the parameter', async () => {
    const sdk = freshSdk();
    await sdk.tasks.create(newTask('t-1'));
    for (const [query, field] of [
      [{ limit: 0 }, 'query.limit'],
      [{ limit: 501 }, 'query.limit'],
      [{ limit: -1 }, 'query.limit'],
      [{ limit: 'abc' }, 'query.limit'],
      [{ limit: '1.5' }, 'query.limit'],
      [{ limit: '' }, 'query.limit'],
      [{ offset: -1 }, 'query.offset'],
      [{ offset: 'x' }, 'query.offset'],
      [{ offset: '2.5' }, 'query.offset'],
      [{ sort: 'random' }, 'query.sort'],
    ] as const) {
      const response = await send(server(), 'GET', '/tasks', {
        query: { scope: sdk.scope as string, ...query },
      });
      expectError(response, 400, 'validation_failed', field);
    }
    const edge = await send(server(), 'GET', '/tasks', {
      query: { scope: sdk.scope as string, limit: 500, offset: 0 },
    });
    expect(edge.status).toBe(200);
    expect(edge.body).toMatchObject({ total: 1, limit: 500, offset: 0 });
  });

  test('unknown extra fields are ignored on every write route', async ({ scopedSdk: sdk }) => {
    const extra = { metadata: {}, priority_order: ['P0'], something_new: 1 };
    await sdk.tasks.create({ ...newTask('t-1'), ...extra } as never);
    await sdk.tasks.create({ ...newTask('t-2'), ...extra } as never);
    await sdk.tasks.update('t-1', { title: 'x', ...extra } as never);
    expect(await sdk.tasks.claim({ ...claimant, ...extra } as never)).toMatchObject({ id: 't-1' });
    await sdk.tasks.renewLease('t-1', { ...extra } as never);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1, ...extra } as never);
    await sdk.tasks.reject('t-1', { reason: 'r', ...extra } as never);
    await sdk.tasks.forceQueue('t-1', { queue: 'provisional', reason: 'r', ...extra } as never);
    await sdk.tasks.requeue('t-1', { ...extra } as never);
    await sdk.tasks.forceQueue('t-1', { queue: 'provisional', reason: 'r' });
    const done = await sdk.tasks.accept('t-1', { ...extra } as never);
    expect(done).not.toHaveProperty('metadata');
    expect(done.queue).toBe('done');
  });
});

describe('the scope of a request', () => {
  test('no scope is 400 scope_required, saying how to give one, on every route', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    for (const [method, path, valid] of ALL_ROUTES) {
      const response = await send(server(), method, path, valid ? { json: valid } : {});
      expectError(response, 400, 'scope_required', 'scope');
      expect(response.body.error).toContain('?scope=');
      expect(response.body.error).toContain('X-Octopoid-Scope');
      expect(response.body.error).toContain('"scope"');
    }
    // Empty values count as absent.
    const empty = await send(server(), 'GET', '/tasks', {
      query: { scope: '' },
      headers: { 'x-octopoid-scope': '' },
    });
    expectError(empty, 400, 'scope_required');
    expect(await state(sdk)).toEqual(before);
  });

  test('the scope may come from the query, the body or the header', async () => {
    const sdk = freshSdk();
    const scope = sdk.scope as string;
    const byHeader = await send(server(), 'POST', '/tasks', {
      headers: { 'X-Octopoid-Scope': scope },
      json: newTask('by-header'),
    });
    expect(byHeader.status).toBe(201);
    const byBody = await send(server(), 'POST', '/tasks', {
      json: { ...newTask('by-body'), scope },
    });
    expect(byBody.status).toBe(201);
    const all = await send(server(), 'POST', '/tasks', {
      query: { scope },
      headers: { 'x-octopoid-scope': scope },
      json: { ...newTask('by-all'), scope },
    });
    expect(all.status).toBe(201);
    expect((await sdk.tasks.list()).map((t) => t.scope)).toEqual([scope, scope, scope]);
  });

  test('invalid scope names are 400 naming where the scope came from', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const cases: [Parameters<typeof send>[3], string][] = [
      [{ query: { scope: 'has space' } }, 'query.scope'],
      [{ query: { scope: 'a/b' } }, 'query.scope'],
      [{ query: { scope: 'x'.repeat(129) } }, 'query.scope'],
      [{ query: { scope: 'ümlaut' } }, 'query.scope'],
      [{ headers: { 'x-octopoid-scope': 'semi;colon' } }, 'header.x-octopoid-scope'],
      [{ json: { ...newTask('t-9'), scope: 'a b' } }, 'scope'],
      [{ json: { ...newTask('t-9'), scope: 5 } }, 'scope'],
      [{ json: { ...newTask('t-9'), scope: ['s'] } }, 'scope'],
    ];
    for (const [request, field] of cases) {
      const response = await send(server(), 'POST', '/tasks', {
        json: newTask('t-9'),
        ...request,
      });
      expectError(response, 400, 'validation_failed', field);
    }
    const listed = await send(server(), 'GET', '/tasks', { query: { scope: 'bad scope' } });
    expectError(listed, 400, 'validation_failed', 'query.scope');
    expect(await state(sdk)).toEqual(before);
    // The longest valid name works.
    const longest = await send(server(), 'GET', '/tasks', { query: { scope: 'x'.repeat(128) } });
    expect(longest.status).toBe(200);
  });

  test('sources that disagree are 400 scope_mismatch, and nothing is written', async () => {
    const sdk = freshSdk();
    const before = await prepare(sdk);
    const scope = sdk.scope as string;
    const other = `${scope}-other`;
    const cases: Parameters<typeof send>[3][] = [
      { query: { scope }, headers: { 'x-octopoid-scope': other } },
      { query: { scope }, json: { scope: other } },
      { headers: { 'x-octopoid-scope': scope }, json: { scope: other } },
      { query: { scope: other }, headers: { 'x-octopoid-scope': scope }, json: { scope } },
    ];
    for (const [method, path, valid] of WRITE_ROUTES) {
      for (const request of cases) {
        const json = request?.json ? { ...valid, ...(request.json as object) } : valid;
        const response = await send(server(), method, path, { ...request, json });
        expectError(response, 400, 'scope_mismatch', 'scope');
        expect(response.body.error).toContain(scope);
        expect(response.body.error).toContain(other);
      }
    }
    const deleted = await send(server(), 'DELETE', '/tasks/t-1', {
      query: { scope },
      headers: { 'x-octopoid-scope': other },
    });
    expectError(deleted, 400, 'scope_mismatch');
    const repeated = await server().fetch(
      new URL(`/api/v1/tasks/t-1?scope=${scope}&scope=${other}`, server().url),
      { method: 'DELETE' },
    );
    expect(repeated.status).toBe(400);
    expect(await repeated.json()).toMatchObject({
      code: 'scope_mismatch',
      details: [{ field: 'query.scope' }],
    });
    expect(await state(sdk)).toEqual(before);
    expect(await other.length).toBeGreaterThan(0);
    expect(await sdk.withScope(other).tasks.list()).toEqual([]);
  });

  test('an unknown route under /api/v1 is 404 in the error shape', async () => {
    const sdk = freshSdk();
    const response = await send(server(), 'POST', '/tasks/t-1/explode', {
      query: { scope: sdk.scope as string },
      json: {},
    });
    expectError(response, 404, 'not_found');
  });
});
