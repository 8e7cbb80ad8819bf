import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { contentsOf, counts, seedWork, siblingScope } from './scopes-support.js';
import { expectError, expectSdkError, newTask, send } from './tasks-support.js';

describe('listing and inspecting scopes', () => {
  test('the list holds every scope with entities, its counts, creation and last activity', async ({
    scopedSdk: sdk,
  }) => {
    const project = await sdk.projects.create({ id: 'p-1', title: 'P', branch: 'main' });
    await sdk.tasks.create(newTask('t-1', { project_id: 'p-1' }));
    const latest = await sdk.tasks.update('t-1', { title: 'renamed' });
    const other = siblingScope(sdk, 'other');
    await other.tasks.create(newTask('t-1'));

    const scopes = await sdk.scopes.list();
    const mine = scopes.find((s) => s.scope === sdk.scope);
    expect(mine).toEqual({
      scope: sdk.scope,
      counts: counts({ tasks: 1, task_history: 2, projects: 1 }),
      created_at: project.created_at,
      last_activity_at: latest.updated_at,
    });
    expect(scopes.find((s) => s.scope === other.scope)?.counts.tasks).toBe(1);
    const names = scopes.map((s) => s.scope);
    expect(names).toEqual([...names].sort());
    await other.scopes.purge();
  });

  test('the list names no scope: a request with none, or with any, gets the same list', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const bare = await send(serverUrl, 'GET', '/scopes');
    expect(bare.status).toBe(200);
    expect(bare.body.scopes.map((s: { scope: string }) => s.scope)).toContain(sdk.scope);
    const named = await send(serverUrl, 'GET', '/scopes', { query: { scope: 'elsewhere' } });
    expect(named.status).toBe(200);
    expect(named.body.scopes.map((s: { scope: string }) => s.scope)).toContain(sdk.scope);
  });

  test('the list answers every scope up to 500, then pages by limit and offset, in byte order of names', async () => {
    await using server = await startPrivateServer();
    const names = ['b-scope', 'B-scope', 'a.scope', 'a-scope', 'a_scope'];
    for (const name of names) {
      await new OctopoidSDK({ serverUrl: server.url, scope: name }).tasks.create(newTask('t-1'));
    }
    const sorted = [...names].sort();
    const whole = await send(server.url, 'GET', '/scopes');
    expect(whole.body).toMatchObject({ total: 5, offset: 0, limit: 500 });
    expect(whole.body.scopes.map((s: { scope: string }) => s.scope)).toEqual(sorted);
    const page = await send(server.url, 'GET', '/scopes', { query: { limit: 2, offset: 2 } });
    expect(page.body).toMatchObject({ total: 5, offset: 2, limit: 2 });
    expect(page.body.scopes.map((s: { scope: string }) => s.scope)).toEqual(sorted.slice(2, 4));
    expect(page.body.scopes[0].counts.tasks).toBe(1);
    expectError(
      await send(server.url, 'GET', '/scopes', { query: { limit: 501 } }),
      400,
      'validation_failed',
      'query.limit',
    );
  });

  test('a scope reports its own counts and times; another scope is read by name', async ({
    scopedSdk: sdk,
  }) => {
    await seedWork(sdk);
    const summary = await sdk.scopes.get();
    expect(summary?.counts).toEqual(
      counts({
        tasks: 2,
        task_history: 4,
        projects: 1,
        drafts: 1,
        flows: 1,
        messages: 2,
        actions: 2,
        claim_replays: 1,
      }),
    );
    expect(summary?.created_at).toMatch(/Z$/);
    expect(summary && summary.created_at <= summary.last_activity_at).toBe(true);

    const reader = siblingScope(sdk, 'reader');
    expect(await reader.scopes.get(sdk.scope)).toEqual(summary);
  });

  test('an empty or unknown scope answers 404; a malformed name 400', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    expect(await sdk.scopes.get()).toBeNull();
    expectError(await send(serverUrl, 'GET', `/scopes/${sdk.scope}`), 404, 'not_found');
    expectError(
      await send(serverUrl, 'GET', '/scopes/bad%20name'),
      400,
      'validation_failed',
      'path.scope',
    );
    expectError(
      await send(serverUrl, 'GET', `/scopes/${sdk.scope}`, { query: { scope: 'other' } }),
      400,
      'scope_mismatch',
    );
  });
});

describe('purging a scope', () => {
  test('a purge deletes every entity of the scope and nothing of any other', async ({
    scopedSdk: sdk,
  }) => {
    const neighbour = siblingScope(sdk, 'neighbour');
    await seedWork(sdk);
    await seedWork(neighbour);
    await sdk.orchestrators.register({ cluster: 'c', machine_id: 'm', repo_url: 'r' });
    const before = await contentsOf(neighbour);

    const purged = await sdk.scopes.purge();
    expect(purged).toEqual({
      scope: sdk.scope,
      deleted: counts({
        tasks: 2,
        task_history: 4,
        projects: 1,
        drafts: 1,
        flows: 1,
        messages: 2,
        actions: 2,
        orchestrators: 1,
        api_keys: 1,
        claim_replays: 1,
      }),
    });
    expect(await sdk.scopes.get()).toBeNull();
    expect(await sdk.tasks.list()).toEqual([]);
    expect(await contentsOf(neighbour)).toEqual(before);
    await neighbour.scopes.purge();
  });

  test('purging an empty scope answers 404', async ({ scopedSdk: sdk, serverUrl }) => {
    expect(await sdk.scopes.purge()).toBeNull();
    expectError(await send(serverUrl, 'DELETE', `/scopes/${sdk.scope}`), 404, 'not_found');
  });
});

describe('scopes on a server that requires API keys', () => {
  test('only requests spanning scopes are refused (403); a key still reads and purges its own', async () => {
    await using server = await startPrivateServer({ auth: 'required', openRegistration: true });
    const anonymous = new OctopoidSDK({ serverUrl: server.url, scope: 'keyed' });
    const { api_key } = await anonymous.orchestrators.register({
      cluster: 'c',
      machine_id: 'm',
      repo_url: 'r',
    });
    const keyed = anonymous.withApiKey(api_key as string);

    await expectSdkError(anonymous.scopes.list(), 401, 'unauthorized');
    await expectSdkError(keyed.scopes.list(), 403, 'forbidden');
    await expectSdkError(keyed.scopes.clone('copy'), 403, 'forbidden');
    await expectSdkError(keyed.scopes.merge('main'), 403, 'forbidden');
    expect((await keyed.scopes.get())?.counts.orchestrators).toBe(1);
    expect((await keyed.scopes.purge())?.deleted.api_keys).toBe(1);
  });
});
