import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test, testDatabase } from '@octopoid/testing/vitest';
import { ADMIN_KEY, machine, withRequiredServer } from './auth-support.js';
import { expectError, newTask, send } from './tasks-support.js';

const admin = (serverUrl: string, scope: string) =>
  new OctopoidSDK({ serverUrl, scope, apiKey: ADMIN_KEY });

/** The admin registers the scope's first orchestrator; resolves a client holding its new key. */
async function keyedByAdmin(serverUrl: string, scope: string): Promise<OctopoidSDK> {
  const registered = await admin(serverUrl, scope).orchestrators.register(machine('m1'));
  expect(registered.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
  return new OctopoidSDK({ serverUrl, scope, apiKey: registered.api_key as string });
}

const anonymousRegistration = (serverUrl: string, scope: string) =>
  send(serverUrl, 'POST', '/orchestrators/register', {
    query: { scope },
    json: { cluster: 'x', machine_id: 'y' },
  });

const scopeNames = async (serverUrl: string) =>
  (await new OctopoidSDK({ serverUrl, apiKey: ADMIN_KEY }).scopes.list()).map((s) => s.scope);

describe('auth required: who may create a scope', () => {
  test('a key-less registration creates no scope; one made with the admin key gets the key', async () => {
    await withRequiredServer({}, async ({ url }) => {
      const attempts = await Promise.all(
        Array.from({ length: 20 }, (_, i) => anonymousRegistration(url, `anon-${i}`)),
      );
      for (const response of attempts) {
        expectError(response, 401, 'unauthorized', 'header.authorization');
      }
      expect(await scopeNames(url)).toEqual([]);

      const keyed = await keyedByAdmin(url, 'team');
      await keyed.tasks.create(newTask('t-1'));
      expect((await keyed.tasks.get('t-1'))?.id).toBe('t-1');
      expect(await scopeNames(url)).toEqual(['team']);
    });
  });

  test('with open registration, a key-less registration takes only an empty scope', async () => {
    await withRequiredServer({ openRegistration: true }, async ({ url }) => {
      const first = await anonymousRegistration(url, 'fresh');
      expect(first.status).toBe(201);
      expect(first.body.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
      expectError(await anonymousRegistration(url, 'fresh'), 401, 'unauthorized');
    });
  });
});

describe('auth required: a scope holding data never goes to a key-less registration', () => {
  test.for([false, true])(
    'a clone (open registration %s) is taken only with the admin key',
    async (openRegistration) => {
      await withRequiredServer({ openRegistration }, async ({ url }) => {
        const prod = await keyedByAdmin(url, 'prod');
        await prod.tasks.create(newTask('t-1'));
        await admin(url, 'prod').scopes.clone('prod-fixture');

        const takeover = await anonymousRegistration(url, 'prod-fixture');
        expectError(takeover, 401, 'unauthorized', 'header.authorization');
        expect(takeover.body).not.toHaveProperty('api_key');
        expectError(
          await send(url, 'GET', '/tasks/t-1', { query: { scope: 'prod-fixture' } }),
          401,
          'unauthorized',
        );

        const fixture = await keyedByAdmin(url, 'prod-fixture');
        expect((await fixture.tasks.get('t-1'))?.scope).toBe('prod-fixture');
      });
    },
  );

  test('a merge into a new parent is taken only with the admin key', async () => {
    await withRequiredServer({ openRegistration: true }, async ({ url }) => {
      const sandbox = await keyedByAdmin(url, 'sandbox');
      await sandbox.tasks.create(newTask('t-1'));
      await admin(url, 'sandbox').scopes.merge('main', { onConflict: 'fail' });

      expectError(await anonymousRegistration(url, 'main'), 401, 'unauthorized');
      const main = await keyedByAdmin(url, 'main');
      expect((await main.tasks.get('t-1'))?.scope).toBe('main');
    });
  });

  test('scopes written under auth off stay closed after a restart that requires keys', async ({
    onTestFinished,
  }) => {
    const database = await testDatabase({ persistent: true });
    onTestFinished(() => database.drop());

    await withRequiredServer(
      { auth: 'off' },
      async ({ url }) => {
        await new OctopoidSDK({ serverUrl: url, scope: 'legacy' }).tasks.create(newTask('t-1'));
      },
      database,
    );
    await withRequiredServer(
      { openRegistration: true },
      async ({ url }) => {
        expectError(await anonymousRegistration(url, 'legacy'), 401, 'unauthorized');
        expect((await anonymousRegistration(url, 'brand-new')).status).toBe(201);
        const legacy = await keyedByAdmin(url, 'legacy');
        expect((await legacy.tasks.get('t-1'))?.id).toBe('t-1');
      },
      database,
    );
  });
});
