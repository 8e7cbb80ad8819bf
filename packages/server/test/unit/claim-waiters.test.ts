import { describe, test } from '@octopoid/testing/vitest';
import type { ClaimOutcome } from '../../src/domain/tasks/claim.js';
import { ClaimWaiters, WaitLimitReached } from '../../src/domain/tasks/claim-waiters.js';
import type { TaskRow } from '../../src/store/tasks.js';

const EMPTY: ClaimOutcome = { claimed: null, reason: 'empty' };
const claimedTask = (id: string): ClaimOutcome => ({ claimed: { id } as TaskRow });
const HOUR_MS = 3_600_000;

/** A pretend queue of claimable ids; each attempt takes the first, recording who asked. */
function queueOf(ids: string[]) {
  const log: string[] = [];
  const attempt = (who: string) => async () => {
    log.push(who);
    const id = ids.shift();
    return id ? claimedTask(id) : EMPTY;
  };
  return { ids, log, attempt };
}

describe('claim waiters', () => {
  test('hand tasks to waiters first come, first served as the scope is woken', async ({
    expect,
  }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const queue = queueOf([]);
    const first = waiters.wait('s', {
      attempt: queue.attempt('first'),
      candidateKey: 'k',
      waitMs: HOUR_MS,
    });
    const second = waiters.wait('s', {
      attempt: queue.attempt('second'),
      candidateKey: 'k',
      waitMs: HOUR_MS,
    });
    await expect.poll(() => queue.log.length).toBe(2);
    queue.ids.push('t-1');
    waiters.wake('s');
    expect(await first).toEqual(claimedTask('t-1'));
    queue.ids.push('t-2');
    waiters.wake('s');
    expect(await second).toEqual(claimedTask('t-2'));
    expect(waiters.size).toBe(0);
  });

  test('do not try a waiter again in a pass once one with the same candidates found nothing', async ({
    expect,
  }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const queue = queueOf([]);
    const controller = new AbortController();
    const request = { candidateKey: 'k', waitMs: HOUR_MS, signal: controller.signal };
    void waiters.wait('s', { ...request, attempt: queue.attempt('a') });
    void waiters.wait('s', { ...request, attempt: queue.attempt('b') });
    void waiters.wait('s', { ...request, candidateKey: 'other', attempt: queue.attempt('c') });
    // Each new arrival is tried once; then a wake-up's pass skips b after a found nothing.
    await expect.poll(() => queue.log.length).toBe(3);
    queue.log.length = 0;
    waiters.wake('s');
    await expect.poll(() => queue.log).toContain('c');
    expect(queue.log).toEqual(['a', 'c']);
    controller.abort();
  });

  test('end a wait as "empty" when its signal aborts, and never try it again', async ({
    expect,
  }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const queue = queueOf([]);
    const controller = new AbortController();
    const waiting = waiters.wait('s', {
      attempt: queue.attempt('gone'),
      candidateKey: 'k',
      waitMs: HOUR_MS,
      signal: controller.signal,
    });
    await expect.poll(() => queue.log.length).toBe(1);
    controller.abort();
    expect(await waiting).toEqual(EMPTY);
    queue.ids.push('t-1');
    waiters.wake('s');
    expect(queue.log).toEqual(['gone']);
    expect(waiters.size).toBe(0);
  });

  test('answer with the claim an attempt made while its wait ran out', async ({ expect }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const controller = new AbortController();
    let finish: (outcome: ClaimOutcome) => void = () => {};
    let attempts = 0;
    const waiting = waiters.wait('s', {
      attempt: () => {
        attempts++;
        return new Promise<ClaimOutcome>((resolve) => {
          finish = resolve;
        });
      },
      candidateKey: 'k',
      waitMs: HOUR_MS,
      signal: controller.signal,
    });
    await expect.poll(() => attempts).toBe(1);
    controller.abort();
    finish(claimedTask('t-1'));
    expect(await waiting).toEqual(claimedTask('t-1'));
  });

  test('end every wait on close and refuse new ones', async ({ expect }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const queue = queueOf([]);
    const waiting = waiters.wait('s', {
      attempt: queue.attempt('a'),
      candidateKey: 'k',
      waitMs: HOUR_MS,
    });
    await expect.poll(() => queue.log.length).toBe(1);
    waiters.close();
    expect(await waiting).toEqual(EMPTY);
    expect(
      await waiters.wait('s', { attempt: queue.attempt('b'), candidateKey: 'k', waitMs: HOUR_MS }),
    ).toEqual(EMPTY);
    expect(queue.log).toEqual(['a']);
    expect(waiters.size).toBe(0);
  });

  test('pass an attempt’s error to its waiter', async ({ expect }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const failing = waiters.wait('s', {
      attempt: () => Promise.reject(new Error('unknown role')),
      candidateKey: 'k',
      waitMs: HOUR_MS,
    });
    await expect(failing).rejects.toThrow('unknown role');
    expect(waiters.size).toBe(0);
  });

  test('try a new waiter with the older waiters of its candidates only', async ({ expect }) => {
    const waiters = new ClaimWaiters(HOUR_MS);
    const queue = queueOf([]);
    const distinct = (who: string) => ({
      attempt: queue.attempt(who),
      candidateKey: who,
      waitMs: HOUR_MS,
    });
    const first = waiters.wait('s', distinct('first'));
    await expect.poll(() => queue.log).toEqual(['first']);
    const second = waiters.wait('s', distinct('second'));
    const third = waiters.wait('s', distinct('third'));
    await expect.poll(() => queue.log.length).toBe(3);
    expect(queue.log).toEqual(['first', 'second', 'third']);
    waiters.wake('s');
    await expect.poll(() => queue.log.length).toBe(6);
    // A waiter of the first one's candidates arrives: the first, older, is tried first.
    queue.log.length = 0;
    queue.ids.push('t-1');
    const fourth = waiters.wait('s', { ...distinct('fourth'), candidateKey: 'first' });
    expect(await first).toEqual(claimedTask('t-1'));
    await expect.poll(() => queue.log).toEqual(['first', 'fourth']);
    waiters.close();
    await Promise.all([second, third, fourth]);
  });

  test('refuse a wait past the per-scope and the per-server limits', async ({ expect }) => {
    const waiters = new ClaimWaiters(HOUR_MS, { perScope: 2, perServer: 3 });
    const queue = queueOf([]);
    const request = (who: string) => ({
      attempt: queue.attempt(who),
      candidateKey: 'k',
      waitMs: HOUR_MS,
    });
    const held = [waiters.wait('a', request('a1')), waiters.wait('a', request('a2'))];
    await expect(waiters.wait('a', request('a3'))).rejects.toEqual(
      new WaitLimitReached('perScope', 2),
    );
    held.push(waiters.wait('b', request('b1')));
    await expect(waiters.wait('c', request('c1'))).rejects.toEqual(
      new WaitLimitReached('perServer', 3),
    );
    expect(waiters.size).toBe(3);
    waiters.close();
    await Promise.all(held);
    expect(waiters.size).toBe(0);
  });
});
