import { expect, test } from '@octopoid/testing/vitest';

test('a task goes from create to accept on the installed server', async ({ scopedSdk: sdk }) => {
  expect((await sdk.health.check()).dialect).toBe(process.env.EXPECTED_DIALECT);
  await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
  const claimed = await sdk.tasks.claim({ orchestrator_id: 'orch-1', agent_name: 'agent-1' });
  expect(claimed?.id).toBe('t-1');
  await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
  expect(await sdk.tasks.accept('t-1', { accepted_by: 'reviewer' })).toMatchObject({
    queue: 'done',
  });
});

test('each test has a scope of its own', async ({ scopedSdk: sdk, scope }) => {
  expect(sdk.scope).toBe(scope.name);
  expect(await sdk.tasks.list()).toEqual([]);
});
