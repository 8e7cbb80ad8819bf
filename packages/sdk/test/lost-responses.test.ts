import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Fetch,
  OctopoidConnectionError,
  OctopoidError,
  OctopoidSDK,
  type OctopoidSDKOptions,
} from '@octopoid/sdk';
import { createMockFetch, describe, expect, mockReplies, test } from '@octopoid/testing/vitest';

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main' });
const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' };

/**
 * The real fetch, except that the first request matching `method` reaches the server and its
 * answer is then lost, the way a connection reset after the server acted loses it.
 */
function losingFirstAnswer(method: string) {
  const sent: { method: string; idempotencyKey: string | null }[] = [];
  let lost = false;
  const fetchWithLoss: Fetch = async (input, init) => {
    const headers = new Headers(init?.headers);
    sent.push({ method: init?.method ?? 'GET', idempotencyKey: headers.get('idempotency-key') });
    const response = await fetch(input, init);
    if (lost || init?.method !== method) return response;
    lost = true;
    await response.arrayBuffer();
    throw new TypeError('fetch failed', { cause: new Error('socket hang up') });
  };
  return { fetch: fetchWithLoss, sent };
}

const clientOf = (sdk: OctopoidSDK, options: Partial<OctopoidSDKOptions>) =>
  new OctopoidSDK({ serverUrl: sdk.serverUrl, scope: sdk.scope, ...options });

describe('lost answers', () => {
  test('a DELETE whose answer was lost is retried and resolves, though the retry finds nothing', async ({
    scopedSdk,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    const transport = losingFirstAnswer('DELETE');
    const sdk = clientOf(scopedSdk, { fetch: transport.fetch });
    await expect(sdk.tasks.delete('t-1')).resolves.toEqual({
      message: 'task t-1 deleted',
      task_id: 't-1',
    });
    expect(transport.sent.map((send) => send.method)).toEqual(['DELETE', 'DELETE']);
    expect(await scopedSdk.tasks.get('t-1')).toBeNull();
  });

  test('a DELETE of something that never existed still throws 404', async ({ scopedSdk: sdk }) => {
    await expect(sdk.tasks.delete('t-404')).rejects.toMatchObject({ status: 404 });
  });

  test('a claim whose answer was lost is retried with its key and gets the task it claimed', async ({
    scopedSdk,
  }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    await scopedSdk.tasks.create(newTask('t-2'));
    const transport = losingFirstAnswer('POST');
    const sdk = clientOf(scopedSdk, { fetch: transport.fetch });
    const claimed = await sdk.tasks.claim(claimant);
    expect(claimed).toMatchObject({ queue: 'claimed', claimed_by: 'agent-1' });
    const [first, retry] = transport.sent;
    expect(first?.idempotencyKey).toMatch(/^[0-9a-f-]{36}$/);
    expect(retry?.idempotencyKey).toBe(first?.idempotencyKey);
    const claimedTasks = await scopedSdk.tasks.list({ queue: 'claimed' });
    expect(claimedTasks.map((task) => task.id)).toEqual([claimed?.id]);
    // A new call is a new claim.
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ queue: 'claimed' });
    expect(await scopedSdk.tasks.list({ queue: 'incoming' })).toEqual([]);
  });

  test('the server refuses an idempotency key it cannot use, naming the header', async ({
    scopedSdk: sdk,
  }) => {
    const raw = await fetch(`${sdk.serverUrl}/api/v1/tasks/claim?scope=${sdk.scope}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'idempotency-key': 'x'.repeat(201) },
      body: JSON.stringify(claimant),
    });
    expect(raw.status).toBe(400);
    expect(await raw.json()).toMatchObject({ details: [{ field: 'Idempotency-Key' }] });
  });
});

describe('claim answers', () => {
  test('a 404 or 429 that is not the server’s own claim answer throws', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    const wrongBase = clientOf(sdk, { serverUrl: `${sdk.serverUrl}/octopoid` });
    await expect(wrongBase.tasks.claim(claimant)).rejects.toMatchObject({
      status: 404,
      message: expect.stringContaining('no route POST /octopoid/api/v1/tasks/claim'),
    });
    await scope.faults.add({ path: '/api/v1/tasks/claim', status: 429, times: 1 });
    await expect(sdk.tasks.claim(claimant)).rejects.toMatchObject({ status: 429 });
    await expect(sdk.tasks.claim(claimant)).resolves.toBeNull();
  });
});

describe('cancellation', () => {
  test('an aborted signal rejects with its reason before anything is sent', async ({
    scopedSdk,
  }) => {
    let sends = 0;
    const counting: Fetch = (input, init) => {
      sends += 1;
      return fetch(input, init);
    };
    const controller = new AbortController();
    controller.abort(new Error('shutting down'));
    const sdk = clientOf(scopedSdk, { fetch: counting }).withSignal(controller.signal);
    await expect(sdk.tasks.list()).rejects.toThrow('shutting down');
    expect(sends).toBe(0);
  });

  test('aborting a request in flight rejects with the reason, sent once, not retried', async ({
    scopedSdk,
    scope,
  }) => {
    await scope.faults.add({ path: '/api/v1/tasks', delayMs: 10_000 });
    let sends = 0;
    const counting: Fetch = (input, init) => {
      sends += 1;
      return fetch(input, init);
    };
    const controller = new AbortController();
    const sdk = clientOf(scopedSdk, { fetch: counting, signal: controller.signal });
    const listing = sdk.tasks.list().catch((error: unknown) => error);
    await expect.poll(async () => (await scope.faults.list())[0]?.fired).toBe(1);
    controller.abort();
    const error = await listing;
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(sends).toBe(1);
  });

  test('an abort surfacing through a custom fetch is an abort, not a connection error', async ({
    scopedSdk,
  }) => {
    const controller = new AbortController();
    let sends = 0;
    const abortingFetch: Fetch = async () => {
      sends += 1;
      controller.abort();
      throw new DOMException('This operation was aborted', 'AbortError');
    };
    const sdk = clientOf(scopedSdk, { fetch: abortingFetch, signal: controller.signal });
    const error = await sdk.tasks.list().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(OctopoidConnectionError);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(sends).toBe(1);
  });

  test('a per-call signal aborts that call in flight, sent once; the client’s other calls go on', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await scope.faults.add({ method: 'GET', path: '/api/v1/tasks', delayMs: 10_000, times: 1 });
    const mock = createMockFetch({ routes: [] });
    const client = clientOf(sdk, { fetch: mock });
    const controller = new AbortController();
    const listing = client.tasks.list({}, { signal: controller.signal }).catch((e: unknown) => e);
    await expect.poll(async () => (await scope.faults.list())[0]?.fired).toBe(1);
    controller.abort();
    const error = await listing;
    expect(error).toBeInstanceOf(DOMException);
    expect(error).toMatchObject({ name: 'AbortError' });
    expect(mock.calls).toEqual([{ method: 'GET', path: '/api/v1/tasks', mocked: false }]);
    expect(await client.tasks.get('t-1')).toMatchObject({ id: 't-1' });
  });

  test('a per-call signal aborted during a claim’s retry pause ends it with its reason, not retried', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const controller = new AbortController();
    const reset = mockReplies.connectionReset();
    const mock = createMockFetch({
      routes: [
        {
          method: 'POST',
          path: '/api/v1/tasks/claim',
          reply: (request, forward) => {
            controller.abort(new Error('agent stopping'));
            return reset(request, forward);
          },
        },
      ],
    });
    const client = clientOf(sdk, { fetch: mock, retries: 3 });
    await expect(client.tasks.claim(claimant, { signal: controller.signal })).rejects.toThrow(
      'agent stopping',
    );
    expect(mock.calls).toHaveLength(1);
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'incoming' });
  });

  test('an AbortError a custom fetch raises on its own is an abort: passed on, never retried', async ({
    scopedSdk: sdk,
  }) => {
    const mock = createMockFetch({
      routes: [
        {
          path: '/api/v1/tasks',
          reply: async () => {
            throw new DOMException('The operation was aborted due to timeout', 'TimeoutError');
          },
        },
      ],
    });
    const client = clientOf(sdk, { fetch: mock, retries: 3 });
    const error = await client.tasks.list().catch((e: unknown) => e);
    expect(error).not.toBeInstanceOf(OctopoidConnectionError);
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(mock.calls).toHaveLength(1);
  });
});

describe('error messages', () => {
  test('a refused connection names the method, URL, host, port and system error', async () => {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    await new Promise((resolve) => server.close(resolve));
    const sdk = new OctopoidSDK({ serverUrl: `http://127.0.0.1:${port}`, scope: 's', retries: 0 });
    const error = await sdk.tasks.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctopoidConnectionError);
    expect((error as Error).message).toBe(
      `GET http://127.0.0.1:${port}/api/v1/tasks?scope=s: could not reach the server at 127.0.0.1:${port} (ECONNREFUSED)`,
    );
  });

  test('a long error body is cut to a readable length', async ({ scopedSdk: sdk, scope }) => {
    await scope.faults.add({
      path: '/api/v1/tasks',
      status: 502,
      body: `<p>${'x'.repeat(5_000)}</p>`,
    });
    const error = (await sdk.tasks.list().catch((e: unknown) => e)) as OctopoidError;
    expect(error).toBeInstanceOf(OctopoidError);
    expect(error.message.length).toBeLessThan(600);
    expect(error.message).toMatch(/… \(4707 more characters\)$/);
    expect(error.url).toBe(
      `${sdk.serverUrl}/api/v1/tasks?${new URLSearchParams({ scope: sdk.scope as string })}`,
    );
  });

  test('a 421 answer is reported, not sent again behind the caller’s back', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await scope.faults.add({ method: 'POST', path: '/api/v1/tasks', status: 421, times: 1 });
    await expect(sdk.tasks.create(newTask('t-1'))).rejects.toMatchObject({ status: 421 });
    expect(await scope.faults.list()).toMatchObject([{ fired: 1 }]);
    expect(await sdk.tasks.get('t-1')).toBeNull();
  });

  test('a 407 passed on by a custom fetch is reported as proxy authentication, named, not retried', async ({
    scopedSdk: sdk,
  }) => {
    const mock = createMockFetch({
      routes: [{ path: '/api/v1/tasks', reply: mockReplies.proxyAuthenticationRequired() }],
    });
    const client = clientOf(sdk, { fetch: mock, retries: 3 });
    const error = await client.tasks.list().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctopoidError);
    const { host } = new URL(sdk.serverUrl);
    const url = `${sdk.serverUrl}/api/v1/tasks?${new URLSearchParams({ scope: sdk.scope as string })}`;
    expect(error).toMatchObject({
      status: 407,
      code: 'proxy_authentication_required',
      method: 'GET',
      url,
    });
    expect((error as Error).message).toBe(
      `GET ${url} → 407 proxy_authentication_required: proxy authentication required: a proxy ` +
        `between this client and ${host} refused the request (Proxy-Authenticate: Basic realm="proxy")`,
    );
    expect(mock.calls).toHaveLength(1);
  });

  test('another answer not from the server keeps its status and text and names where it came from', async ({
    scopedSdk: sdk,
  }) => {
    const mock = createMockFetch({
      routes: [
        {
          method: 'POST',
          path: '/api/v1/tasks',
          reply: async () => new Response('upstream connect error', { status: 503 }),
        },
      ],
    });
    const client = clientOf(sdk, { fetch: mock });
    const { host } = new URL(sdk.serverUrl);
    await expect(client.tasks.create(newTask('t-1'))).rejects.toMatchObject({
      status: 503,
      code: 'http_error',
      message: expect.stringContaining(
        `503 http_error: not the Octopoid server's answer (from ${host}): upstream connect error`,
      ),
    });
  });

  test('a 407 that Node’s fetch turns into a bare failure is named as a likely cause', async () => {
    const proxy = createServer((_request, response) => {
      response.writeHead(407, { 'proxy-authenticate': 'Basic' }).end();
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const { port } = proxy.address() as AddressInfo;
    try {
      const sdk = new OctopoidSDK({
        serverUrl: `http://127.0.0.1:${port}`,
        scope: 's',
        retries: 0,
      });
      await expect(sdk.tasks.list()).rejects.toThrow(
        `GET http://127.0.0.1:${port}/api/v1/tasks?scope=s: no usable answer from 127.0.0.1:${port} ` +
          '(fetch failed; a proxy asking for authentication, 407, ends this way)',
      );
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });
});
