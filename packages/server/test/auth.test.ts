import { createHash } from 'node:crypto';
import { OctopoidSDK } from '@octopoid/sdk';
import {
  describe,
  expect,
  type InProcessServer,
  startInProcessServer,
  startPrivateServer,
  test,
} from '@octopoid/testing/vitest';
import { bearer, machine, registerFirst } from './auth-support.js';
import {
  expectError,
  expectSdkError,
  newTask,
  type RawResponse,
  send,
  type Target,
} from './tasks-support.js';

const UNKNOWN_KEY = `oct_${'a'.repeat(64)}`;

/**
 * Runs `check` against a fresh in-process server in `auth` mode, closing it afterwards: keys are
 * checked by the middleware, which a socket adds nothing to.
 */
async function withServer(
  auth: 'off' | 'optional' | 'required',
  check: (server: InProcessServer) => Promise<void>,
) {
  // Key-less first registrations are how these tests get keys; `required-mode.test.ts` covers
  // a server that keeps scope creation to the admin key.
  await using server = await startInProcessServer({
    testMode: true,
    auth,
    openRegistration: auth === 'required',
  });
  await check(server);
}

/** One harmless request per route family of `/api/v1`; `scope` undefined sends none. */
const FAMILIES = {
  tasks: ['GET', '/tasks'],
  orchestrators: ['GET', '/orchestrators'],
  roles: ['GET', '/roles'],
  projects: ['GET', '/projects'],
  drafts: ['GET', '/drafts'],
  flows: ['GET', '/flows'],
  messages: ['GET', '/messages'],
  actions: ['GET', '/actions'],
  scheduler: ['GET', '/scheduler/poll?orchestrator_id=prod-m1'],
  'test mode': ['GET', '/test/clock'],
} as const;

/** The status every family answers; `scope` undefined names no scope at all. */
async function familyStatuses(
  server: InProcessServer,
  scope: string | undefined,
  headers: Record<string, string> = {},
): Promise<Record<string, number>> {
  const entries = await Promise.all(
    Object.entries(FAMILIES).map(async ([family, [method, path]]) => {
      const url = new URL(`/api/v1${path}`, server.url);
      if (scope !== undefined) url.searchParams.set('scope', scope);
      const response = await server.fetch(url, { method, headers });
      await response.text();
      return [family, response.status] as const;
    }),
  );
  return Object.fromEntries(entries);
}

const everyFamily = (status: number) =>
  Object.fromEntries(Object.keys(FAMILIES).map((family) => [family, status]));

const purge = (server: Target, scope: string, headers: Record<string, string> = {}) =>
  send(server, 'DELETE', `/scopes/${scope}`, { headers });

describe('API keys', () => {
  test('the first registration issues oct_ + 64 hex, stored only as its SHA-256', async () => {
    const server = await startPrivateServer();
    try {
      const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'alpha' });
      const { apiKey, keyed } = await registerFirst(sdk);
      const rows = await server.store.db.selectFrom('api_keys').selectAll().execute();
      expect(rows).toEqual([
        {
          key_hash: createHash('sha256').update(apiKey).digest('hex'),
          scope: 'alpha',
          created_at: expect.stringMatching(/Z$/),
          last_used_at: null,
        },
      ]);

      await keyed.tasks.list();
      const [used] = await server.store.db.selectFrom('api_keys').selectAll().execute();
      expect(used?.last_used_at).toMatch(/Z$/);
    } finally {
      await server.close();
    }
  });

  test('a scope gets one key: later registrations with it answer none', async ({
    scopedSdk: sdk,
  }) => {
    const { keyed } = await registerFirst(sdk);
    expect(await keyed.orchestrators.register(machine('m2'))).not.toHaveProperty('api_key');
    expect(await keyed.orchestrators.register(machine('m1'))).not.toHaveProperty('api_key');
  });

  test('in optional mode a key-less registration joins a keyed scope and gets no key', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { keyed } = await registerFirst(sdk);
    const scope = sdk.scope as string;
    const register = (body: object) =>
      send(serverUrl, 'POST', '/orchestrators/register', {
        json: { cluster: 'c', repo_url: 'r', scope, ...body },
      });
    const fresh = await register({ machine_id: 'm2' });
    expect(fresh.status).toBe(201);
    expect(fresh.body).toMatchObject({ orchestrator_id: 'c-m2', status: 'active' });
    expect(fresh.body).not.toHaveProperty('api_key');
    const again = await register({ machine_id: 'm2', hostname: 'rebuilt' });
    expect(again.status).toBe(200);
    expect(again.body).not.toHaveProperty('api_key');
    expect(await sdk.orchestrators.register(machine('m1'))).not.toHaveProperty('api_key');
    expect(await keyed.orchestrators.get('c-m2')).toMatchObject({ hostname: 'rebuilt' });
    expect((await keyed.orchestrators.list()).map((o) => o.id).sort()).toEqual(['c-m2', 'prod-m1']);
  });

  test('a key of another scope cannot register, whatever the scope has', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    try {
      const { apiKey } = await registerFirst(other);
      await expectSdkError(
        sdk.withApiKey(apiKey).orchestrators.register(machine('m1')),
        403,
        'scope_mismatch',
      );
      expect(await sdk.orchestrators.list()).toEqual([]);
      await registerFirst(sdk);
      await expectSdkError(
        sdk.withApiKey(apiKey).orchestrators.register(machine('m2')),
        403,
        'scope_mismatch',
      );
    } finally {
      await other.scopes.purge();
    }
  });

  test('ten simultaneous first registrations issue exactly one key and never a 500', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        send(serverUrl, 'POST', '/orchestrators/register', {
          query: { scope: sdk.scope as string },
          json: machine(`m${i}`),
        }),
      ),
    );
    expect(responses.map((r) => r.status)).toEqual(Array(10).fill(201));
    const winners = responses.filter((r) => 'api_key' in r.body);
    expect(winners).toHaveLength(1);
    const apiKey = winners[0]?.body.api_key as string;
    expect(apiKey).toMatch(/^oct_[0-9a-f]{64}$/);
    const registered = await sdk.withApiKey(apiKey).orchestrators.list();
    expect(registered).toHaveLength(10);
  });

  test('a key names its scope: requests without one use it', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { apiKey, keyed } = await registerFirst(sdk);
    await keyed.tasks.create(newTask('t-1'));
    const response = await send(serverUrl, 'GET', '/tasks/t-1', { headers: bearer(apiKey) });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ id: 't-1', scope: sdk.scope });
    const created = await send(serverUrl, 'POST', '/tasks', {
      headers: bearer(apiKey),
      json: newTask('t-2'),
    });
    expect(created.body).toMatchObject({ id: 't-2', scope: sdk.scope });
  });

  test('a key refuses any other scope the request names, with 403 and no write', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { apiKey } = await registerFirst(sdk);
    const other = `${sdk.scope}-other`;
    const attempts: RawResponse[] = [
      await send(serverUrl, 'POST', '/tasks', {
        headers: bearer(apiKey),
        query: { scope: other },
        json: newTask('t-1'),
      }),
      await send(serverUrl, 'POST', '/tasks', {
        headers: bearer(apiKey),
        json: { ...newTask('t-1'), scope: other },
      }),
      await send(serverUrl, 'POST', '/tasks', {
        headers: { ...bearer(apiKey), 'x-octopoid-scope': other },
        json: newTask('t-1'),
      }),
      await purge(serverUrl, other, bearer(apiKey)),
    ];
    for (const response of attempts) expectError(response, 403, 'scope_mismatch', 'scope');
    expect(await sdk.withScope(other).tasks.list()).toEqual([]);
  });

  test.for([
    ['a scheme other than Bearer', 'Basic dXNlcjpwYXNz'],
    ['Bearer without a token', 'Bearer'],
    ['a token without oct_', `Bearer ${'a'.repeat(68)}`],
    ['a key of the wrong length', 'Bearer oct_abc'],
    ['a key in uppercase hex', `Bearer oct_${'A'.repeat(64)}`],
    ['an unknown key', `Bearer ${UNKNOWN_KEY}`],
  ] as const)(
    'answers 401 to %s, even for a scope without a key',
    async ([, authorization], { scopedSdk: sdk, serverUrl }) => {
      const response = await send(serverUrl, 'POST', '/tasks', {
        headers: { authorization },
        query: { scope: sdk.scope as string },
        json: newTask('t-1'),
      });
      expectError(response, 401, 'unauthorized', 'header.authorization');
      expect(await sdk.tasks.list()).toEqual([]);
    },
  );

  test('reads the Bearer scheme in any case', async ({ scopedSdk: sdk, serverUrl }) => {
    const { apiKey } = await registerFirst(sdk);
    for (const scheme of ['bearer', 'BEARER', 'BeArEr']) {
      const response = await send(serverUrl, 'GET', '/orchestrators', {
        headers: { authorization: `${scheme} ${apiKey}` },
      });
      expect(response.status, scheme).toBe(200);
      expect(response.body.total).toBe(1);
    }
  });
});

describe('POST /orchestrators/scopes/:scope/rotate-key', () => {
  test('answers a new key; the old one stops working at once', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { apiKey, keyed } = await registerFirst(sdk);
    const rotated = await keyed.orchestrators.rotateKey();
    expect(rotated).toEqual({
      api_key: expect.stringMatching(/^oct_[0-9a-f]{64}$/),
      scope: sdk.scope,
    });
    expect(rotated.api_key).not.toBe(apiKey);

    expectError(
      await send(serverUrl, 'GET', '/orchestrators', { headers: bearer(apiKey) }),
      401,
      'unauthorized',
    );
    await expectSdkError(keyed.orchestrators.rotateKey(), 401, 'unauthorized');
    expect(await sdk.withApiKey(rotated.api_key).orchestrators.list()).toHaveLength(1);
  });

  test('answers 401 without the current key', async ({ scopedSdk: sdk, serverUrl }) => {
    const { keyed } = await registerFirst(sdk);
    const response = await send(serverUrl, 'POST', `/orchestrators/scopes/${sdk.scope}/rotate-key`);
    expectError(response, 401, 'unauthorized', 'header.authorization');
    expect(await keyed.orchestrators.list()).toHaveLength(1);
  });

  test('answers 403 to another scope’s key, leaving the key in place', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { keyed } = await registerFirst(sdk);
    const other = await registerFirst(sdk.withScope(`${sdk.scope}-other`));
    const response = await send(
      serverUrl,
      'POST',
      `/orchestrators/scopes/${sdk.scope}/rotate-key`,
      {
        headers: bearer(other.apiKey),
      },
    );
    expectError(response, 403, 'scope_mismatch');
    expect(await keyed.orchestrators.list()).toHaveLength(1);
    await other.keyed.scopes.purge();
  });

  test('answers 404 on a server that does not use keys', async () => {
    await withServer('off', async (server) => {
      const response = await send(server, 'POST', '/orchestrators/scopes/alpha/rotate-key');
      expectError(response, 404, 'not_found');
    });
  });
});

describe('auth mode off', () => {
  test('ignores keys entirely and issues none', async () => {
    await withServer('off', async (server) => {
      const sdk = server.sdk('alpha');
      const first = await sdk.orchestrators.register(machine('m1'));
      expect(first).not.toHaveProperty('api_key');
      expect(await sdk.orchestrators.register(machine('m2'))).not.toHaveProperty('api_key');

      expect(await familyStatuses(server, 'alpha')).toEqual(everyFamily(200));
      const garbage = { authorization: 'Basic nonsense' };
      expect(await familyStatuses(server, 'alpha', garbage)).toEqual(everyFamily(200));
      expect(await familyStatuses(server, 'alpha', bearer(UNKNOWN_KEY))).toEqual(everyFamily(200));
      expect((await purge(server, 'alpha', garbage)).status).toBe(200);
    });
  });
});

describe('auth mode optional', () => {
  test('checks a key when one is sent, and lets key-less requests through', async () => {
    await withServer('optional', async (server) => {
      const alpha = await registerFirst(server.sdk('alpha'));
      const beta = await registerFirst(server.sdk('beta'));

      expect(await familyStatuses(server, 'alpha')).toEqual(everyFamily(200));
      expect(await familyStatuses(server, 'alpha', bearer(alpha.apiKey))).toEqual(everyFamily(200));
      expect(await familyStatuses(server, undefined, bearer(alpha.apiKey))).toEqual(
        everyFamily(200),
      );
      expect(await familyStatuses(server, 'alpha', bearer(UNKNOWN_KEY))).toEqual(everyFamily(401));
      expect(await familyStatuses(server, 'alpha', bearer(beta.apiKey))).toEqual(everyFamily(403));

      expect((await purge(server, 'alpha', bearer(UNKNOWN_KEY))).status).toBe(401);
      expect((await purge(server, 'alpha', bearer(beta.apiKey))).status).toBe(403);
      expect((await purge(server, 'alpha', bearer(alpha.apiKey))).status).toBe(200);
      expect((await purge(server, 'beta')).status).toBe(200);
    });
  });
});

describe('auth mode required', () => {
  test('every request carries its scope’s key; only a first registration may come without', async () => {
    await withServer('required', async (server) => {
      const alpha = await registerFirst(server.sdk('alpha'));
      const beta = await registerFirst(server.sdk('beta'));

      expect(await familyStatuses(server, 'alpha')).toEqual(everyFamily(401));
      expect(await familyStatuses(server, 'never-registered')).toEqual(everyFamily(401));
      expect(await familyStatuses(server, 'alpha', bearer(alpha.apiKey))).toEqual(everyFamily(200));
      expect(await familyStatuses(server, undefined, bearer(alpha.apiKey))).toEqual(
        everyFamily(200),
      );
      expect(await familyStatuses(server, 'alpha', bearer(UNKNOWN_KEY))).toEqual(everyFamily(401));
      expect(await familyStatuses(server, 'alpha', bearer(beta.apiKey))).toEqual(everyFamily(403));

      await expectSdkError(
        server.sdk('alpha').orchestrators.register(machine('m2')),
        401,
        'unauthorized',
      );
      expect(await alpha.keyed.orchestrators.register(machine('m2'))).toMatchObject({
        orchestrator_id: 'prod-m2',
      });

      expect((await purge(server, 'alpha')).status).toBe(401);
      expect((await purge(server, 'alpha', bearer(beta.apiKey))).status).toBe(403);
      expect((await purge(server, 'alpha', bearer(alpha.apiKey))).status).toBe(200);
    });
  });

  test.for(['off', 'optional', 'required'] as const)(
    'in mode %s, health, info and the API document need no key',
    async (auth) => {
      await withServer(auth, async (server) => {
        for (const path of ['/api/health', '/', '/openapi.json', '/docs']) {
          for (const headers of [{}, { authorization: 'Basic nonsense' }] as HeadersInit[]) {
            const response = await server.fetch(new URL(path, server.url), { headers });
            await response.text();
            expect(response.status, `${auth} ${path}`).toBe(200);
          }
        }
      });
    },
  );
});
