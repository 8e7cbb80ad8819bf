import { OctopoidError, OctopoidSDK, OctopoidTimeoutError } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { neighbourScope, newTask, taskAwaitingReview } from './support.js';

describe('fault rules', () => {
  test('a rule fires as often as its times say, and only in its own scope', async ({
    scopedSdk: sdk,
    scope,
    onTestFinished,
  }) => {
    const neighbour = neighbourScope(sdk, onTestFinished);
    const rule = await scope.faults.add({
      method: 'POST',
      path: '/api/v1/tasks',
      status: 503,
      times: 2,
    });
    expect(rule).toMatchObject({ id: expect.any(String), status: 503, times: 2, fired: 0 });

    await expect(neighbour.tasks.create(newTask('t-1'))).resolves.toMatchObject({ id: 't-1' });
    for (const attempt of [1, 2]) {
      const failure = await sdk.tasks.create(newTask('t-1')).catch((error: unknown) => error);
      expect(failure, `attempt ${attempt}`).toBeInstanceOf(OctopoidError);
      expect(failure).toMatchObject({ status: 503, code: 'service_unavailable' });
    }
    await expect(sdk.tasks.create(newTask('t-1'))).resolves.toMatchObject({ scope: sdk.scope });
    expect(await scope.faults.list()).toEqual([{ ...rule, fired: 2 }]);
  });

  test('a faulted request changes nothing on the server and names its rule', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const rule = await scope.faults.add({ path: '/api/v1/tasks/claim', status: 500 });
    await expect(sdk.tasks.claim({ orchestrator_id: 'o', agent_name: 'a' })).rejects.toMatchObject({
      status: 500,
    });
    const raw = await fetch(`${serverUrl}/api/v1/tasks/claim?scope=${scope.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orchestrator_id: 'o', agent_name: 'a' }),
    });
    expect(raw.headers.get('x-octopoid-fault')).toBe(rule.id);
    expect(await raw.json()).toMatchObject({
      code: 'internal_error',
      details: [{ field: 'fault' }],
    });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'incoming', version: 1 });
  });

  test('a rule answers its own body: JSON as JSON, a string as text', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await taskAwaitingReview(sdk, 't-1');
    await scope.faults.add({
      path: '/api/v1/tasks/*/accept',
      status: 502,
      body: '<h1>Bad Gateway</h1>',
      times: 1,
    });
    await scope.faults.add({
      path: '/api/v1/tasks/*/accept',
      status: 409,
      body: { error: 'busy', code: 'conflict' },
      times: 1,
    });
    await expect(sdk.tasks.accept('t-1')).rejects.toMatchObject({
      status: 502,
      message: expect.stringContaining('<h1>Bad Gateway</h1>'),
    });
    await expect(sdk.tasks.accept('t-1')).rejects.toMatchObject({ status: 409, code: 'conflict' });
    await expect(sdk.tasks.accept('t-1')).resolves.toMatchObject({ queue: 'done' });
  });

  test('a delay without a status slows the request, which then runs normally', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await taskAwaitingReview(sdk, 't-1');
    await scope.faults.add({ path: '/api/v1/tasks/*/accept', delayMs: 200 });
    await expect(sdk.tasks.accept('t-1')).resolves.toMatchObject({ queue: 'done', version: 4 });
    expect(await scope.faults.list()).toMatchObject([{ fired: 1 }]);
  });

  test('a held request whose client gave up is cut off and never acts', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    await scope.faults.add({ method: 'POST', path: '/api/v1/tasks', delayMs: 1_000, times: 1 });
    const impatient = new OctopoidSDK({ serverUrl, scope: scope.name, timeoutMs: 50 });
    await expect(impatient.tasks.create(newTask('t-held'))).rejects.toBeInstanceOf(
      OctopoidTimeoutError,
    );
    // A later request held longer than the first: had the first still been held, it would have
    // landed by the time this one is answered.
    await scope.faults.add({ method: 'POST', path: '/api/v1/tasks', delayMs: 1_500, times: 1 });
    await sdk.tasks.create(newTask('t-after'));
    expect((await sdk.tasks.list()).map((task) => task.id)).toEqual(['t-after']);
  });

  test('closing the server ends a hold at once, and the held request then finishes', async ({
    expect,
  }) => {
    const server = await startPrivateServer({ testMode: true });
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'held' });
    await sdk.testMode.faults.add({ method: 'POST', path: '/api/v1/tasks', delayMs: 60_000 });
    const held = sdk.tasks.create(newTask('t-1')).catch((error: unknown) => error);
    await expect.poll(async () => (await sdk.testMode.faults.list())[0]?.fired).toBe(1);
    await server.close();
    expect(await held).toMatchObject({ id: 't-1', scope: 'held' });
  });

  test('invalid rules answer 400 naming the field', async ({ scope, serverUrl }) => {
    const fieldsOf = (rule: Parameters<typeof scope.faults.add>[0]) =>
      scope.faults.add(rule).then(
        () => [],
        (error: OctopoidError) => [error.status, error.details.map((detail) => detail.field)],
      );
    expect(await fieldsOf({ path: '/api/v1/tasks' })).toEqual([400, ['status']]);
    expect(await fieldsOf({ status: 200 })).toEqual([400, ['status']]);
    // An invalid pattern cannot be a RegExp, so only raw HTTP can send one.
    const badPattern = await fetch(new URL(`/api/v1/test/faults?scope=${scope.name}`, serverUrl), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 503, pathRegex: '([' }),
    });
    expect(badPattern.status).toBe(400);
    expect(await badPattern.json()).toMatchObject({ details: [{ field: 'pathRegex' }] });
    expect(await fieldsOf({ status: 503, times: 0 })).toEqual([400, ['times']]);
    expect(await fieldsOf({ status: 503, probability: 0 })).toEqual([400, ['probability']]);
    expect(await fieldsOf({ delayMs: 600_000 })).toEqual([400, ['delayMs']]);
    expect(await scope.faults.list()).toEqual([]);
  });

  test('a RegExp path is sent as pathRegex', async ({ scopedSdk: sdk, scope }) => {
    const rule = await scope.faults.add({ path: /\/tasks\/[^/]+$/, status: 404 });
    expect(rule).toMatchObject({ path: null, pathRegex: '\\/tasks\\/[^/]+$' });
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.get('t-1')).toBeNull();
  });

  test('test-mode routes and the purge are never faulted, and the purge ends the rules', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await scope.faults.add({ status: 500 });
    await expect(sdk.tasks.list()).rejects.toMatchObject({ status: 500 });
    expect(await scope.faults.list()).toHaveLength(1);
    expect(await sdk.scopes.purge()).toBeNull();
    expect(await scope.faults.list()).toEqual([]);
    await expect(sdk.tasks.list()).resolves.toEqual([]);
  });

  test('without test mode the test routes answer 404 like any unknown route', async () => {
    await using server = await startPrivateServer();
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'plain' });
    await expect(sdk.testMode.faults.add({ status: 503 })).rejects.toThrow(
      /does not run in test mode/,
    );
    await expect(sdk.testMode.clock.advance('10m')).rejects.toThrow(/does not run in test mode/);
    const raw = await fetch(`${server.url}/api/v1/test/faults?scope=plain`);
    expect(raw.status).toBe(404);
    expect(await raw.json()).toMatchObject({ code: 'not_found' });
  });
});
