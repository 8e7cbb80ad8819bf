import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, events, mustGet, newTask, type RawRequest, send } from './tasks-support.js';

/** Every route that addresses one task, with a body it would accept for a claimed task. */
const BY_ID_ROUTES: [method: string, path: string, json?: object][] = [
  ['GET', '/tasks/t-1'],
  ['GET', '/tasks/t-1/history'],
  ['PATCH', '/tasks/t-1', { title: 'hijacked', queue: 'failed' }],
  ['POST', '/tasks/t-1/submit', { commits_count: 1, turns_used: 1 }],
  ['POST', '/tasks/t-1/accept', {}],
  ['POST', '/tasks/t-1/reject', { reason: 'from another scope' }],
  ['POST', '/tasks/t-1/requeue', {}],
  ['POST', '/tasks/t-1/force-queue', { queue: 'done', reason: 'from another scope' }],
  ['POST', '/tasks/t-1/lease', { lease_duration_seconds: 3600 }],
  ['POST', '/tasks/t-1/hooks/lint/complete', { status: 'passed' }],
  ['DELETE', '/tasks/t-1'],
];

/** A client of a second scope of the test's own; purge it at the end of a passing test. */
const sibling = (sdk: OctopoidSDK, name = 'b') => sdk.withScope(`${sdk.scope}-${name}`);

/** Everything observable about a task: the row and its history. */
async function observe(sdk: OctopoidSDK, id: string) {
  return { task: await mustGet(sdk, id), history: (await sdk.tasks.history(id)).history };
}

describe('scope isolation', () => {
  test('every by-id route answers 404 for another scope’s task, exactly like a missing id', async ({
    scopedSdk: a,
    serverUrl,
  }) => {
    const b = sibling(a);
    const never = sibling(a, 'empty');
    await a.tasks.create(newTask('t-1', { hooks: [{ name: 'lint', status: 'pending' }] }));
    await a.tasks.claim(claimant);
    await b.tasks.create(newTask('unrelated'));
    const before = await observe(a, 't-1');

    for (const [method, path, json] of BY_ID_ROUTES) {
      const request = (scope: string): RawRequest => ({
        query: { scope },
        ...(json ? { json } : {}),
      });
      const fromB = await send(serverUrl, method, path, request(b.scope as string));
      const missing = await send(serverUrl, method, path, request(never.scope as string));
      expect({ route: `${method} ${path}`, status: fromB.status, code: fromB.body?.code }).toEqual({
        route: `${method} ${path}`,
        status: 404,
        code: 'not_found',
      });
      expect(fromB.body).toEqual(missing.body);
      expect(JSON.stringify(fromB.body)).not.toContain(a.scope as string);
    }

    // The task in A is as it was: same version, queue, claim and history.
    expect(await observe(a, 't-1')).toEqual(before);
    expect(before.task).toMatchObject({ queue: 'claimed', claimed_by: 'agent-1' });
    expect((await b.tasks.list()).map((t) => t.id)).toEqual(['unrelated']);
    await b.scopes.purge();
  });

  test('the same id and file_path in two scopes are two tasks', async ({ scopedSdk: a }) => {
    const b = sibling(a);
    const inA = await a.tasks.create(newTask('t-1', { title: 'A' }));
    const inB = await b.tasks.create(newTask('t-1', { title: 'B' }));
    expect(inA).toMatchObject({ id: 't-1', file_path: 'tasks/t-1.md', scope: a.scope });
    expect(inB).toMatchObject({ id: 't-1', file_path: 'tasks/t-1.md', scope: b.scope });

    await b.tasks.update('t-1', { title: 'B edited' });
    await b.tasks.claim(claimant);
    await b.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    await b.tasks.accept('t-1');
    expect(await mustGet(a, 't-1')).toEqual(inA);
    expect(await events(a, 't-1')).toEqual(['created']);
    expect(await mustGet(b, 't-1')).toMatchObject({ title: 'B edited', queue: 'done', version: 5 });

    await b.tasks.delete('t-1');
    expect(await b.tasks.get('t-1')).toBeNull();
    expect(await mustGet(a, 't-1')).toEqual(inA);
    await b.tasks.create(newTask('t-1'));
    await b.scopes.purge();
  });

  test('lists show only the scope’s own tasks, with its own totals', async ({ scopedSdk: a }) => {
    const b = sibling(a);
    for (const id of ['a-1', 'a-2', 'a-3']) await a.tasks.create(newTask(id));
    await b.tasks.create(newTask('b-1'));
    const pageA = await a.tasks.page({ sort: 'priority' });
    const pageB = await b.tasks.page({ queue: 'incoming' });
    expect(pageA.total).toBe(3);
    expect(pageA.tasks.map((t) => t.id)).toEqual(['a-1', 'a-2', 'a-3']);
    expect(pageB.total).toBe(1);
    expect(pageB.tasks.map((t) => [t.id, t.scope])).toEqual([['b-1', b.scope]]);
    await b.scopes.purge();
  });

  test('a claim never returns another scope’s task', async ({ scopedSdk: a }) => {
    const b = sibling(a);
    await a.tasks.create(newTask('t-1', { priority: 'P0' }));
    expect(await b.tasks.claim(claimant)).toBeNull();
    expect(await b.tasks.claim({ ...claimant, queue: 'incoming' })).toBeNull();
    await b.tasks.create(newTask('t-2', { priority: 'P3' }));
    expect(await b.tasks.claim(claimant)).toMatchObject({ id: 't-2', scope: b.scope });
    expect(await mustGet(a, 't-1')).toMatchObject({ queue: 'incoming', version: 1 });
    await b.scopes.purge();
  });

  test('max_claimed counts only the claims in the scope', async ({ scopedSdk: a }) => {
    const b = sibling(a);
    for (const id of ['t-1', 't-2']) {
      await a.tasks.create(newTask(id));
      await b.tasks.create(newTask(id));
    }
    const capped = { ...claimant, max_claimed: 2 };
    expect(await a.tasks.claim(capped)).not.toBeNull();
    expect(await a.tasks.claim(capped)).not.toBeNull();
    await a.tasks.create(newTask('t-3'));
    expect(await a.tasks.claim(capped)).toBeNull();
    // The same orchestrator id holds nothing in B yet.
    expect(await b.tasks.claim(capped)).toMatchObject({ scope: b.scope });
    expect(await b.tasks.claim(capped)).toMatchObject({ scope: b.scope });
    await b.scopes.purge();
  });

  test('a blocker is looked up in the task’s own scope only', async ({ scopedSdk: a }) => {
    const b = sibling(a);
    // A's blocker is done; B's blocker of the same id is not, so B's task stays blocked.
    await a.tasks.create(newTask('blocker', { queue: 'failed' }));
    await a.tasks.forceQueue('blocker', { queue: 'done', reason: 'finished' });
    await b.tasks.create(newTask('blocker', { queue: 'failed' }));
    await b.tasks.create(newTask('waiting', { blocked_by: 'blocker' }));
    expect(await b.tasks.claim(claimant)).toBeNull();

    // B's unfinished blocker does not block a task of A that names an id A does not have.
    await a.tasks.create(newTask('ghost-wait', { blocked_by: 'only-in-b' }));
    await b.tasks.create(newTask('only-in-b', { queue: 'failed' }));
    expect(await a.tasks.claim(claimant)).toMatchObject({ id: 'ghost-wait' });
    await b.scopes.purge();
  });

  test('accept, force-queue to done and delete release dependents in their own scope only', async ({
    scopedSdk: a,
  }) => {
    const b = sibling(a);
    for (const sdk of [a, b]) {
      for (const blocker of ['by-accept', 'by-force', 'by-delete']) {
        await sdk.tasks.create(newTask(blocker, { queue: 'failed' }));
        await sdk.tasks.create(newTask(`waits-${blocker}`, { blocked_by: blocker }));
      }
    }
    const beforeB = await b.tasks.list({ sort: 'priority' });

    await a.tasks.forceQueue('by-accept', { queue: 'provisional', reason: 'review it' });
    await a.tasks.accept('by-accept');
    await a.tasks.forceQueue('by-force', { queue: 'done', reason: 'done elsewhere' });
    await a.tasks.delete('by-delete');

    for (const blocker of ['by-accept', 'by-force', 'by-delete']) {
      expect(await mustGet(a, `waits-${blocker}`)).toMatchObject({ blocked_by: null, version: 2 });
      expect(await mustGet(b, `waits-${blocker}`)).toMatchObject({
        blocked_by: blocker,
        version: 1,
      });
      expect(await events(b, `waits-${blocker}`)).toEqual(['created']);
    }
    expect(await b.tasks.list({ sort: 'priority' })).toEqual(beforeB);
    await b.scopes.purge();
  });

  test('the header and the body address the scope as the query does', async ({
    scopedSdk: a,
    serverUrl,
  }) => {
    const b = sibling(a);
    await a.tasks.create(newTask('t-1'));
    const byHeader = await send(serverUrl, 'GET', '/tasks/t-1', {
      headers: { 'x-octopoid-scope': b.scope as string },
    });
    expect(byHeader.status).toBe(404);
    const byBody = await send(serverUrl, 'PATCH', '/tasks/t-1', {
      json: { scope: b.scope, title: 'hijacked' },
    });
    expect(byBody.status).toBe(404);
    const mine = await send(serverUrl, 'PATCH', '/tasks/t-1', {
      json: { scope: a.scope, title: 'mine' },
    });
    expect(mine.status).toBe(200);
    expect(mine.body).toMatchObject({ title: 'mine', version: 2 });
  });
});
