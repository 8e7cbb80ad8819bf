import { request } from 'node:http';
import { startServer } from '@octopoid/server';
import {
  describe,
  expect,
  type InProcessServer,
  startInProcessServer,
  startPrivateServer,
  test,
} from '@octopoid/testing/vitest';
import { newTask } from './tasks-support.js';

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  // biome-ignore lint/suspicious/noExplicitAny: tests read fields of any route's JSON body
  body: any;
}

/**
 * One raw HTTP request: unlike `fetch`, it sends the `Host` and `Origin` headers given, as a
 * browser under DNS rebinding or on another origin would.
 */
function raw(
  serverUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<Answer> {
  const url = new URL(path, serverUrl);
  const body = json === undefined ? undefined : JSON.stringify(json);
  return new Promise((resolve, reject) => {
    const req = request(
      {
        hostname: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...headers },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => {
          text += chunk;
        });
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            headers: res.headers,
            body: text ? JSON.parse(text) : undefined,
          }),
        );
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

/**
 * The same request handed to an in-process server, for answers that depend on headers the
 * middleware reads and not on the socket (`Origin`, CORS).
 */
async function inProcess(
  server: InProcessServer,
  method: string,
  path: string,
  headers: Record<string, string>,
  json?: unknown,
): Promise<Answer> {
  const response = await server.fetch(new URL(path, server.url), {
    method,
    headers: { ...(json === undefined ? {} : { 'content-type': 'application/json' }), ...headers },
    ...(json === undefined ? {} : { body: JSON.stringify(json) }),
  });
  const text = await response.text();
  const answered: Answer['headers'] = {};
  response.headers.forEach((value, name) => {
    answered[name] = value;
  });
  return {
    status: response.status,
    headers: answered,
    body: text ? JSON.parse(text) : undefined,
  };
}

const EVIL = 'https://evil.example';

describe('browsers of other origins', () => {
  test('are refused by default, before any route runs, and read no CORS grant', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const path = `/api/v1/tasks?scope=${sdk.scope}`;
    const write = await raw(serverUrl, 'POST', path, { origin: EVIL }, newTask('t-1'));
    expect(write.status).toBe(403);
    expect(write.body).toMatchObject({
      code: 'forbidden',
      details: [{ field: 'header.origin' }],
    });
    expect(write.headers['access-control-allow-origin']).toBeUndefined();

    const preflight = await raw(serverUrl, 'OPTIONS', path, {
      origin: EVIL,
      'access-control-request-method': 'DELETE',
    });
    expect(preflight.status).toBe(403);
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
    expect(await sdk.tasks.list()).toEqual([]);
  });

  test('of the server’s own origin are served', async ({ scopedSdk: sdk, serverUrl }) => {
    const own = new URL(serverUrl).origin;
    const path = `/api/v1/tasks?scope=${sdk.scope}`;
    expect((await raw(serverUrl, 'POST', path, { origin: own }, newTask('t-1'))).status).toBe(201);
    expect((await sdk.tasks.list()).map((t) => t.id)).toEqual(['t-1']);
  });

  test('of an origin given with corsOrigins get CORS answers naming that origin only', async () => {
    const app = 'https://app.example.com';
    await using server = await startInProcessServer({ corsOrigins: [app] });
    const path = '/api/v1/tasks?scope=cors';
    const preflight = await inProcess(server, 'OPTIONS', path, {
      origin: app,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type',
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(app);
    expect(preflight.headers['access-control-allow-headers']).toContain('content-type');

    const created = await inProcess(server, 'POST', path, { origin: app }, newTask('t-1'));
    expect(created.status).toBe(201);
    expect(created.headers['access-control-allow-origin']).toBe(app);
    expect((await inProcess(server, 'GET', path, { origin: EVIL })).status).toBe(403);
  });

  test.for(['*', 'https://app.example.com/', 'app.example.com', 'null'])(
    'corsOrigins %j is refused at start',
    async (origin) => {
      await expect(
        startServer({ port: 0, corsOrigins: [origin], logLevel: 'silent' }),
      ).rejects.toThrow(/corsOrigin .* must be an origin/);
    },
  );
});

describe('the Host header of a server bound to loopback', () => {
  test.for(['evil.example:8787', 'evil.example', '10.0.0.1', '127.0.0.1.evil.example'])(
    'naming %s is refused with 403 on every path',
    async (host, { scopedSdk: sdk, serverUrl }) => {
      for (const path of ['/api/health', `/api/v1/tasks?scope=${sdk.scope}`]) {
        const answer = await raw(serverUrl, 'GET', path, { host });
        expect(answer.status, path).toBe(403);
        expect(answer.body).toMatchObject({
          code: 'forbidden',
          details: [{ field: 'header.host' }],
        });
      }
      const write = await raw(
        serverUrl,
        'POST',
        `/api/v1/tasks?scope=${sdk.scope}`,
        { host },
        newTask('t-1'),
      );
      expect(write.status).toBe(403);
      expect(await sdk.tasks.list()).toEqual([]);
    },
  );

  test.for([
    'localhost',
    'localhost:1234',
    '127.0.0.1',
    '127.0.0.2:80',
    '[::1]:8787',
    'app.localhost',
  ])('naming this machine (%s) is served', async (host, { serverUrl }) => {
    expect((await raw(serverUrl, 'GET', '/api/health', { host })).status).toBe(200);
  });

  test('is not checked when the server listens on every interface', async () => {
    await using server = await startPrivateServer({ host: '0.0.0.0' });
    const url = `http://127.0.0.1:${server.port}`;
    expect((await raw(url, 'GET', '/api/health', { host: 'queue.internal:8787' })).status).toBe(
      200,
    );
  });
});
