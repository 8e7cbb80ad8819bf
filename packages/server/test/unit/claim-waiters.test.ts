import { describe, test } from '@octopoid/testing/vitest';
import type { ClaimOutcome } from '../../src/domain/tasks/claim.js';
import { ClaimWaiters } from '../../src/domain/tasks/claim-waiters.js';
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
    await expect.poll(() => queue.log).toContain('c');
    expect(queue.log).toContain('a');
    expect(queue.log).not.toContain('b');
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
});
