import { API_KEY_PATTERN } from '@octopoid/api/constants';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { machine, registerFirst } from './auth-support.js';
import { expectError, expectSdkError, send } from './tasks-support.js';

const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('POST /orchestrators/register', () => {
  test('answers 201 for a new orchestrator, with the scope’s first API key', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/orchestrators/register', {
      query: { scope: sdk.scope as string },
      // The Python client also sends `id` and `max_agents`; both are ignored.
      json: { ...machine('m1'), id: 'ignored', max_agents: 3, capabilities: { gpu: true } },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ orchestrator_id: 'prod-m1', status: 'active' });
    expect(response.body.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
    expect(response.body.registered_at).toMatch(ISO_Z);

    expect(await sdk.orchestrators.get('prod-m1')).toEqual({
      id: 'prod-m1',
      scope: sdk.scope,
      cluster: 'prod',
      machine_id: 'm1',
      repo_url: 'https://example.com/repo.git',
      hostname: null,
      version: null,
      capabilities: '{"gpu":true}',
      status: 'active',
      registered_at: response.body.registered_at,
      last_heartbeat: response.body.registered_at,
    });
  });

  test('answers 200 to a re-registration, which replaces the fields sent and reactivates', async ({
    scopedSdk: sdk,
  }) => {
    const { keyed } = await registerFirst(sdk);
    const first = await keyed.orchestrators.get('prod-m1');
    await keyed.orchestrators.setStatus('prod-m1', 'offline');
    await keyed.testMode.clock.advance('5s');

    const again = await keyed.orchestrators.register(
      machine('m1', {
        hostname: 'box-2',
        repo_url: 'https://example.com/other.git',
        version: '2.0',
        capabilities: '{"gpu":false}',
      }),
    );
    expect(again).toEqual({
      orchestrator_id: 'prod-m1',
      registered_at: first?.registered_at,
      status: 'active',
    });
    const after = await keyed.orchestrators.get('prod-m1');
    expect(after).toMatchObject({
      hostname: 'box-2',
      repo_url: 'https://example.com/other.git',
      version: '2.0',
      capabilities: '{"gpu":false}',
      status: 'active',
      registered_at: first?.registered_at,
    });
    expect(after?.last_heartbeat && after.last_heartbeat > (first?.last_heartbeat ?? '')).toBe(
      true,
    );

    await keyed.orchestrators.register({ cluster: 'prod', machine_id: 'm1', version: null });
    expect(await keyed.orchestrators.get('prod-m1')).toMatchObject({
      hostname: 'box-2',
      repo_url: 'https://example.com/other.git',
      version: null,
    });
  });

  test('registers without repo_url, as the Python client may', async ({ scopedSdk: sdk }) => {
    await sdk.orchestrators.register({ cluster: 'prod', machine_id: 'm1' });
    expect(await sdk.orchestrators.get('prod-m1')).toMatchObject({ repo_url: null });
  });

  test('refuses a second machine whose id would collide, changing nothing', async ({
    scopedSdk: sdk,
  }) => {
    const { keyed } = await registerFirst(sdk, 'b-c');
    const before = await keyed.orchestrators.get('prod-b-c');
    await expectSdkError(
      keyed.orchestrators.register({ cluster: 'prod-b', machine_id: 'c', hostname: 'x' }),
      409,
      'conflict',
      'machine_id',
    );
    expect(await keyed.orchestrators.get('prod-b-c')).toEqual(before);
    expect(await keyed.orchestrators.list()).toHaveLength(1);
  });

  test.for([
    ['cluster is missing', { machine_id: 'm1' }, 'cluster'],
    ['machine_id is missing', { cluster: 'prod' }, 'machine_id'],
    ['cluster is empty', { cluster: '', machine_id: 'm1' }, 'cluster'],
    ['machine_id has a slash', { cluster: 'prod', machine_id: 'a/b' }, 'machine_id'],
    ['machine_id is a number', { cluster: 'prod', machine_id: 7 }, 'machine_id'],
    ['capabilities is not JSON', { ...machine('m1'), capabilities: '{nope' }, 'capabilities'],
    ['hostname is an object', { ...machine('m1'), hostname: {} }, 'hostname'],
  ] as const)(
    'answers 400 naming %s, registering nothing',
    async ([, json, field], { scopedSdk: sdk, serverUrl }) => {
      const response = await send(serverUrl, 'POST', '/orchestrators/register', {
        query: { scope: sdk.scope as string },
        json,
      });
      expectError(response, 400, 'validation_failed', field);
      expect(await sdk.orchestrators.list()).toEqual([]);
    },
  );

  test('answers 400 to a malformed or non-object body', async ({ scopedSdk: sdk, serverUrl }) => {
    const query = { scope: sdk.scope as string };
    expectError(
      await send(serverUrl, 'POST', '/orchestrators/register', {
        query,
        raw: '{"cluster":',
        contentType: 'application/json',
      }),
      400,
      'malformed_json',
    );
    expectError(
      await send(serverUrl, 'POST', '/orchestrators/register', { query, json: ['prod', 'm1'] }),
      400,
      'validation_failed',
      'body',
    );
    expect(await sdk.orchestrators.list()).toEqual([]);
  });

  test('keeps orchestrators of the same id apart in different scopes', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.orchestrators.register(machine('m1', { hostname: 'mine' }));
    const theirs = await other.orchestrators.register(machine('m1', { hostname: 'theirs' }));
    expect(theirs.api_key).toMatch(API_KEY_PATTERN);
    expect(await sdk.orchestrators.get('prod-m1')).toMatchObject({
      scope: sdk.scope,
      hostname: 'mine',
    });
    expect(await other.orchestrators.get('prod-m1')).toMatchObject({
      scope: other.scope,
      hostname: 'theirs',
    });
    await other.withApiKey(theirs.api_key as string).scopes.purge();
  });
});

describe('POST /orchestrators/:id/heartbeat', () => {
  test('works with no body and uses the server clock', async ({ scopedSdk: sdk, serverUrl }) => {
    const { keyed } = await registerFirst(sdk);
    await keyed.testMode.clock.advance('1h');
    const response = await send(serverUrl, 'POST', '/orchestrators/prod-m1/heartbeat', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    const { now } = await keyed.testMode.clock.now();
    expect(response.body).toEqual({ success: true, last_heartbeat: expect.stringMatching(ISO_Z) });
    expect(response.body.last_heartbeat <= now).toBe(true);
    expect(Date.parse(now) - Date.parse(response.body.last_heartbeat)).toBeLessThan(60_000);
    expect((await keyed.orchestrators.get('prod-m1'))?.last_heartbeat).toBe(
      response.body.last_heartbeat,
    );
  });

  test('takes an empty body sent as application/json, as clients that set the type on every request send it', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await registerFirst(sdk);
    const query = { scope: sdk.scope as string };
    for (const raw of ['', '  \n']) {
      const response = await send(serverUrl, 'POST', '/orchestrators/prod-m1/heartbeat', {
        query,
        raw,
        contentType: 'application/json',
      });
      expect(response.status).toBe(200);
      expect(response.body).toMatchObject({ success: true });
    }
    await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
    await sdk.tasks.claim({ orchestrator_id: 'prod-m1', agent_name: 'agent-1' });
    const requeued = await send(serverUrl, 'POST', '/tasks/t-1/requeue', {
      query,
      raw: '',
      contentType: 'application/json',
    });
    expect(requeued.status).toBe(200);
    expect(requeued.body).toMatchObject({ id: 't-1', queue: 'incoming' });
  });

  test('ignores a timestamp the client sends', async ({ scopedSdk: sdk, serverUrl }) => {
    await registerFirst(sdk);
    const response = await send(serverUrl, 'POST', '/orchestrators/prod-m1/heartbeat', {
      query: { scope: sdk.scope as string },
      json: { timestamp: '1999-01-01 00:00:00' },
    });
    expect(response.status).toBe(200);
    expect(response.body.last_heartbeat).toMatch(/^20\d\d-.*Z$/);
  });

  test('brings an offline orchestrator back, but leaves maintenance alone', async ({
    scopedSdk: sdk,
  }) => {
    const { keyed } = await registerFirst(sdk);
    await keyed.orchestrators.register(machine('m2'));
    await keyed.orchestrators.setStatus('prod-m1', 'offline');
    await keyed.orchestrators.setStatus('prod-m2', 'maintenance');
    await keyed.orchestrators.heartbeat('prod-m1');
    await keyed.orchestrators.heartbeat('prod-m2');
    expect((await keyed.orchestrators.get('prod-m1'))?.status).toBe('active');
    expect((await keyed.orchestrators.get('prod-m2'))?.status).toBe('maintenance');
  });

  test('answers 404 for an unknown orchestrator', async ({ scopedSdk: sdk }) => {
    await expectSdkError(sdk.orchestrators.heartbeat('prod-nope'), 404, 'not_found');
  });
});

describe('GET /orchestrators', () => {
  test('lists the scope’s orchestrators, newest heartbeat first, with the total', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { keyed } = await registerFirst(sdk, 'm1');
    await keyed.orchestrators.register(machine('m2'));
    await keyed.orchestrators.register(machine('m3', { cluster: 'dev' }));
    await keyed.testMode.clock.advance('1s');
    await keyed.orchestrators.heartbeat('prod-m1');
    await sdk.withScope(`${sdk.scope}-other`).orchestrators.register(machine('m9'));

    const response = await send(serverUrl, 'GET', '/orchestrators', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    expect(response.body.total).toBe(3);
    expect(response.body.orchestrators.map((o: { id: string }) => o.id)[0]).toBe('prod-m1');
    expect(response.body.orchestrators.map((o: { id: string }) => o.id).sort()).toEqual([
      'dev-m3',
      'prod-m1',
      'prod-m2',
    ]);
    await sdk.withScope(`${sdk.scope}-other`).scopes.purge();
  });

  test('filters by cluster and by a comma list of statuses', async ({ scopedSdk: sdk }) => {
    const { keyed } = await registerFirst(sdk, 'm1');
    await keyed.orchestrators.register(machine('m2'));
    await keyed.orchestrators.register(machine('m3', { cluster: 'dev' }));
    await keyed.orchestrators.setStatus('prod-m2', 'maintenance');
    await keyed.orchestrators.setStatus('dev-m3', 'offline');
    const ids = async (filters: Parameters<typeof keyed.orchestrators.list>[0]) =>
      (await keyed.orchestrators.list(filters)).map((o) => o.id).sort();
    expect(await ids({ cluster: 'prod' })).toEqual(['prod-m1', 'prod-m2']);
    expect(await ids({ status: ['maintenance', 'offline'] })).toEqual(['dev-m3', 'prod-m2']);
    expect(await ids({ cluster: 'prod', status: 'active' })).toEqual(['prod-m1']);
  });
});

describe('GET and PATCH /orchestrators/:id', () => {
  test('answer 404 for an unknown orchestrator', async ({ scopedSdk: sdk }) => {
    expect(await sdk.orchestrators.get('prod-nope')).toBeNull();
    await expectSdkError(sdk.orchestrators.setStatus('prod-nope', 'offline'), 404, 'not_found');
  });

  test('PATCH sets each valid status', async ({ scopedSdk: sdk }) => {
    const { keyed } = await registerFirst(sdk);
    for (const status of ['maintenance', 'offline', 'active'] as const) {
      expect(await keyed.orchestrators.setStatus('prod-m1', status)).toMatchObject({
        id: 'prod-m1',
        status,
      });
    }
  });

  test.for([
    ['an unknown status', { status: 'sleeping' }],
    ['no status', {}],
    ['a numeric status', { status: 1 }],
  ] as const)(
    'PATCH answers 400 naming status for %s, changing nothing',
    async ([, json], { scopedSdk: sdk, serverUrl }) => {
      await sdk.orchestrators.register(machine('m1'));
      const before = await sdk.orchestrators.get('prod-m1');
      const response = await send(serverUrl, 'PATCH', '/orchestrators/prod-m1', {
        query: { scope: sdk.scope as string },
        json,
      });
      expectError(response, 400, 'validation_failed', 'status');
      expect(await sdk.orchestrators.get('prod-m1')).toEqual(before);
    },
  );
});

describe('orchestrators of another scope', () => {
  test('answer 404 on every by-id route and stay unchanged', async ({ scopedSdk: sdk }) => {
    const owner = sdk.withScope(`${sdk.scope}-owner`);
    const { keyed } = await registerFirst(owner);
    const before = await keyed.orchestrators.get('prod-m1');

    expect(await sdk.orchestrators.get('prod-m1')).toBeNull();
    await expectSdkError(sdk.orchestrators.heartbeat('prod-m1'), 404, 'not_found');
    await expectSdkError(sdk.orchestrators.setStatus('prod-m1', 'offline'), 404, 'not_found');
    expect(await sdk.orchestrators.list()).toEqual([]);

    expect(await keyed.orchestrators.get('prod-m1')).toEqual(before);
    await keyed.scopes.purge();
  });
});

describe('the background sweep', () => {
  test('marks an orchestrator offline once its scope’s clock passes 120 s of silence', async ({
    scopedSdk: sdk,
    expect,
  }) => {
    const { keyed } = await registerFirst(sdk);
    const bystander = sdk.withScope(`${sdk.scope}-bystander`);
    await bystander.orchestrators.register(machine('m1'));

    await keyed.testMode.clock.advance('119s');
    await keyed.orchestrators.register(machine('m2'));
    await keyed.testMode.clock.advance('2s');

    await expect
      .poll(async () => (await keyed.orchestrators.get('prod-m1'))?.status, { timeout: 10_000 })
      .toBe('offline');
    expect((await keyed.orchestrators.get('prod-m2'))?.status).toBe('active');
    expect((await bystander.orchestrators.get('prod-m1'))?.status).toBe('active');
    await bystander.scopes.purge();
  });
});
