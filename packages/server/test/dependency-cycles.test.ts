import { describe, expect, test } from '@octopoid/testing/vitest';
import { MAX_DEPENDENCY_CHAIN } from '../src/domain/tasks/dependency-cycles.js';
import { siblingScope } from './scopes-support.js';
import { expectSdkError, mustGet, newTask, snapshot } from './tasks-support.js';

describe('dependency cycles are refused, naming blocked_by', () => {
  test('a task blocked by itself, on create and on PATCH', async ({ scopedSdk: sdk }) => {
    await expectSdkError(
      sdk.tasks.create(newTask('a', { blocked_by: 'a' })),
      409,
      'conflict',
      'blocked_by',
    );
    expect(await sdk.tasks.get('a')).toBeNull();
    const a = await sdk.tasks.create(newTask('a'));
    await expectSdkError(sdk.tasks.update('a', { blocked_by: 'a' }), 409, 'conflict', 'blocked_by');
    expect(await mustGet(sdk, 'a')).toEqual(a);
  });

  test('two tasks, and longer chains, that wait for each other', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('a'));
    await sdk.tasks.create(newTask('b', { blocked_by: 'a' }));
    await sdk.tasks.create(newTask('c', { blocked_by: 'b' }));
    const before = await snapshot(sdk);
    const error = await expectSdkError(
      sdk.tasks.update('a', { blocked_by: 'b' }),
      409,
      'conflict',
      'blocked_by',
    );
    expect(error.message).toContain('a → b → a');
    await expectSdkError(sdk.tasks.update('a', { blocked_by: 'c' }), 409, 'conflict', 'blocked_by');
    expect(await snapshot(sdk)).toEqual(before);
    // Not a cycle: a task may wait for one that waits for something else.
    expect(await sdk.tasks.update('a', { blocked_by: 'elsewhere' })).toMatchObject({
      blocked_by: 'elsewhere',
    });
  });

  test('a merge that would close a cycle is refused and writes nothing', async ({
    scopedSdk: child,
  }) => {
    const parent = siblingScope(child, 'main');
    await parent.tasks.create(newTask('PA', { blocked_by: 'CX' }));
    await child.tasks.create(newTask('CX', { blocked_by: 'PA' }));
    const [parentBefore, childBefore] = [await snapshot(parent), await snapshot(child)];
    await expectSdkError(child.scopes.merge(parent.scope as string), 409, 'conflict', 'blocked_by');
    expect(await snapshot(parent)).toEqual(parentBefore);
    expect(await snapshot(child)).toEqual(childBefore);
  });

  test('a long cycle is named by its ends; a chain past the limit is refused, not walked', {
    timeout: 60_000,
  }, async ({ scopedSdk: sdk }) => {
    // c-1 waits for c-2, which waits for c-3, …: each create walks one link (the next is not
    // there yet).
    const link = (n: number) => `c-${n}`;
    for (let n = 1; n <= MAX_DEPENDENCY_CHAIN + 1; n++) {
      await sdk.tasks.create(newTask(link(n), { blocked_by: link(n + 1) }));
    }
    const cycle = await expectSdkError(
      sdk.tasks.update(link(20), { blocked_by: link(1) }),
      409,
      'conflict',
      'blocked_by',
    );
    expect(cycle.message).toContain(
      'c-20 → c-1 → c-2 → c-3 → c-4 → … 11 more … → c-16 → c-17 → c-18 → c-19 → c-20',
    );

    const before = await snapshot(sdk);
    const tooLong = await expectSdkError(
      sdk.tasks.create(newTask('x', { blocked_by: link(1) })),
      409,
      'conflict',
      'blocked_by',
    );
    expect(tooLong.message).toContain(`more than ${MAX_DEPENDENCY_CHAIN} tasks`);
    expect(JSON.stringify(tooLong.details).length).toBeLessThan(1_000);
    expect(await snapshot(sdk)).toEqual(before);
  });
});
