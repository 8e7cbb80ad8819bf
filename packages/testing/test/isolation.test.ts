import { describe, expect, test } from '@octopoid/testing/vitest';
import { meetingPoint, newTask } from './support.js';

describe.concurrent('scoped clients of parallel tests', () => {
  const bothCreated = meetingPoint(2);

  for (const title of ['first', 'second']) {
    test(`the ${title} of two tests creating task t-1 at once sees only its own`, async ({
      scopedSdk: sdk,
    }) => {
      try {
        await sdk.tasks.create(newTask('t-1', { title }));
      } finally {
        // Both tasks exist before either test looks, so a shared id space would show here.
        await bothCreated();
      }
      const tasks = await sdk.tasks.list();
      expect(tasks.map((task) => [task.id, task.title, task.scope])).toEqual([
        ['t-1', title, sdk.scope],
      ]);
    });
  }

  test('each test gets a scope named after it, unique even for the same name', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    expect(sdk.scope).toMatch(
      /^test-isolation\.scoped-clients-of-parallel\.[0-9a-f]{6}\.ter-it-unique-even-for-the-same-name-[0-9a-f]{10}$/,
    );
    expect(scope.name).toBe(sdk.scope);
  });
});
