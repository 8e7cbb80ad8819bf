import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { claimant, expectError, newTask, send } from './tasks-support.js';

const ids = (tasks: { id: string }[]) => tasks.map((t) => t.id);

describe('GET /tasks', () => {
  test('answers {tasks, total, offset, limit}, newest first by default', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    for (const id of ['a', 'b', 'c']) {
      await sdk.tasks.create(newTask(id));
      await sdk.testMode.clock.advance('1s');
    }
    const response = await send(serverUrl, 'GET', '/tasks', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ total: 3, offset: 0, limit: 50 });
    expect(ids(response.body.tasks)).toEqual(['c', 'b', 'a']);
    for (const task of response.body.tasks) expect(task.scope).toBe(sdk.scope);
  });

  test('pages with limit and offset; total counts every match', async ({ scopedSdk: sdk }) => {
    for (const id of ['a', 'b', 'c', 'd', 'e']) {
      await sdk.tasks.create(newTask(id));
      await sdk.testMode.clock.advance('1s');
    }
    const second = await sdk.tasks.page({ limit: 2, offset: 2 });
    expect(second).toMatchObject({ total: 5, limit: 2, offset: 2 });
    expect(ids(second.tasks)).toEqual(['c', 'b']);
    const past = await sdk.tasks.page({ limit: 2, offset: 10 });
    expect(past).toMatchObject({ total: 5, tasks: [] });
    expect((await sdk.tasks.page({ limit: 500 })).tasks).toHaveLength(5);
  });

  test('sort=created lists the oldest first', async ({ scopedSdk: sdk }) => {
    for (const id of ['first', 'second', 'third']) {
      await sdk.tasks.create(newTask(id));
      await sdk.testMode.clock.advance('1s');
    }
    expect(ids(await sdk.tasks.list({ sort: 'created' }))).toEqual(['first', 'second', 'third']);
    expect(ids(await sdk.tasks.list())).toEqual(['third', 'second', 'first']);
  });

  test('sort=priority orders by priority (none counts as P2), then oldest', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('p3-old', { priority: 'P3' }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('p2-none', { priority: null }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('p0', { priority: 'P0' }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('p2-new', { priority: 'P2' }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('p1', { priority: 'P1' }));
    await sdk.tasks.update('p2-none', { priority: null });
    expect(ids(await sdk.tasks.list({ sort: 'priority' }))).toEqual([
      'p0',
      'p1',
      'p2-none',
      'p2-new',
      'p3-old',
    ]);
  });

  test('filters by queue, priority and role (comma lists), claimed_by and needs_intervention', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('claimed', { priority: 'P0', role: 'implement' }));
    await sdk.tasks.create(newTask('failed', { queue: 'failed', priority: 'P1', role: 'review' }));
    await sdk.tasks.create(newTask('flagged', { priority: 'P3', role: 'breakdown' }));
    await sdk.tasks.create(newTask('plain', { priority: 'P2' }));
    await sdk.tasks.claim(claimant);
    await sdk.tasks.update('flagged', { needs_intervention: true });

    const sorted = async (filters: Parameters<typeof sdk.tasks.list>[0]) =>
      ids(await sdk.tasks.list(filters)).sort();
    expect(await sorted({ queue: 'incoming' })).toEqual(['flagged', 'plain']);
    expect(await sorted({ queue: ['claimed', 'failed'] })).toEqual(['claimed', 'failed']);
    expect(await sorted({ priority: 'P0,P3' })).toEqual(['claimed', 'flagged']);
    expect(await sorted({ role: ['implement', 'review'] })).toEqual(['claimed', 'failed']);
    expect(await sorted({ claimed_by: 'agent-1' })).toEqual(['claimed']);
    expect(await sorted({ claimed_by: 'someone-else' })).toEqual([]);
    expect(await sorted({ needs_intervention: true })).toEqual(['flagged']);
    expect(await sorted({ needs_intervention: false })).toEqual(['claimed', 'failed', 'plain']);
    expect(await sorted({ queue: 'incoming', priority: 'P2' })).toEqual(['plain']);
    const page = await sdk.tasks.page({ queue: 'incoming,failed', limit: 1 });
    expect(page.total).toBe(3);
  });

  test('needs_intervention accepts true/false/1/0', async ({ scopedSdk: sdk, serverUrl }) => {
    await sdk.tasks.create(newTask('flagged'));
    await sdk.tasks.create(newTask('plain'));
    await sdk.tasks.update('flagged', { needs_intervention: 1 });
    for (const [value, expected] of [
      ['1', ['flagged']],
      ['true', ['flagged']],
      ['0', ['plain']],
      ['false', ['plain']],
    ] as const) {
      const response = await send(serverUrl, 'GET', '/tasks', {
        query: { scope: sdk.scope as string, needs_intervention: value },
      });
      expect(ids(response.body.tasks), value).toEqual(expected);
    }
    const bad = await send(serverUrl, 'GET', '/tasks', {
      query: { scope: sdk.scope as string, needs_intervention: 'maybe' },
    });
    expectError(bad, 400, 'validation_failed', 'query.needs_intervention');
  });

  test('filters by project_id, within the scope', async () => {
    // No project endpoint exists yet: a private server lets the test insert the project row.
    await using server = await startPrivateServer();
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'projects-a' });
    const now = new Date().toISOString();
    await server.store.db
      .insertInto('projects')
      .values({
        scope: 'projects-a',
        id: 'proj-1',
        title: 'Project',
        status: 'active',
        base_branch: 'main',
        branch: 'feature/proj-1',
        auto_accept: 0,
        created_at: now,
        updated_at: now,
      })
      .execute();
    const inProject = await sdk.tasks.create(newTask('t-1', { project_id: 'proj-1' }));
    // The project's branch replaces the task's.
    expect(inProject).toMatchObject({ project_id: 'proj-1', branch: 'feature/proj-1' });
    await sdk.tasks.create(newTask('t-2'));
    expect(ids(await sdk.tasks.list({ project_id: 'proj-1' }))).toEqual(['t-1']);

    // The same project id does not exist in another scope.
    const other = sdk.withScope('projects-b');
    const error = await other.tasks
      .create(newTask('t-1', { project_id: 'proj-1' }))
      .catch((e) => e);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(await other.tasks.list({ project_id: 'proj-1' })).toEqual([]);
  });
});
