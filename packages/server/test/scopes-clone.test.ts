import { describe, expect, test } from '@octopoid/testing/vitest';
import { contentsOf, everyScopeName, seedWork, siblingScope } from './scopes-support.js';
import { expectError, expectSdkError, newTask, send } from './tasks-support.js';

describe('cloning a scope', () => {
  test('a clone reproduces every field and reference of every entity, under the same ids', async ({
    scopedSdk: sdk,
  }) => {
    const seeded = await seedWork(sdk);
    await sdk.orchestrators.register({ cluster: 'c', machine_id: 'm', repo_url: 'r' });
    await sdk.roles.register({
      orchestrator_id: 'c-m',
      roles: [{ name: 'reviewer', claims_from: 'provisional' }],
    });
    const source = await contentsOf(sdk);
    const copy = siblingScope(sdk, 'copy');

    const cloned = await sdk.scopes.clone(copy.scope as string);

    expect(cloned).toMatchObject({ scope: sdk.scope, to: copy.scope });
    expect(cloned.copied).toMatchObject({ tasks: 2, task_history: 4, drafts: 1, api_keys: 0 });
    expect(await contentsOf(copy)).toEqual(source);
    expect(source.drafts[0]?.id).toBe(seeded.draftId);
    expect(source.messages.map((m) => m.id).sort()).toEqual([...seeded.messageIds].sort());
    expect((await copy.scopes.get())?.counts.api_keys).toBe(0);
    await copy.scopes.purge();
  });

  test('the clone is independent: changing it leaves the source as it was', async ({
    scopedSdk: sdk,
  }) => {
    await seedWork(sdk);
    const copy = siblingScope(sdk, 'copy');
    await sdk.scopes.clone(copy.scope as string);
    const source = await contentsOf(sdk);

    await copy.tasks.forceQueue('t-1', { queue: 'qa', reason: 'the copy moves on' });
    await copy.tasks.delete('t-2');
    await copy.projects.update('p-1', { status: 'completed' });

    expect(await contentsOf(sdk)).toEqual(source);
    expect((await copy.tasks.get('t-1'))?.queue).toBe('qa');
    await copy.scopes.purge();
  });

  test('a clone into a scope that holds anything is refused (409) and writes nothing', async ({
    scopedSdk: sdk,
  }) => {
    await seedWork(sdk);
    const target = siblingScope(sdk, 'target');
    await target.tasks.create(newTask('x-1'));
    const before = await contentsOf(target);

    await expectSdkError(sdk.scopes.clone(target.scope as string), 409, 'conflict', 'to');

    expect(await contentsOf(target)).toEqual(before);
    await target.scopes.purge();
  });

  test('cloning an empty scope answers 404 and creates nothing', async ({ scopedSdk: sdk }) => {
    const copy = siblingScope(sdk, 'copy');
    await expectSdkError(sdk.scopes.clone(copy.scope as string), 404, 'not_found');
    expect(await copy.scopes.get()).toBeNull();
  });

  test('a missing, malformed or same target is a 400 naming `to`', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const path = `/scopes/${sdk.scope}/clone`;
    for (const json of [{}, { to: 'bad name' }, { to: '' }, { to: 42 }, { to: sdk.scope }]) {
      expectError(await send(serverUrl, 'POST', path, { json }), 400, 'validation_failed', 'to');
    }
    expectError(
      await send(serverUrl, 'POST', path, { raw: '{"to":', contentType: 'application/json' }),
      400,
      'malformed_json',
    );
    const scopes = await everyScopeName(sdk);
    expect(scopes.filter((s) => s.startsWith('bad') || s === '42')).toEqual([]);
  });
});
