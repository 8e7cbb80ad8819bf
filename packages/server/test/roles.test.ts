import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { machine, registerFirst } from './auth-support.js';
import { claimant, expectError, expectSdkError, newTask, send } from './tasks-support.js';

/** A scope with orchestrator `prod-m1`, reached through a client carrying the scope's key. */
async function withOrchestrator(sdk: OctopoidSDK): Promise<OctopoidSDK> {
  return (await registerFirst(sdk)).keyed;
}

describe('POST /roles/register', () => {
  test('creates the roles and answers that orchestrator’s roles by name', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const keyed = await withOrchestrator(sdk);
    await keyed.orchestrators.register(machine('m2'));
    await keyed.roles.register({ orchestrator_id: 'prod-m2', roles: [{ name: 'deploy' }] });

    const response = await send(serverUrl, 'POST', '/roles/register', {
      query: { scope: sdk.scope as string },
      json: {
        orchestrator_id: 'prod-m1',
        roles: [
          { name: 'review', claims_from: 'provisional', description: 'checks work' },
          { name: 'implement' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.roles).toEqual([
      {
        name: 'implement',
        scope: sdk.scope,
        description: null,
        claims_from: 'incoming',
        orchestrator_id: 'prod-m1',
        created_at: expect.stringMatching(/Z$/),
      },
      {
        name: 'review',
        scope: sdk.scope,
        description: 'checks work',
        claims_from: 'provisional',
        orchestrator_id: 'prod-m1',
        created_at: expect.stringMatching(/Z$/),
      },
    ]);
  });

  test('replaces a role of the same name, keeping when it was first registered', async ({
    scopedSdk: sdk,
  }) => {
    const keyed = await withOrchestrator(sdk);
    await keyed.orchestrators.register(machine('m2'));
    const [first] = await keyed.roles.register({
      orchestrator_id: 'prod-m1',
      roles: [{ name: 'review', claims_from: 'provisional', description: 'old' }],
    });
    await keyed.testMode.clock.advance('1m');
    const moved = await keyed.roles.register({
      orchestrator_id: 'prod-m2',
      roles: [{ name: 'review' }],
    });
    expect(moved).toEqual([
      { ...first, orchestrator_id: 'prod-m2', claims_from: 'incoming', description: null },
    ]);
    expect(await keyed.roles.register({ orchestrator_id: 'prod-m1', roles: [] })).toEqual([]);
  });

  test('leaves another scope’s role of the same name alone', async ({ scopedSdk: sdk }) => {
    const other = await withOrchestrator(sdk.withScope(`${sdk.scope}-other`));
    const [theirs] = await other.roles.register({
      orchestrator_id: 'prod-m1',
      roles: [{ name: 'review', claims_from: 'provisional' }],
    });
    const mine = await withOrchestrator(sdk);
    await mine.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'review' }] });

    expect(await other.roles.get('review')).toEqual(theirs);
    expect(await mine.roles.get('review')).toMatchObject({
      scope: sdk.scope,
      claims_from: 'incoming',
    });
    await other.scopes.purge();
  });

  test('answers 404 naming an orchestrator the scope does not have', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await registerFirst(sdk.withScope(`${sdk.scope}-other`));
    const response = await send(serverUrl, 'POST', '/roles/register', {
      query: { scope: sdk.scope as string },
      json: { orchestrator_id: 'prod-m1', roles: [{ name: 'review' }] },
    });
    expectError(response, 404, 'not_found', 'orchestrator_id');
    expect(response.body.error).toContain('prod-m1');
    expect(await sdk.roles.list()).toEqual([]);
    await sdk.withScope(`${sdk.scope}-other`).scopes.purge();
  });

  test.for([
    ['orchestrator_id is missing', { roles: [{ name: 'a' }] }, 'orchestrator_id'],
    ['roles is missing', { orchestrator_id: 'prod-m1' }, 'roles'],
    ['roles is not a list', { orchestrator_id: 'prod-m1', roles: { name: 'a' } }, 'roles'],
    [
      'a role is not an object',
      { orchestrator_id: 'prod-m1', roles: [{ name: 'a' }, 'b'] },
      'roles.1',
    ],
    [
      'a name is a number',
      { orchestrator_id: 'prod-m1', roles: [{}, { name: 7 }] },
      'roles.1.name',
    ],
    [
      'a name has a slash',
      { orchestrator_id: 'prod-m1', roles: [{ name: 'a/b' }] },
      'roles.0.name',
    ],
    [
      'claims_from is not a queue name',
      { orchestrator_id: 'prod-m1', roles: [{ name: 'a', claims_from: 'no spaces' }] },
      'roles.0.claims_from',
    ],
  ] as const)(
    'answers 400 naming the field when %s, writing nothing',
    async ([, json, field], { scopedSdk: sdk, serverUrl }) => {
      await withOrchestrator(sdk);
      const response = await send(serverUrl, 'POST', '/roles/register', {
        query: { scope: sdk.scope as string },
        json,
      });
      expectError(response, 400, 'validation_failed', field);
      expect(await sdk.roles.list()).toEqual([]);
    },
  );
});

describe('GET /roles and /roles/:name', () => {
  test('list the scope’s roles by name and get one', async ({ scopedSdk: sdk, serverUrl }) => {
    const keyed = await withOrchestrator(sdk);
    await keyed.roles.register({
      orchestrator_id: 'prod-m1',
      roles: [{ name: 'review' }, { name: 'breakdown' }, { name: 'implement' }],
    });
    await withOrchestrator(sdk.withScope(`${sdk.scope}-other`)).then((other) =>
      other.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'alien' }] }),
    );

    const response = await send(serverUrl, 'GET', '/roles', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    expect(response.body.roles.map((r: { name: string }) => r.name)).toEqual([
      'breakdown',
      'implement',
      'review',
    ]);
    expect(await keyed.roles.get('implement')).toMatchObject({ name: 'implement' });
    await sdk.withScope(`${sdk.scope}-other`).scopes.purge();
  });

  test('answer 404 for a role the scope does not have, even if another scope does', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const other = await withOrchestrator(sdk.withScope(`${sdk.scope}-other`));
    await other.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'review' }] });
    expect(await sdk.roles.get('review')).toBeNull();
    expectError(
      await send(serverUrl, 'GET', '/roles/review', { query: { scope: sdk.scope as string } }),
      404,
      'not_found',
    );
    expect(await sdk.roles.list()).toEqual([]);
    await other.scopes.purge();
  });
});

describe('roles on tasks and claims', () => {
  test('any role is accepted until the scope registers roles', async ({ scopedSdk: sdk }) => {
    expect(await sdk.tasks.create(newTask('t-1', { role: 'anything' }))).toMatchObject({
      role: 'anything',
    });
    expect(await sdk.tasks.claim({ ...claimant, role_filter: 'anything' })).toMatchObject({
      id: 't-1',
    });
  });

  test('once registered, an unknown role is refused on create and claim', async ({
    scopedSdk: sdk,
  }) => {
    const keyed = await withOrchestrator(sdk);
    await keyed.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'implement' }] });
    await expectSdkError(
      keyed.tasks.create(newTask('t-1', { role: 'review' })),
      400,
      'validation_failed',
      'role',
    );
    expect(await keyed.tasks.get('t-1')).toBeNull();
    await keyed.tasks.create(newTask('t-2', { role: 'implement' }));
    await expectSdkError(
      keyed.tasks.claim({ ...claimant, role_filter: ['implement', 'review'] }),
      400,
      'validation_failed',
      'role_filter',
    );
    expect(await keyed.tasks.claim({ ...claimant, role_filter: 'implement' })).toMatchObject({
      id: 't-2',
    });
  });

  test('another scope’s roles never constrain this scope', async ({ scopedSdk: sdk }) => {
    const other = await withOrchestrator(sdk.withScope(`${sdk.scope}-other`));
    await other.roles.register({ orchestrator_id: 'prod-m1', roles: [{ name: 'implement' }] });
    expect(await sdk.tasks.create(newTask('t-1', { role: 'review' }))).toMatchObject({
      role: 'review',
    });
    await other.scopes.purge();
  });

  test('a claim filtered by a role takes work from that role’s claims_from queue', async ({
    scopedSdk: sdk,
  }) => {
    const keyed = await withOrchestrator(sdk);
    await keyed.roles.register({
      orchestrator_id: 'prod-m1',
      roles: [{ name: 'review', claims_from: 'provisional' }, { name: 'implement' }],
    });
    await keyed.tasks.create(newTask('t-new', { role: 'review' }));
    await keyed.tasks.create(newTask('t-done-work', { role: 'review', queue: 'provisional' }));

    const claimed = await keyed.tasks.claim({ ...claimant, role_filter: 'review' });
    expect(claimed).toMatchObject({
      id: 't-done-work',
      queue: 'provisional',
      claimed_by: 'agent-1',
    });
    expect(await keyed.tasks.claim({ ...claimant, role_filter: 'review' })).toBeNull();
    expect((await keyed.tasks.get('t-new'))?.queue).toBe('incoming');
  });
});
