import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  type Fetch,
  OctopoidConnectionError,
  OctopoidError,
  OctopoidSDK,
  type OctopoidSDKOptions,
  OctopoidTimeoutError,
} from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main' });

/** A local HTTP server answering with `listener`; `close()` also drops open connections. */
async function localServer(listener: RequestListener) {
  const server: Server = createServer(listener);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The URL of a port nothing listens on. */
async function closedPortUrl(): Promise<string> {
  const server = await localServer(() => {});
  await server.close();
  return server.url;
}

/**
 * The real fetch, counting calls; the first `failures` calls fail the way fetch does when the
 * connection is refused.
 */
function countingFetch(failures = 0) {
  const counter = {
    calls: 0,
    fetch: ((input, init) => {
      counter.calls += 1;
      if (counter.calls <= failures) return Promise.reject(new TypeError('fetch failed'));
      return fetch(input, init);
    }) as Fetch,
  };
  return counter;
}

const clientOf = (sdk: OctopoidSDK, options: Partial<OctopoidSDKOptions>) =>
  new OctopoidSDK({ serverUrl: sdk.serverUrl, scope: sdk.scope, ...options });

describe('timeouts', () => {
  test('a request with no answer within timeoutMs throws OctopoidTimeoutError and is not retried', async ({
    scopedSdk,
  }) => {
    const silent = await localServer(() => {});
    try {
      const counter = countingFetch();
      const sdk = new OctopoidSDK({
        serverUrl: silent.url,
        scope: scopedSdk.scope,
        timeoutMs: 100,
        retries: 3,
        fetch: counter.fetch,
      });
      const error = await sdk.tasks.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OctopoidTimeoutError);
      expect(error).toMatchObject({ method: 'GET', path: '/api/v1/tasks', timeoutMs: 100 });
      expect(counter.calls).toBe(1);
    } finally {
      await silent.close();
    }
  });

  test('a response whose body stops arriving times out too', async ({ scopedSdk }) => {
    const stalling = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'application/json' });
      response.write('{"tasks": [');
    });
    try {
      const sdk = new OctopoidSDK({
        serverUrl: stalling.url,
        scope: scopedSdk.scope,
        timeoutMs: 100,
      });
      await expect(sdk.tasks.list()).rejects.toBeInstanceOf(OctopoidTimeoutError);
    } finally {
      await stalling.close();
    }
  });

  test('a custom fetch that ignores the abort signal still times out', async ({ scopedSdk }) => {
    const slowFetch: Fetch = async (input, init) => {
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      return fetch(input, { ...init, signal: null });
    };
    const sdk = clientOf(scopedSdk, { timeoutMs: 50, fetch: slowFetch });
    await expect(sdk.health.check()).rejects.toBeInstanceOf(OctopoidTimeoutError);
  });
});

describe('connection errors and retries', () => {
  test('an unreachable server throws OctopoidConnectionError after the retries', async ({
    scopedSdk,
  }) => {
    const counter = countingFetch();
    const sdk = new OctopoidSDK({
      serverUrl: await closedPortUrl(),
      scope: scopedSdk.scope,
      retries: 2,
      fetch: counter.fetch,
    });
    const error = await sdk.tasks.get('t-1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OctopoidConnectionError);
    expect(error).toMatchObject({ method: 'GET', path: '/api/v1/tasks/t-1' });
    expect((error as Error).cause).toBeInstanceOf(TypeError);
    expect(counter.calls).toBe(3);
  });

  test('a GET that fails to connect is retried and then succeeds', async ({ scopedSdk }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    const counter = countingFetch(2);
    const sdk = clientOf(scopedSdk, { retries: 2, fetch: counter.fetch });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1' });
    expect(counter.calls).toBe(3);
  });

  test('a DELETE that fails to connect is retried', async ({ scopedSdk }) => {
    await scopedSdk.tasks.create(newTask('t-1'));
    const counter = countingFetch(1);
    const sdk = clientOf(scopedSdk, { fetch: counter.fetch });
    expect(await sdk.tasks.delete('t-1')).toMatchObject({ task_id: 't-1' });
    expect(counter.calls).toBe(2);
  });

  test('a POST that fails to connect is not retried', async ({ scopedSdk }) => {
    const counter = countingFetch(1);
    const sdk = clientOf(scopedSdk, { retries: 5, fetch: counter.fetch });
    await expect(sdk.tasks.create(newTask('t-1'))).rejects.toBeInstanceOf(OctopoidConnectionError);
    expect(counter.calls).toBe(1);
    expect(await scopedSdk.tasks.get('t-1')).toBeNull();
  });

  test('retries: 0 sends an idempotent request once', async ({ scopedSdk }) => {
    const counter = countingFetch(1);
    const sdk = clientOf(scopedSdk, { retries: 0, fetch: counter.fetch });
    await expect(sdk.tasks.list()).rejects.toBeInstanceOf(OctopoidConnectionError);
    expect(counter.calls).toBe(1);
  });
});

describe('responses', () => {
  test('a success whose body is not JSON throws OctopoidError invalid_response', async ({
    scopedSdk,
  }) => {
    const html = await localServer((_request, response) => {
      response.writeHead(200, { 'content-type': 'text/html' });
      response.end('<html>a proxy page</html>');
    });
    try {
      const sdk = new OctopoidSDK({ serverUrl: html.url, scope: scopedSdk.scope });
      const error = await sdk.tasks.list().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(OctopoidError);
      expect(error).toMatchObject({ status: 200, code: 'invalid_response' });
    } finally {
      await html.close();
    }
  });

  test('an error body without the server’s shape still gives status and message', async ({
    scopedSdk,
  }) => {
    const proxy = await localServer((_request, response) => {
      response.writeHead(502, { 'content-type': 'text/plain' });
      response.end('bad gateway');
    });
    try {
      const sdk = new OctopoidSDK({ serverUrl: proxy.url, scope: scopedSdk.scope });
      const error = await sdk.tasks.list().catch((e: unknown) => e);
      expect(error).toMatchObject({
        status: 502,
        code: 'http_error',
        message: expect.stringContaining('bad gateway'),
      });
    } finally {
      await proxy.close();
    }
  });
});
