import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { describe, expect, startTestServer, test } from '@octopoid/testing/vitest';
import { bearer, machine, registerFirst } from './auth-support.js';
import { expectError, newTask, send } from './tasks-support.js';

/** Runs `check` against a fresh server resolving scope-less by-id requests from the id. */
async function withLegacyServer(check: (url: string) => Promise<void>) {
  const server = await startTestServer({ legacyUnscopedIds: true });
  try {
    await check(server.url);
  } finally {
    await server.close();
  }
}

/**
 * Each addressable entity: how to create it in a scope (its key must come out the same in
 * every scope, so two scopes can hold it) and the path that then addresses it.
 */
const ENTITIES: [string, (sdk: OctopoidSDK) => Promise<string>][] = [
  [
    'tasks',
    async (sdk) => {
      await sdk.tasks.create(newTask('t-1'));
      return '/tasks/t-1';
    },
  ],
  [
    'projects',
    async (sdk) => {
      await sdk.projects.create({ id: 'p-1', title: 'P', branch: 'main' });
      return '/projects/p-1';
    },
  ],
  [
    'drafts',
    async (sdk) => `/drafts/${(await sdk.drafts.create({ title: 'D', author: 'me' })).id}`,
  ],
  [
    'flows',
    async (sdk) => {
      await sdk.flows.register('f-1', { states: ['incoming', 'claimed', 'done', 'failed'] });
      return '/flows/f-1';
    },
  ],
  [
    'orchestrators',
    async (sdk) => {
      await sdk.orchestrators.register(machine('m1'));
      return '/orchestrators/prod-m1';
    },
  ],
  [
    'roles',
    async (sdk) => {
      const { keyed } = await registerFirst(sdk);
      await keyed.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'review' }] });
      return '/roles/review';
    },
  ],
];

describe('legacy unscoped ids', () => {
  test.for(ENTITIES)(
    '%s: a by-id request naming no scope reaches the one scope holding the id',
    async ([, create]) => {
      await withLegacyServer(async (url) => {
        const path = await create(new OctopoidSDK({ serverUrl: url, scope: 'alpha' }));
        const response = await send(url, 'GET', path);
        expect(response.status, JSON.stringify(response.body)).toBe(200);
        expect(response.body.scope).toBe('alpha');
      });
    },
  );

  test.for(ENTITIES)('%s: answers 404 when no scope holds the id', async ([, create]) => {
    await withLegacyServer(async (url) => {
      const path = await create(new OctopoidSDK({ serverUrl: url, scope: 'alpha' }));
      const missing = path.replace(/[^/]+$/, '999');
      expectError(await send(url, 'GET', missing), 404, 'not_found');
    });
  });

  test.for(ENTITIES)(
    '%s: answers 409 ambiguous, naming the count, when several scopes hold the id',
    async ([, create]) => {
      await withLegacyServer(async (url) => {
        const scopes = ['alpha', 'beta', 'gamma'];
        const paths = await Promise.all(
          scopes.map((scope) => create(new OctopoidSDK({ serverUrl: url, scope }))),
        );
        expect(new Set(paths).size).toBe(1);
        const response = await send(url, 'GET', paths[0] as string);
        expectError(response, 409, 'ambiguous', 'scope');
        expect(response.body.error).toContain('3 scopes');
      });
    },
  );

  test('actions: a by-id request naming no scope reaches the action’s scope', async () => {
    await withLegacyServer(async (url) => {
      const sdk = new OctopoidSDK({ serverUrl: url, scope: 'alpha' });
      const action = await sdk.actions.create({
        entity_type: 'pr',
        entity_id: '7',
        label: 'Merge',
      });
      const executed = await send(url, 'POST', `/actions/${action.id}/execute`);
      expect(executed.status).toBe(200);
      expect(executed.body).toMatchObject({ scope: 'alpha', status: 'execute_requested' });
      expectError(await send(url, 'GET', '/actions/act-0-000000'), 404, 'not_found');
    });
  });

  test('the Python client’s scope-less DELETE and heartbeat work, and touch only that scope', async () => {
    await withLegacyServer(async (url) => {
      const alpha = new OctopoidSDK({ serverUrl: url, scope: 'alpha' });
      const beta = new OctopoidSDK({ serverUrl: url, scope: 'beta' });
      await alpha.tasks.create(newTask('t-1'));
      await beta.tasks.create(newTask('t-2'));
      const { keyed } = await registerFirst(alpha);

      expect((await send(url, 'DELETE', '/tasks/t-1')).status).toBe(200);
      expect(await alpha.tasks.get('t-1')).toBeNull();
      expect(await beta.tasks.get('t-2')).not.toBeNull();

      await keyed.testMode.clock.advance('1h');
      const heartbeat = await send(url, 'POST', '/orchestrators/prod-m1/heartbeat');
      expect(heartbeat.status).toBe(200);
      expect((await keyed.orchestrators.get('prod-m1'))?.last_heartbeat).toBe(
        heartbeat.body.last_heartbeat,
      );
    });
  });

  test('a key decides the scope, even when several scopes hold the id', async () => {
    await withLegacyServer(async (url) => {
      const alpha = new OctopoidSDK({ serverUrl: url, scope: 'alpha' });
      const beta = new OctopoidSDK({ serverUrl: url, scope: 'beta' });
      await alpha.tasks.create(newTask('t-1'));
      await beta.tasks.create(newTask('t-1'));
      const { apiKey } = await registerFirst(beta);

      expectError(await send(url, 'DELETE', '/tasks/t-1'), 409, 'ambiguous');
      expect((await send(url, 'DELETE', '/tasks/t-1', { headers: bearer(apiKey) })).status).toBe(
        200,
      );
      expect(await beta.tasks.get('t-1')).toBeNull();
      expect(await alpha.tasks.get('t-1')).not.toBeNull();
    });
  });

  test('a route’s literal segment is never looked up as an id, even when a task bears it', async () => {
    await withLegacyServer(async (url) => {
      await new OctopoidSDK({ serverUrl: url, scope: 'alpha' }).tasks.create(newTask('claim'));
      const claim = await send(url, 'POST', '/tasks/claim', {
        json: { orchestrator_id: 'o-1', agent_name: 'a-1' },
      });
      expectError(claim, 400, 'scope_required', 'scope');
      const task = await send(url, 'GET', '/tasks/claim');
      expect(task.status, JSON.stringify(task.body)).toBe(200);
      expect(task.body.scope).toBe('alpha');
    });
  });

  test('with a default scope too, what a scope-less client created there is found there first', async () => {
    await using server = await startServer({
      port: 0,
      legacyUnscopedIds: true,
      defaultScope: 'integration-test',
    });
    const { url } = server;
    const other = new OctopoidSDK({ serverUrl: url, scope: 'other' });
    const suite = new OctopoidSDK({ serverUrl: url, scope: 'integration-test' });
    await other.tasks.create(newTask('OT-1'));
    expect((await send(url, 'POST', '/tasks', { json: newTask('OT-1') })).status).toBe(201);

    const read = await send(url, 'GET', '/tasks/OT-1');
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: 'OT-1', scope: 'integration-test' });
    expect((await send(url, 'DELETE', '/tasks/OT-1')).status).toBe(200);
    expect(await suite.tasks.get('OT-1')).toBeNull();
    expect(await other.tasks.get('OT-1')).not.toBeNull();
  });

  test('a request naming its scope is unaffected', async () => {
    await withLegacyServer(async (url) => {
      await new OctopoidSDK({ serverUrl: url, scope: 'alpha' }).tasks.create(newTask('t-1'));
      expectError(
        await send(url, 'GET', '/tasks/t-1', { query: { scope: 'beta' } }),
        404,
        'not_found',
      );
      expectError(
        await send(url, 'POST', '/tasks', { json: newTask('t-2') }),
        400,
        'scope_required',
      );
    });
  });

  test('is off by default: a by-id request naming no scope gets 400', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    expectError(await send(serverUrl, 'DELETE', '/tasks/t-1'), 400, 'scope_required', 'scope');
    expect(await sdk.tasks.get('t-1')).not.toBeNull();
  });
});
