import { describe, expect, test } from '@octopoid/testing/vitest';
import { meetingPoint, newTask } from './support.js';

/**
 * Two concurrent tests that meet halfway, so each one's assertions fall between the other's: with
 * vitest's global `expect`, `expect.assertions` would count both tests' assertions and inline
 * snapshots would find no test.
 */
describe('the kit’s expect under concurrency', () => {
  const halfway = meetingPoint(2);

  test.concurrent('counts only its own test’s assertions (first of two)', async ({
    scopedSdk: sdk,
  }) => {
    expect.assertions(4);
    const task = await sdk.tasks.create(newTask('t-1'));
    expect(task.queue).toBe('incoming');
    await halfway();
    expect({ id: task.id, version: task.version }).toMatchInlineSnapshot(`
      {
        "id": "t-1",
        "version": 1,
      }
    `);
    expect(await sdk.tasks.get('t-1')).not.toBeNull();
    expect(expect.getState().assertionCalls).toBe(3);
  });

  test.concurrent('counts only its own test’s assertions (second of two)', async ({
    scopedSdk: sdk,
  }) => {
    expect.assertions(3);
    await halfway();
    const task = await sdk.tasks.create(newTask('t-2', { title: 'second' }));
    expect(task.title).toMatchInlineSnapshot(`"second"`);
    expect(await sdk.tasks.list()).toHaveLength(1);
    expect(expect.getState().currentTestName).toMatch(/\(second of two\)$/);
  });

  test.concurrent('is the same expect the test context gives', async ({ expect: own }) => {
    own.hasAssertions();
    expect(expect.getState()).toBe(own.getState());
  });
});
