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

const reviewer = { orchestrator_id: 'orch-r', agent_name: 'reviewer-1', queue: 'provisional' };

describe('POST /tasks/claim', () => {
  test('answers 200 with the task, now claimed, under a 300 s default lease', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.update('t-1', { needs_intervention: true });
    const response = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: claimant,
    });
    expect(response.status).toBe(200);
    const task = response.body;
    expect(task).toMatchObject({
      id: 't-1',
      queue: 'claimed',
      claimed_by: 'agent-1',
      orchestrator_id: 'orch-1',
      needs_intervention: 0,
      attempt_count: 1,
      version: 3,
    });
    expect(Date.parse(task.lease_expires_at) - Date.parse(task.claimed_at)).toBe(300_000);
    expect(await mustGet(sdk, 't-1')).toEqual(task);
    const { history } = await sdk.tasks.history('t-1');
    expect(history.at(-1)).toMatchObject({ event: 'claimed', agent: 'agent-1' });
    expect(JSON.parse(history.at(-1)?.details ?? '{}')).toEqual({
      orchestrator_id: 'orch-1',
      from: 'incoming',
      lease_seconds: 300,
      attempt: 1,
    });
  });

  test('answers 404 when nothing is claimable, which the SDK reads as null', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const empty = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: claimant,
    });
    expectError(empty, 404, 'not_found');
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 't-1' });
    expect(await sdk.tasks.claim(claimant)).toBeNull();
  });

  test('takes the highest priority first, then the oldest', async ({ scopedSdk: sdk }) => {
    // Ids sort against creation order, so only created_at can explain the order.
    await sdk.tasks.create(newTask('z-old-p2'));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('y-p1', { priority: 'P1' }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('x-new-p2'));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('w-p3', { priority: 'P3' }));
    await sdk.testMode.clock.advance('1s');
    await sdk.tasks.create(newTask('v-p0', { priority: 'P0' }));
    const order: string[] = [];
    for (let task = await sdk.tasks.claim(claimant); task; task = await sdk.tasks.claim(claimant)) {
      order.push(task.id);
    }
    expect(order).toEqual(['v-p0', 'y-p1', 'z-old-p2', 'x-new-p2', 'w-p3']);
  });

  test('skips a task whose same-scope blocker is unfinished; a done or missing blocker resolves', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('blocker', { priority: 'P3' }));
    await sdk.tasks.create(newTask('blocked', { priority: 'P0', blocked_by: 'blocker' }));
    await sdk.tasks.create(
      newTask('ghost-blocked', { priority: 'P1', blocked_by: 'no-such-task' }),
    );
    await sdk.tasks.create(newTask('finished', { queue: 'failed' }));
    await sdk.tasks.forceQueue('finished', { queue: 'done', reason: 'finished elsewhere' });
    await sdk.tasks.create(newTask('done-blocked', { priority: 'P2', blocked_by: 'finished' }));

    expect(await sdk.tasks.claim(claimant)).toMatchObject({
      id: 'ghost-blocked',
      blocked_by: 'no-such-task',
    });
    expect(await sdk.tasks.claim(claimant)).toMatchObject({
      id: 'done-blocked',
      blocked_by: 'finished',
    });
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 'blocker' });
    expect(await sdk.tasks.claim(claimant)).toBeNull();

    await sdk.tasks.submit('blocker', { commits_count: 1, turns_used: 5 });
    await sdk.tasks.accept('blocker');
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 'blocked', blocked_by: null });
  });

  test('role_filter and type_filter take a string or a list', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('impl', { role: 'implement', type: 'feature' }));
    await sdk.tasks.create(newTask('impl-bug', { role: 'implement', type: 'bugfix' }));
    await sdk.tasks.create(newTask('review', { role: 'review', type: 'feature' }));
    await sdk.tasks.create(newTask('plain'));

    expect(
      await sdk.tasks.claim({ ...claimant, role_filter: 'implement', type_filter: 'bugfix' }),
    ).toMatchObject({ id: 'impl-bug' });
    expect(await sdk.tasks.claim({ ...claimant, type_filter: ['chore'] })).toBeNull();
    expect(
      await sdk.tasks.claim({
        ...claimant,
        role_filter: ['review', 'nobody'],
        type_filter: 'feature',
      }),
    ).toMatchObject({ id: 'review' });
    expect(await sdk.tasks.claim({ ...claimant, role_filter: 'implement' })).toMatchObject({
      id: 'impl',
    });
    expect(await sdk.tasks.claim({ ...claimant, role_filter: 'implement' })).toBeNull();
    expect(await sdk.tasks.claim(claimant)).toMatchObject({ id: 'plain' });
  });

  test('a reviewer claims from provisional, the task stays there, and is not claimed twice', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    await sdk.tasks.claim(claimant);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 3 });
    // Nothing is in review but t-1; t-2 waits in incoming.
    const review = await sdk.tasks.claim(reviewer);
    expect(review).toMatchObject({
      id: 't-1',
      queue: 'provisional',
      claimed_by: 'reviewer-1',
      orchestrator_id: 'orch-r',
    });
    expect(review?.lease_expires_at).not.toBeNull();
    expect(await sdk.tasks.claim({ ...reviewer, agent_name: 'reviewer-2' })).toBeNull();
    expect((await events(sdk, 't-1')).at(-1)).toBe('review_claimed');

    const accepted = await sdk.tasks.accept('t-1', { accepted_by: 'reviewer-1' });
    expect(accepted).toMatchObject({ queue: 'done', claimed_by: null, lease_expires_at: null });
  });

  test('claims from any queue the flow knows, and records where from', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1', { queue: 'needs_continuation' }));
    await sdk.tasks.create(newTask('t-2'));
    const task = await sdk.tasks.claim({ ...claimant, queue: 'needs_continuation' });
    expect(task).toMatchObject({ id: 't-1', queue: 'claimed' });
    const { history } = await sdk.tasks.history('t-1');
    expect(JSON.parse(history.at(-1)?.details ?? '{}')).toMatchObject({
      from: 'needs_continuation',
    });
    await expectSdkError(
      sdk.tasks.claim({ ...claimant, queue: 'nowhere' }),
      400,
      'validation_failed',
      'queue',
    );
  });

  test('refuses to claim from done or claimed: finished or held work is not claimable', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('finished', { queue: 'failed' }));
    const done = await sdk.tasks.forceQueue('finished', { queue: 'done', reason: 'shipped' });
    await sdk.tasks.create(newTask('held', { queue: 'failed' }));
    const held = await sdk.tasks.forceQueue('held', { queue: 'claimed', reason: 'by hand' });
    for (const queue of ['done', 'claimed']) {
      const error = await expectSdkError(
        sdk.tasks.claim({ ...claimant, queue }),
        400,
        'validation_failed',
        'queue',
      );
      expect(error.message).toContain(queue);
    }
    expect(await mustGet(sdk, 'finished')).toEqual(done);
    expect(await mustGet(sdk, 'held')).toEqual(held);
  });

  test('lease_duration_seconds sets the lease length, up to a week', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const fourHours = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 14_400 });
    expect(
      Date.parse(fourHours?.lease_expires_at ?? '') - Date.parse(fourHours?.claimed_at ?? ''),
    ).toBe(14_400_000);
    const week = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 604_800 });
    expect(Date.parse(week?.lease_expires_at ?? '') - Date.parse(week?.claimed_at ?? '')).toBe(
      604_800_000,
    );
  });

  test('max_claimed caps one orchestrator’s claims with 429, which the SDK reads as null', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    for (const id of ['t-1', 't-2', 't-3', 't-4']) await sdk.tasks.create(newTask(id));
    const capped = { ...claimant, max_claimed: 2 };
    expect(await sdk.tasks.claim(capped)).toMatchObject({ id: 't-1' });
    expect(await sdk.tasks.claim(capped)).toMatchObject({ id: 't-2' });

    const refused = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: capped,
    });
    expectError(refused, 429, 'too_many_claimed');
    expect(await sdk.tasks.claim(capped)).toBeNull();
    expect((await sdk.tasks.list({ queue: 'incoming' })).map((t) => t.id).sort()).toEqual([
      't-3',
      't-4',
    ]);

    // Another orchestrator is not limited by orch-1's claims.
    expect(
      await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'a2', max_claimed: 1 }),
    ).toMatchObject({ id: 't-3' });
    // A task leaving claimed frees a slot.
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    expect(await sdk.tasks.claim(capped)).toMatchObject({ id: 't-4' });
  });

  test('max_claimed answers 429 at the limit even when nothing is left to claim', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const refused = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: { ...claimant, max_claimed: 1 },
    });
    expectError(refused, 429, 'too_many_claimed');
    // Without the cap, the same orchestrator gets the ordinary 404.
    const empty = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: claimant,
    });
    expectError(empty, 404, 'not_found');
  });
});
