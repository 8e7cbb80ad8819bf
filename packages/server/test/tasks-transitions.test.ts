import type { Task } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
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

/** Creates `id` and claims it (it must be the only claimable task). */
async function claimed(sdk: OctopoidSDK, id = 't-1', extra = {}): Promise<Task> {
  await sdk.tasks.create(newTask(id, extra));
  const task = await sdk.tasks.claim(claimant);
  expect(task?.id).toBe(id);
  return task as Task;
}

/** Creates `id`, claims and submits it: it waits in provisional. */
async function provisional(sdk: OctopoidSDK, id = 't-1'): Promise<Task> {
  await claimed(sdk, id);
  return sdk.tasks.submit(id, { commits_count: 1, turns_used: 10 });
}

const details = async (sdk: OctopoidSDK, id: string) => {
  const { history } = await sdk.tasks.history(id);
  return JSON.parse(history.at(-1)?.details ?? 'null');
};

describe('POST /tasks/:id/submit', () => {
  test('moves claimed work to provisional, storing the report and clearing the claim', async ({
    scopedSdk: sdk,
  }) => {
    const before = await claimed(sdk);
    const submitted = await sdk.tasks.submit('t-1', {
      commits_count: 3,
      turns_used: 42,
      check_results: { lint: 'passed', tests: 12 },
      execution_notes: 'done quickly',
      agent_name: 'agent-1',
      orchestrator_id: 'orch-1',
    });
    expect(submitted).toMatchObject({
      queue: 'provisional',
      commits_count: 3,
      turns_used: 42,
      check_results: '{"lint":"passed","tests":12}',
      execution_notes: 'done quickly',
      claimed_by: null,
      orchestrator_id: null,
      claimed_at: null,
      lease_expires_at: null,
      version: before.version + 1,
    });
    expect(submitted.submitted_at).toMatch(/Z$/);
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'submitted', agent: 'agent-1' });
  });

  test.for([
    { commits: 0, turns: 80, queue: 'needs_continuation' },
    { commits: 0, turns: 79, queue: 'provisional' },
    { commits: 1, turns: 99, queue: 'provisional' },
    { commits: 5, turns: 100, queue: 'needs_continuation' },
    { commits: null, turns: 100, queue: 'needs_continuation' },
    { commits: null, turns: 80, queue: 'provisional' },
    { commits: 0, turns: null, queue: 'provisional' },
  ])(
    'commits $commits and turns $turns go to $queue',
    async ({ commits, turns, queue }, { scopedSdk: sdk }) => {
      await claimed(sdk);
      const submitted = await sdk.tasks.submit('t-1', {
        commits_count: commits,
        turns_used: turns,
      });
      expect(submitted.queue).toBe(queue);
      const burnt = queue === 'needs_continuation';
      expect((await events(sdk, 't-1')).slice(-2)).toEqual(
        burnt ? ['submitted', 'burnout_detected'] : ['claimed', 'submitted'],
      );
      if (burnt) {
        expect(await details(sdk, 't-1')).toEqual({
          commits_count: commits,
          turns_used: turns,
          threshold: 80,
        });
      }
    },
  );

  test('is 409 when the task is not claimed', async ({ scopedSdk: sdk }) => {
    const created = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(
      sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 }),
      409,
      'invalid_transition',
      'queue',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(created);
  });

  test('is 409 for a claimed task that holds no lease, saying so', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const held = await sdk.tasks.update('t-1', { queue: 'claimed', claimed_by: 'agent-1' });
    const error = await expectSdkError(
      sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 }),
      409,
      'conflict',
      'lease_expires_at',
    );
    expect(error.details[0]?.reason).toBe('the task holds no lease');
    expect(await mustGet(sdk, 't-1')).toEqual(held);
  });

  test('is 409 when the caller names someone other than the claimant', async ({
    scopedSdk: sdk,
  }) => {
    const before = await claimed(sdk);
    await expectSdkError(
      sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1, agent_name: 'impostor' }),
      409,
      'conflict',
      'agent_name',
    );
    await expectSdkError(
      sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1, orchestrator_id: 'orch-9' }),
      409,
      'conflict',
      'orchestrator_id',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(before);
  });

  test('needs commits_count and turns_used (null allowed); 404 for an unknown task', async ({
    scopedSdk: sdk,
  }) => {
    const before = await claimed(sdk);
    const error = await expectSdkError(
      sdk.tasks.submit('t-1', {} as never),
      400,
      'validation_failed',
      'commits_count',
    );
    expect(error.details).toContainEqual({ field: 'turns_used', reason: 'is required' });
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    await expectSdkError(
      sdk.tasks.submit('t-2', { commits_count: 1, turns_used: 1 }),
      404,
      'not_found',
    );
  });
});

describe('POST /tasks/:id/accept', () => {
  test('moves provisional work to done; accepted_by defaults to orchestrator', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await provisional(sdk);
    // The Python client may send no body at all.
    const response = await send(serverUrl, 'POST', '/tasks/t-1/accept', {
      query: { scope: sdk.scope as string },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({ queue: 'done', version: before.version + 1 });
    expect(Date.parse(response.body.completed_at)).toBeGreaterThan(0);
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'accepted', agent: 'orchestrator' });
  });

  test('records accepted_by and the caller’s completed_at, in UTC', async ({ scopedSdk: sdk }) => {
    await provisional(sdk);
    const accepted = await sdk.tasks.accept('t-1', {
      accepted_by: 'human',
      completed_at: '2030-05-01T10:00:00+02:00',
    });
    expect(accepted.completed_at).toBe('2030-05-01T08:00:00.000Z');
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'accepted', agent: 'human' });
    expect(JSON.parse(history.at(-1)?.details ?? '{}')).toEqual({
      from: 'provisional',
      to: 'done',
    });
  });

  test('accepts straight from claimed, clearing the claim', async ({ scopedSdk: sdk }) => {
    await claimed(sdk);
    expect(await sdk.tasks.accept('t-1')).toMatchObject({
      queue: 'done',
      claimed_by: null,
      lease_expires_at: null,
    });
  });

  test('is 409 from incoming or done, and writes nothing', async ({ scopedSdk: sdk }) => {
    await provisional(sdk, 't-2');
    const incoming = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(sdk.tasks.accept('t-1'), 409, 'invalid_transition', 'queue');
    expect(await mustGet(sdk, 't-1')).toEqual(incoming);
    const done = await sdk.tasks.accept('t-2');
    await expectSdkError(sdk.tasks.accept('t-2'), 409, 'invalid_transition');
    expect(await mustGet(sdk, 't-2')).toEqual(done);
    await expectSdkError(sdk.tasks.accept('t-3'), 404, 'not_found');
  });

  test('unblocks the tasks waiting for it, with a version bump and an unblocked entry', async ({
    scopedSdk: sdk,
  }) => {
    await provisional(sdk, 'blocker');
    const waiting = await sdk.tasks.create(newTask('waiting', { blocked_by: 'blocker' }));
    await sdk.tasks.accept('blocker');
    expect(await mustGet(sdk, 'waiting')).toMatchObject({
      blocked_by: null,
      version: waiting.version + 1,
    });
    expect(await details(sdk, 'waiting')).toEqual({
      blocked_by: 'blocker',
      reason: 'blocker_done',
    });
  });
});

describe('POST /tasks/:id/reject', () => {
  test('returns the task to incoming, counts it, and keeps the reason in history', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    const before = await provisional(sdk);
    const rejected = await sdk.tasks.reject('t-1', { reason: 'tests fail on CI' });
    expect(rejected).toMatchObject({
      queue: 'incoming',
      rejection_count: 1,
      attempt_count: 1,
      version: before.version + 1,
    });
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'rejected', agent: 'orchestrator' });
    expect(await details(sdk, 't-1')).toEqual({
      from: 'provisional',
      to: 'incoming',
      available_at: rejected.available_at,
      reason: 'tests fail on CI',
    });
    await scope.clock.advance('1m');
    await sdk.tasks.claim(claimant);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    const again = await sdk.tasks.reject('t-1', { reason: 'still red', rejected_by: 'reviewer-2' });
    expect(again.rejection_count).toBe(2);
    expect((await sdk.tasks.history('t-1')).history.at(-1)?.agent).toBe('reviewer-2');
  });

  test('needs a reason; is 409 from incoming', async ({ scopedSdk: sdk }) => {
    const before = await provisional(sdk);
    await expectSdkError(sdk.tasks.reject('t-1', {} as never), 400, 'validation_failed', 'reason');
    await expectSdkError(
      sdk.tasks.reject('t-1', { reason: '' }),
      400,
      'validation_failed',
      'reason',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    await sdk.tasks.create(newTask('t-2'));
    await expectSdkError(
      sdk.tasks.reject('t-2', { reason: 'no' }),
      409,
      'invalid_transition',
      'queue',
    );
  });
});

describe('POST /tasks/:id/requeue', () => {
  test('returns claimed work to incoming, clears the claim and counts an attempt', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await claimed(sdk);
    const response = await send(serverUrl, 'POST', '/tasks/t-1/requeue', {
      query: { scope: sdk.scope as string },
      json: { scope: sdk.scope },
    });
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      queue: 'incoming',
      attempt_count: 1,
      claimed_by: null,
      lease_expires_at: null,
      version: before.version + 1,
    });
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'requeued', agent: 'agent-1' });
  });

  test('requeues from provisional; is 409 from incoming', async ({ scopedSdk: sdk }) => {
    await provisional(sdk);
    expect(await sdk.tasks.requeue('t-1')).toMatchObject({ queue: 'incoming', attempt_count: 1 });
    await expectSdkError(sdk.tasks.requeue('t-1'), 409, 'invalid_transition', 'queue');
    expect((await mustGet(sdk, 't-1')).attempt_count).toBe(1);
  });
});

describe('POST /tasks/:id/force-queue', () => {
  test('moves to any known queue, done included, and writes a force_queue message', async ({
    scopedSdk: sdk,
  }) => {
    await claimed(sdk);
    const failed = await sdk.tasks.forceQueue('t-1', { queue: 'failed', reason: 'agent died' });
    expect(failed).toMatchObject({ queue: 'failed', claimed_by: null, lease_expires_at: null });
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'force_queue', agent: null });
    expect(await details(sdk, 't-1')).toEqual({
      reason: 'agent died',
      from: 'claimed',
      to: 'failed',
    });

    const done = await sdk.tasks.forceQueue('t-1', { queue: 'done', reason: 'fixed by hand' });
    expect(done).toMatchObject({ queue: 'done', version: failed.version + 1 });
    expect(done.completed_at).toBe(done.updated_at);
    const back = await sdk.tasks.forceQueue('t-1', {
      queue: 'needs_continuation',
      reason: 'reopen',
    });
    expect(back.queue).toBe('needs_continuation');

    // One message row per force-queue, in this scope: the purge report counts them.
    const purged = await sdk.scopes.purge();
    expect(purged?.deleted).toMatchObject({ tasks: 1, messages: 3 });
  });

  test('clears needs_intervention, as every transition does', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.update('t-1', { needs_intervention: true });
    const forced = await sdk.tasks.forceQueue('t-1', { queue: 'failed', reason: 'gave up' });
    expect(forced.needs_intervention).toBe(0);
  });

  test('to done unblocks dependents', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('blocker'));
    await sdk.tasks.create(newTask('waiting', { blocked_by: 'blocker' }));
    await sdk.tasks.forceQueue('blocker', { queue: 'done', reason: 'not needed' });
    expect((await mustGet(sdk, 'waiting')).blocked_by).toBeNull();
  });

  test('refuses an unknown queue or a missing reason with 400, writing nothing', async ({
    scopedSdk: sdk,
  }) => {
    const before = await sdk.tasks.create(newTask('t-1'));
    await expectSdkError(
      sdk.tasks.forceQueue('t-1', { queue: 'nowhere', reason: 'x' }),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.forceQueue('t-1', { queue: 'failed' } as never),
      400,
      'validation_failed',
      'reason',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    expect(await events(sdk, 't-1')).toEqual(['created']);
    expect((await sdk.scopes.purge())?.deleted.messages).toBe(0);
  });
});

describe('POST /tasks/:id/lease', () => {
  test('the claimant extends its lease from now', async ({ scopedSdk: sdk }) => {
    const before = await claimed(sdk);
    const renewed = await sdk.tasks.renewLease('t-1', {
      lease_duration_seconds: 3600,
      agent_name: 'agent-1',
      orchestrator_id: 'orch-1',
    });
    expect(renewed).toMatchObject({
      queue: 'claimed',
      claimed_by: 'agent-1',
      version: before.version + 1,
    });
    expect(Date.parse(renewed.lease_expires_at ?? '')).toBeGreaterThan(
      Date.parse(before.lease_expires_at ?? ''),
    );
    expect(Date.parse(renewed.lease_expires_at ?? '') - Date.parse(renewed.updated_at)).toBe(
      3_600_000,
    );
    expect(renewed.claimed_at).toBe(before.claimed_at);
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'lease_renewed', agent: 'agent-1' });
    expect(await details(sdk, 't-1')).toEqual({ lease_expires_at: renewed.lease_expires_at });
  });

  test('is 409 for a task nobody holds, and for a caller who is not the claimant', async ({
    scopedSdk: sdk,
  }) => {
    const before = await claimed(sdk, 't-1');
    await sdk.tasks.create(newTask('free'));
    await expectSdkError(sdk.tasks.renewLease('free'), 409, 'invalid_transition');
    await expectSdkError(
      sdk.tasks.renewLease('t-1', { agent_name: 'impostor' }),
      409,
      'conflict',
      'agent_name',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    await expectSdkError(sdk.tasks.renewLease('t-2'), 404, 'not_found');
  });
});

describe('POST /tasks/:id/hooks/:name/complete', () => {
  const hooks = [
    { name: 'lint', point: 'before_submit', type: 'agent', status: 'pending' },
    { name: 'tests', point: 'before_merge', type: 'orchestrator', status: 'pending' },
  ];

  test('records the outcome inside the task’s hooks text', async ({ scopedSdk: sdk }) => {
    const before = await sdk.tasks.create(newTask('t-1', { hooks }));
    const task = await sdk.tasks.completeHook('t-1', 'tests', {
      status: 'failed',
      evidence: { failing: 3 },
    });
    expect(typeof task.hooks).toBe('string');
    expect(JSON.parse(task.hooks ?? '[]')).toEqual([
      hooks[0],
      { ...hooks[1], status: 'failed', evidence: { failing: 3 } },
    ]);
    expect(task.version).toBe(before.version + 1);
    expect(await details(sdk, 't-1')).toEqual({ hook: 'tests', status: 'failed' });
  });

  test('is 404 for an unknown hook or task, 400 for a bad status', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await sdk.tasks.create(newTask('t-1', { hooks }));
    await sdk.tasks.create(newTask('bare'));
    await expectSdkError(
      sdk.tasks.completeHook('t-1', 'deploy', { status: 'passed' }),
      404,
      'not_found',
    );
    await expectSdkError(
      sdk.tasks.completeHook('bare', 'lint', { status: 'passed' }),
      404,
      'not_found',
    );
    await expectSdkError(
      sdk.tasks.completeHook('t-9', 'lint', { status: 'passed' }),
      404,
      'not_found',
    );
    const bad = await send(serverUrl, 'POST', '/tasks/t-1/hooks/lint/complete', {
      query: { scope: sdk.scope as string },
      json: { status: 'skipped' },
    });
    expectError(bad, 400, 'validation_failed', 'status');
    expect(await mustGet(sdk, 't-1')).toEqual(before);
  });
});

describe('optimistic locking', () => {
  type Write = (sdk: OctopoidSDK, version: number) => Promise<Task>;
  const writes: [string, 'claimed' | 'provisional' | 'incoming', Write][] = [
    ['PATCH', 'incoming', (sdk, version) => sdk.tasks.update('t-1', { title: 'x', version })],
    [
      'submit',
      'claimed',
      (sdk, version) => sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1, version }),
    ],
    ['accept', 'provisional', (sdk, version) => sdk.tasks.accept('t-1', { version })],
    ['reject', 'provisional', (sdk, version) => sdk.tasks.reject('t-1', { reason: 'r', version })],
    ['requeue', 'claimed', (sdk, version) => sdk.tasks.requeue('t-1', { version })],
    [
      'force-queue',
      'incoming',
      (sdk, version) => sdk.tasks.forceQueue('t-1', { queue: 'failed', reason: 'r', version }),
    ],
    ['lease', 'claimed', (sdk, version) => sdk.tasks.renewLease('t-1', { version })],
  ];

  test.for(writes)(
    '%s with a stale version is 409 version_conflict and writes nothing',
    async ([, start, write], { scopedSdk: sdk }) => {
      if (start === 'incoming') {
        await sdk.tasks.create(newTask('t-1'));
        await sdk.tasks.update('t-1', { title: 'at version 2' });
      } else if (start === 'claimed') await claimed(sdk);
      else await provisional(sdk);
      const before = await mustGet(sdk, 't-1');
      const history = await events(sdk, 't-1');

      await expectSdkError(write(sdk, before.version - 1), 409, 'version_conflict', 'version');
      await expectSdkError(write(sdk, before.version + 1), 409, 'version_conflict', 'version');
      expect(await mustGet(sdk, 't-1')).toEqual(before);
      expect(await events(sdk, 't-1')).toEqual(history);

      const after = await write(sdk, before.version);
      expect(after.version).toBe(before.version + 1);
    },
  );
});
