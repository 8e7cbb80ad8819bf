import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, events, expectSdkError, mustGet, newTask } from './tasks-support.js';

const LEASE = { ...claimant, lease_duration_seconds: 60 };

describe('attempts, retry backoff and attempts_exhausted', () => {
  test('a task whose holder keeps dying fails after max_attempts (server default 5) instead of cycling', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('poison'));
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await sdk.tasks.claim(LEASE)).toMatchObject({ id: 'poison', attempt_count: attempt });
      // The holder dies: its lease runs out, and the backoff (at most an hour) passes.
      await scope.clock.advance('2h');
    }
    expect(await sdk.tasks.claim(LEASE)).toBeNull();
    expect(await mustGet(sdk, 'poison')).toMatchObject({
      queue: 'failed',
      attempt_count: 5,
      claimed_by: null,
      lease_token: null,
    });
    const { history } = await sdk.tasks.history('poison');
    expect(history.at(-1)).toMatchObject({ event: 'attempts_exhausted' });
    expect(JSON.parse(history.at(-1)?.details ?? '{}')).toEqual({
      attempt_count: 5,
      max_attempts: 5,
    });
    expect(history.filter((h) => h.event === 'lease_expired')).toHaveLength(5);
    expect((await sdk.scheduler.poll()).queue_counts).toMatchObject({ failed: 1, incoming: 0 });

    // An operator may give it another go; force-queue ends any backoff at once.
    await sdk.tasks.forceQueue('poison', { queue: 'incoming', reason: 'fixed the cause' });
    expect(await sdk.tasks.claim(LEASE)).toMatchObject({ id: 'poison', attempt_count: 6 });
  });

  test('an expired task waits out a doubling backoff behind ready work', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t1'));
    const held = await sdk.tasks.claim(LEASE);
    await sdk.tasks.create(newTask('t2'));
    await scope.clock.advance('61s');
    const returned = await mustGet(sdk, 't1');
    expect(returned).toMatchObject({ queue: 'incoming', attempt_count: 1 });
    // 10 s after the lease ended, counted from its end, not from when the sweep saw it.
    expect(Date.parse(returned.available_at ?? '')).toBe(
      Date.parse(held?.lease_expires_at ?? '') + 10_000,
    );
    expect(await sdk.tasks.claim(LEASE)).toMatchObject({ id: 't2' });
    await sdk.tasks.submit('t2', { commits_count: 1, turns_used: 1 });
    expect(await sdk.tasks.claim(LEASE)).toBeNull();
    await scope.clock.advance('10s');
    const second = await sdk.tasks.claim(LEASE);
    expect(second).toMatchObject({ id: 't1', attempt_count: 2 });

    // The second failed attempt waits 20 s.
    await scope.clock.advance('61s');
    expect(Date.parse((await mustGet(sdk, 't1')).available_at ?? '')).toBe(
      Date.parse(second?.lease_expires_at ?? '') + 20_000,
    );
  });

  test('a requeued task goes behind ready work, not back to the head of the queue', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t1', { priority: 'P1' }));
    await sdk.tasks.claim(LEASE);
    await sdk.tasks.create(newTask('t2', { priority: 'P1' }));
    const requeued = await sdk.tasks.requeue('t1');
    expect(requeued).toMatchObject({ queue: 'incoming', attempt_count: 1 });
    expect(requeued.available_at).not.toBeNull();
    expect(await sdk.tasks.claim(LEASE)).toMatchObject({ id: 't2' });
    await scope.clock.advance('10s');
    expect(await sdk.tasks.claim(LEASE)).toMatchObject({ id: 't1' });
  });

  test('a task’s own max_attempts wins over the default; a reject ends an attempt too', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t1', { max_attempts: 1 }));
    expect(await mustGet(sdk, 't1')).toMatchObject({ max_attempts: 1, available_at: null });
    await sdk.tasks.claim(LEASE);
    await sdk.tasks.submit('t1', { commits_count: 1, turns_used: 3 });
    const rejected = await sdk.tasks.reject('t1', { reason: 'wrong approach' });
    expect(rejected).toMatchObject({ queue: 'failed', rejection_count: 1, attempt_count: 1 });
    expect((await events(sdk, 't1')).slice(-2)).toEqual(['rejected', 'attempts_exhausted']);
    expect(await sdk.tasks.claim(LEASE)).toBeNull();
  });

  test('max_attempts must be a whole number from 1 to 1000; PATCH may change or clear it', async ({
    scopedSdk: sdk,
  }) => {
    for (const max_attempts of [0, 1.5, 1001, '3']) {
      await expectSdkError(
        sdk.tasks.create(newTask('t1', { max_attempts } as never)),
        400,
        'validation_failed',
        'max_attempts',
      );
    }
    expect(await sdk.tasks.get('t1')).toBeNull();
    await sdk.tasks.create(newTask('t1', { max_attempts: 3 }));
    expect(await sdk.tasks.update('t1', { max_attempts: 10 })).toMatchObject({ max_attempts: 10 });
    expect(await sdk.tasks.update('t1', { max_attempts: null })).toMatchObject({
      max_attempts: null,
    });
  });
});
