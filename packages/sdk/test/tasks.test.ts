import { describe, expect, test } from '@octopoid/testing/vitest';

const newTask = (id: string, extra: object = {}) => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  ...extra,
});
const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' };

describe('sdk.tasks', () => {
  test('create returns the stored task of the client’s scope', async ({ scopedSdk: sdk }) => {
    const task = await sdk.tasks.create(
      newTask('t-1', { auto_accept: true, hooks: [{ name: 'ci' }] }),
    );
    expect(task).toMatchObject({ id: 't-1', scope: sdk.scope, queue: 'incoming', auto_accept: 1 });
    expect(JSON.parse(task.hooks ?? 'null')).toEqual([{ name: 'ci' }]);
  });

  test('get returns the task, and null for an id the scope does not hold', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1' });
    expect(await sdk.tasks.get('t-missing')).toBeNull();
  });

  test('get does not see a task of another scope', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.withScope(`${sdk.scope}-other`).tasks.get('t-1')).toBeNull();
  });

  test('list and page filter by queue given as a string or an array', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-in'));
    await sdk.tasks.create(newTask('t-failed', { queue: 'failed' }));
    await sdk.tasks.create(newTask('t-claimed', { queue: 'claimed' }));

    expect((await sdk.tasks.list({ queue: 'failed' })).map((t) => t.id)).toEqual(['t-failed']);
    const page = await sdk.tasks.page({ queue: ['incoming', 'failed'], limit: 1 });
    expect(page).toMatchObject({ total: 2, limit: 1, offset: 0 });
    expect(page.tasks).toHaveLength(1);
  });

  test('update edits fields, bumps the version and converts flags', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const updated = await sdk.tasks.update('t-1', { title: 'renamed', needs_intervention: true });
    expect(updated).toMatchObject({ title: 'renamed', needs_intervention: 1, version: 2 });
  });

  test('delete removes the task', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.delete('t-1')).toMatchObject({ task_id: 't-1' });
    expect(await sdk.tasks.get('t-1')).toBeNull();
  });

  test('claim returns the claimed task with the claimant and a lease', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const claimed = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 600 });
    expect(claimed).toMatchObject({ id: 't-1', queue: 'claimed', claimed_by: 'agent-1' });
    expect(claimed?.lease_expires_at).toMatch(/Z$/);
  });

  test('claim resolves null when nothing is claimable', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-failed', { queue: 'failed' }));
    expect(await sdk.tasks.claim(claimant)).toBeNull();
  });

  test('claim resolves null when the orchestrator holds max_claimed tasks (429)', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    expect(await sdk.tasks.claim({ ...claimant, max_claimed: 1 })).not.toBeNull();
    expect(await sdk.tasks.claim({ ...claimant, max_claimed: 1 })).toBeNull();
    expect(await sdk.tasks.list({ queue: 'incoming' })).toHaveLength(1);
  });

  test('submit, reject, requeue and accept move the task between queues', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const submitted = await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 3 });
    expect(submitted).toMatchObject({ queue: 'provisional', commits_count: 1, turns_used: 3 });

    const rejected = await sdk.tasks.reject('t-1', { reason: 'tests fail' });
    expect(rejected).toMatchObject({ queue: 'incoming', rejection_count: 1 });

    // A rejected or requeued task waits out its retry backoff before the next claim.
    await scope.clock.advance('1m');
    await sdk.tasks.claim(claimant);
    const requeued = await sdk.tasks.requeue('t-1');
    expect(requeued).toMatchObject({ queue: 'incoming', attempt_count: 2, claimed_by: null });

    await scope.clock.advance('1m');
    await sdk.tasks.claim(claimant);
    const accepted = await sdk.tasks.accept('t-1', { accepted_by: 'reviewer' });
    expect(accepted.queue).toBe('done');
  });

  test('forceQueue moves a task to any queue of its flow', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const moved = await sdk.tasks.forceQueue('t-1', { queue: 'failed', reason: 'operator' });
    expect(moved.queue).toBe('failed');
  });

  test('renewLease extends the claimant’s lease', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const claimed = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 });
    const renewed = await sdk.tasks.renewLease('t-1', { lease_duration_seconds: 3600 });
    expect(Date.parse(renewed.lease_expires_at ?? '')).toBeGreaterThan(
      Date.parse(claimed?.lease_expires_at ?? ''),
    );
  });

  test('completeHook records the hook’s status', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1', { hooks: [{ name: 'ci', status: 'pending' }] }));
    const task = await sdk.tasks.completeHook('t-1', 'ci', { status: 'passed' });
    expect(JSON.parse(task.hooks ?? '[]')).toEqual([{ name: 'ci', status: 'passed' }]);
  });

  test('history lists every step of the task, oldest first', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const { history, total } = await sdk.tasks.history('t-1');
    expect(history.map((h) => h.event)).toEqual(['created', 'claimed']);
    expect(total).toBe(2);
  });
});
