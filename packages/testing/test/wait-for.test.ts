import {
  describe,
  expect,
  test,
  WaitTimeoutError,
  waitForQueueCount,
  waitForTask,
} from '@octopoid/testing/vitest';
import { claimant, newTask } from './support.js';

describe('await helpers', () => {
  test('waitForTask resolves once another actor moves the task', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const done = waitForTask(sdk, 't-1', { queue: 'done' });
    await sdk.tasks.claim(claimant);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    await sdk.tasks.accept('t-1');
    expect(await done).toMatchObject({ id: 't-1', queue: 'done', version: 4 });
  });

  test('waitForTask with a predicate waits for the state it describes', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const rejectedTwice = waitForTask(sdk, 't-1', {
      predicate: (task) => task.rejection_count === 2,
    });
    for (const round of [1, 2]) {
      await sdk.tasks.claim(claimant);
      await sdk.tasks.submit('t-1', { commits_count: round, turns_used: 1 });
      await sdk.tasks.reject('t-1', { reason: `round ${round}` });
      // A rejected task waits out its retry backoff before it can be claimed again.
      await scope.clock.advance('1m');
    }
    expect(await rejectedTwice).toMatchObject({ queue: 'incoming', rejection_count: 2 });
  });

  test('a wait that runs out says what it waited for and what it saw last', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const error = await waitForTask(sdk, 't-1', { queue: 'done', timeoutMs: 50 }).catch(
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(WaitTimeoutError);
    expect((error as WaitTimeoutError).message).toMatch(
      new RegExp(
        `^task t-1 in scope ${sdk.scope} did not reach queue done within 50 ms; last seen: \\{"queue":"incoming","version":1,`,
      ),
    );
    expect((error as WaitTimeoutError).lastSeen).toMatchObject({ id: 't-1', queue: 'incoming' });

    await expect(waitForTask(sdk, 't-404', { timeoutMs: 20 })).rejects.toThrow(
      /did not exist within 20 ms; last seen: no such task/,
    );
  });

  test('under vitest’s default 5 s test timeout, a wait that never ends fails with its own error', {
    timeout: 5_000,
  }, async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await expect(waitForTask(sdk, 't-1', { queue: 'done' })).rejects.toThrow(
      /did not reach queue done within \d+ ms; last seen: /,
    );
  });

  test('waitForQueueCount resolves when the queue holds that many tasks', async ({
    scopedSdk: sdk,
  }) => {
    const three = waitForQueueCount(sdk, 'incoming', 3);
    await Promise.all(['t-1', 't-2', 't-3'].map((id) => sdk.tasks.create(newTask(id))));
    expect(await three).toBe(3);
    await expect(waitForQueueCount(sdk, 'incoming', 4, { timeoutMs: 20 })).rejects.toThrow(
      `queue incoming of scope ${sdk.scope} did not hold 4 tasks within 20 ms; last seen: 3 tasks`,
    );
  });
});
