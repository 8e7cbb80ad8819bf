import { describe, expect, test } from '@octopoid/testing/vitest';
import {
  claimant,
  events,
  expectError,
  expectSdkError,
  mustGet,
  newTask,
  send,
} from './tasks-support.js';

const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

describe('POST /tasks', () => {
  test('answers 201 with the full row, defaults filled in', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/tasks', {
      query: { scope: sdk.scope as string },
      json: { id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: 't-1',
      scope: sdk.scope,
      file_path: 'tasks/t-1.md',
      branch: 'main',
      title: 't-1',
      queue: 'incoming',
      priority: 'P2',
      flow: 'default',
      version: 1,
      claimed_by: null,
      lease_expires_at: null,
      blocked_by: null,
      auto_accept: 0,
      needs_intervention: 0,
      commits_count: 0,
      attempt_count: 0,
      rejection_count: 0,
    });
    expect(response.body.created_at).toMatch(ISO_Z);
    expect(response.body.updated_at).toBe(response.body.created_at);
    expect(response.body).not.toHaveProperty('claimed_from');
    expect(await mustGet(sdk, 't-1')).toEqual(response.body);
    expect(await events(sdk, 't-1')).toEqual(['created']);
  });

  test('stores JSON values as text and booleans as 0/1', async ({ scopedSdk: sdk }) => {
    const hooks = [{ name: 'lint', point: 'before_submit', type: 'agent', status: 'pending' }];
    const created = await sdk.tasks.create(
      newTask('t-1', {
        hooks,
        flow_overrides: { review: 'skip' },
        auto_accept: true,
        priority: 'P0',
        complexity: 'XL',
        role: 'implement',
        type: 'bugfix',
        content: 'body',
      }),
    );
    expect(created).toMatchObject({
      hooks: JSON.stringify(hooks),
      flow_overrides: '{"review":"skip"}',
      auto_accept: 1,
      priority: 'P0',
      complexity: 'XL',
      role: 'implement',
      type: 'bugfix',
      content: 'body',
    });
    const asText = await sdk.tasks.create(
      newTask('t-2', { hooks: JSON.stringify(hooks), auto_accept: 0 }),
    );
    expect(asText.hooks).toBe(JSON.stringify(hooks));
    expect(asText.auto_accept).toBe(0);
  });

  test('ignores unknown fields such as the Python client’s metadata', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/tasks', {
      query: { scope: sdk.scope as string },
      json: { ...newTask('t-1'), metadata: {}, unknown_flag: true, version: 99 },
    });
    expect(response.status).toBe(201);
    expect(response.body).not.toHaveProperty('metadata');
    expect(response.body).not.toHaveProperty('unknown_flag');
    expect(response.body.version).toBe(1);
  });

  test('a duplicate id or file_path in the scope is 409 naming the field, and writes nothing', async ({
    scopedSdk: sdk,
  }) => {
    const original = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(
      sdk.tasks.create(newTask('t-1', { file_path: 'tasks/other.md' })),
      409,
      'conflict',
      'id',
    );
    await expectSdkError(
      sdk.tasks.create(newTask('t-2', { file_path: 'tasks/t-1.md' })),
      409,
      'conflict',
      'file_path',
    );
    const page = await sdk.tasks.page();
    expect(page.total).toBe(1);
    expect(page.tasks).toEqual([original]);
  });

  test('refuses to create a task done, in an unknown queue or of an unknown project', async ({
    scopedSdk: sdk,
  }) => {
    await expectSdkError(
      sdk.tasks.create(newTask('t-1', { queue: 'done' })),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.create(newTask('t-2', { queue: 'nowhere' })),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.create(newTask('t-3', { project_id: 'no-such-project' })),
      400,
      'validation_failed',
      'project_id',
    );
    expect((await sdk.tasks.page()).total).toBe(0);
  });

  test('creates a task directly in another queue the flow knows', async ({ scopedSdk: sdk }) => {
    const created = await sdk.tasks.create(newTask('t-1', { queue: 'failed' }));
    expect(created.queue).toBe('failed');
    const { history } = await sdk.tasks.history('t-1');
    expect(JSON.parse(history[0]?.details ?? '{}')).toEqual({ queue: 'failed' });
  });
});

describe('GET /tasks/:id', () => {
  test('answers 200 with the task and 404 for an id the scope does not have', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const created = await sdk.tasks.create(newTask('t-1'));
    const found = await send(serverUrl, 'GET', '/tasks/t-1', {
      query: { scope: sdk.scope as string },
    });
    expect(found.status).toBe(200);
    expect(found.body).toEqual(created);

    const missing = await send(serverUrl, 'GET', '/tasks/t-2', {
      query: { scope: sdk.scope as string },
    });
    expectError(missing, 404, 'not_found');
    expect(missing.body.error).toContain('t-2');
    expect(await sdk.tasks.get('t-2')).toBeNull();
  });

  test('reads ids that need URL encoding', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('TASK-ä.1:x', { file_path: 'tasks/ä.md' }));
    expect((await mustGet(sdk, 'TASK-ä.1:x')).file_path).toBe('tasks/ä.md');
  });
});

describe('PATCH /tasks/:id', () => {
  test('writes the given fields, clears those sent as null, and bumps the version', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1', { role: 'implement', content: 'text', priority: 'P1' }));
    const patched = await sdk.tasks.update('t-1', {
      role: null,
      content: null,
      priority: null,
      title: 'renamed',
      needs_intervention: true,
      execution_notes: 'failed twice',
      pr_number: 42,
      pr_url: 'https://example.invalid/pr/42',
      attempt_count: 3,
    });
    expect(patched).toMatchObject({
      role: null,
      content: null,
      priority: null,
      title: 'renamed',
      needs_intervention: 1,
      execution_notes: 'failed twice',
      pr_number: 42,
      attempt_count: 3,
      version: 2,
      queue: 'incoming',
    });
    expect(patched.updated_at >= patched.created_at).toBe(true);
    expect(await mustGet(sdk, 't-1')).toEqual(patched);
    const { history } = await sdk.tasks.history('t-1');
    expect(history.map((h) => h.event)).toEqual(['created', 'updated']);
    expect(JSON.parse(history[1]?.details ?? '{}').fields).toContain('execution_notes');
  });

  test('normalises timestamps to UTC with Z, as the Python client sends +00:00', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const patched = await sdk.tasks.update('t-1', {
      lease_expires_at: '2030-01-01T12:00:00+00:00',
      claimed_at: '2030-01-01T13:30:00.250+01:30',
    });
    expect(patched.lease_expires_at).toBe('2030-01-01T12:00:00.000Z');
    expect(patched.claimed_at).toBe('2030-01-01T12:00:00.250Z');
  });

  test('moves queues the flow knows, recording queue_changed with from and to', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const moved = await sdk.tasks.update('t-1', { queue: 'needs_continuation' });
    expect(moved).toMatchObject({ queue: 'needs_continuation', version: 2 });
    const { history } = await sdk.tasks.history('t-1');
    expect(history.map((h) => h.event)).toEqual(['created', 'queue_changed']);
    expect(JSON.parse(history[1]?.details ?? '{}')).toEqual({
      from: 'incoming',
      to: 'needs_continuation',
    });
  });

  test('refuses done and unknown queues with 400 and writes nothing', async ({
    scopedSdk: sdk,
  }) => {
    const created = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(
      sdk.tasks.update('t-1', { queue: 'done' }),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.update('t-1', { queue: 'nowhere', title: 'x' }),
      400,
      'validation_failed',
      'queue',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(created);
    expect(await events(sdk, 't-1')).toEqual(['created']);
  });

  test('leaving claimed clears the claim fields', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const released = await sdk.tasks.update('t-1', { queue: 'incoming' });
    expect(released).toMatchObject({
      queue: 'incoming',
      claimed_by: null,
      orchestrator_id: null,
      claimed_at: null,
      lease_expires_at: null,
      version: 3,
    });
    // Claimable again, from where it now is.
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 't-1', queue: 'claimed' });
  });

  test('leaving claimed keeps the claim fields the body sets', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const failed = await sdk.tasks.update('t-1', { queue: 'failed', claimed_by: 'kept-agent' });
    expect(failed).toMatchObject({
      queue: 'failed',
      claimed_by: 'kept-agent',
      orchestrator_id: null,
      lease_expires_at: null,
    });
  });

  test('an edit that stays in claimed keeps the claim', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const claimed = await sdk.tasks.claim(claimant);
    const edited = await sdk.tasks.update('t-1', { queue: 'claimed', title: 'still mine' });
    expect(edited).toMatchObject({
      queue: 'claimed',
      claimed_by: 'agent-1',
      lease_expires_at: claimed?.lease_expires_at,
    });
  });

  test('a matching version is accepted; a stale one is 409 version_conflict and writes nothing', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const first = await sdk.tasks.update('t-1', { title: 'one', version: 1 });
    expect(first.version).toBe(2);
    const error = await expectSdkError(
      sdk.tasks.update('t-1', { title: 'two', version: 1 }),
      409,
      'version_conflict',
      'version',
    );
    expect(error.details).toEqual([{ field: 'version', reason: 'the task is at version 2' }]);
    expect(await mustGet(sdk, 't-1')).toEqual(first);
    expect(await events(sdk, 't-1')).toEqual(['created', 'updated']);
  });

  test('a body naming no updatable field is 400; an unknown id is 404', async ({
    scopedSdk: sdk,
  }) => {
    const created = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(sdk.tasks.update('t-1', {}), 400, 'validation_failed');
    await expectSdkError(sdk.tasks.update('t-1', { version: 1 }), 400, 'validation_failed');
    await expectSdkError(
      sdk.tasks.update('t-1', { metadata: {} } as never),
      400,
      'validation_failed',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(created);
    await expectSdkError(sdk.tasks.update('t-2', { title: 'x' }), 404, 'not_found');
  });
});

describe('DELETE /tasks/:id', () => {
  test('answers 200 with the id, then 404; the task and its history are gone', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.update('t-1', { title: 'edited' });
    const deleted = await send(serverUrl, 'DELETE', '/tasks/t-1', {
      query: { scope: sdk.scope as string },
    });
    expect(deleted.status).toBe(200);
    expect(deleted.body).toEqual({ message: expect.stringContaining('t-1'), task_id: 't-1' });
    expect(await sdk.tasks.get('t-1')).toBeNull();
    await expectSdkError(sdk.tasks.history('t-1'), 404, 'not_found');
    await expectSdkError(sdk.tasks.delete('t-1'), 404, 'not_found');

    // The same id again starts a fresh history.
    await sdk.tasks.create(newTask('t-1'));
    expect(await events(sdk, 't-1')).toEqual(['created']);
  });

  test('releases the tasks it blocked, with a version bump and an unblocked entry', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('blocker', { priority: 'P0' }));
    await sdk.tasks.create(newTask('waiting', { blocked_by: 'blocker' }));
    await sdk.tasks.update('blocker', { queue: 'failed' });
    // A failed blocker still blocks.
    expect(await sdk.tasks.claim(claimant)).toBeNull();

    await sdk.tasks.delete('blocker');
    const released = await mustGet(sdk, 'waiting');
    expect(released).toMatchObject({ blocked_by: null, version: 2 });
    const { history } = await sdk.tasks.history('waiting');
    expect(history.map((h) => h.event)).toEqual(['created', 'unblocked']);
    expect(JSON.parse(history[1]?.details ?? '{}')).toEqual({
      blocked_by: 'blocker',
      reason: 'blocker_deleted',
    });
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 'waiting' });
  });
});

describe('GET /tasks/:id/history', () => {
  test('lists every step oldest first, with agent, details and timestamps', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const response = await send(serverUrl, 'GET', '/tasks/t-1/history', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ task_id: 't-1', total: 2 });
    const [created, claimed] = response.body.history;
    expect(created).toMatchObject({ task_id: 't-1', event: 'created', agent: null });
    expect(claimed).toMatchObject({ task_id: 't-1', event: 'claimed', agent: 'agent-1' });
    expect(JSON.parse(claimed.details)).toMatchObject({
      orchestrator_id: 'orch-1',
      from: 'incoming',
    });
    expect(claimed.id).toBeGreaterThan(created.id);
    expect(claimed.timestamp).toMatch(ISO_Z);
    expect(claimed).not.toHaveProperty('scope');

    const missing = await send(serverUrl, 'GET', '/tasks/t-2/history', {
      query: { scope: sdk.scope as string },
    });
    expectError(missing, 404, 'not_found');
  });
});
