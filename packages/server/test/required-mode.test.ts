import type { OctopoidSDK } from '@octopoid/sdk';
import {
  describe,
  expect,
  type InProcessServer,
  test,
  testDatabase,
} from '@octopoid/testing/vitest';
import { ADMIN_KEY, machine, withRequiredApp } from './auth-support.js';
import { expectError, newTask, send } from './tasks-support.js';

// Who may create or take a scope is decided by the middleware and the routes: every server
// here answers in process.

const admin = (server: InProcessServer, scope: string) => server.sdk(scope).withApiKey(ADMIN_KEY);

/** The admin registers the scope's first orchestrator; resolves a client holding its new key. */
async function keyedByAdmin(server: InProcessServer, scope: string): Promise<OctopoidSDK> {
  const registered = await admin(server, scope).orchestrators.register(machine('m1'));
  expect(registered.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
  return server.sdk(scope).withApiKey(registered.api_key as string);
}

const anonymousRegistration = (server: InProcessServer, scope: string) =>
  send(server, 'POST', '/orchestrators/register', {
    query: { scope },
    json: { cluster: 'x', machine_id: 'y' },
  });

const scopeNames = async (server: InProcessServer) =>
  (await server.sdk().withApiKey(ADMIN_KEY).scopes.list()).map((s) => s.scope);

describe('auth required: who may create a scope', () => {
  test('a key-less registration creates no scope; one made with the admin key gets the key', async () => {
    await withRequiredApp({}, async (server) => {
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => anonymousRegistration(server, `anon-${i}`)),
      );
      for (const response of attempts) {
        expectError(response, 401, 'unauthorized', 'header.authorization');
      }
      expect(await scopeNames(server)).toEqual([]);

      const keyed = await keyedByAdmin(server, 'team');
      await keyed.tasks.create(newTask('t-1'));
      expect((await keyed.tasks.get('t-1'))?.id).toBe('t-1');
      expect(await scopeNames(server)).toEqual(['team']);
    });
  });

  test('with open registration, a key-less registration takes only an empty scope', async () => {
    await withRequiredApp({ openRegistration: true }, async (server) => {
      const first = await anonymousRegistration(server, 'fresh');
      expect(first.status).toBe(201);
      expect(first.body.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
      expectError(await anonymousRegistration(server, 'fresh'), 401, 'unauthorized');
    });
  });
});

describe('auth required: a scope holding data never goes to a key-less registration', () => {
  test.for([false, true])(
    'a clone (open registration %s) is taken only with the admin key',
    async (openRegistration) => {
      await withRequiredApp({ openRegistration }, async (server) => {
        const prod = await keyedByAdmin(server, 'prod');
        await prod.tasks.create(newTask('t-1'));
        await admin(server, 'prod').scopes.clone('prod-fixture');

        const takeover = await anonymousRegistration(server, 'prod-fixture');
        expectError(takeover, 401, 'unauthorized', 'header.authorization');
        expect(takeover.body).not.toHaveProperty('api_key');
        expectError(
          await send(server, 'GET', '/tasks/t-1', { query: { scope: 'prod-fixture' } }),
          401,
          'unauthorized',
        );

        const fixture = await keyedByAdmin(server, 'prod-fixture');
        expect((await fixture.tasks.get('t-1'))?.scope).toBe('prod-fixture');
      });
    },
  );

  test('a merge into a new parent is taken only with the admin key', async () => {
    await withRequiredApp({ openRegistration: true }, async (server) => {
      const sandbox = await keyedByAdmin(server, 'sandbox');
      await sandbox.tasks.create(newTask('t-1'));
      await admin(server, 'sandbox').scopes.merge('main', { onConflict: 'fail' });

      expectError(await anonymousRegistration(server, 'main'), 401, 'unauthorized');
      const main = await keyedByAdmin(server, 'main');
      expect((await main.tasks.get('t-1'))?.scope).toBe('main');
    });
  });

  test('scopes written under auth off stay closed after a restart that requires keys', async ({
    onTestFinished,
  }) => {
    const database = await testDatabase({ persistent: true });
    onTestFinished(() => database.drop());

    await withRequiredApp(
      { auth: 'off' },
      async (server) => {
        await server.sdk('legacy').tasks.create(newTask('t-1'));
      },
      database,
    );
    await withRequiredApp(
      { openRegistration: true },
      async (server) => {
        expectError(await anonymousRegistration(server, 'legacy'), 401, 'unauthorized');
        expect((await anonymousRegistration(server, 'brand-new')).status).toBe(201);
        const legacy = await keyedByAdmin(server, 'legacy');
        expect((await legacy.tasks.get('t-1'))?.id).toBe('t-1');
      },
      database,
    );
  });
});
