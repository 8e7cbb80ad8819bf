import { appendFileSync } from 'node:fs';
import { expect, test } from '@octopoid/testing/vitest';

/** Run by cleanup-policy.test.ts in a nested vitest; one test passes, one fails on purpose. */
const record = (outcome: string, scope: string | undefined) =>
  appendFileSync(
    process.env.OCTOPOID_NESTED_SCOPE_LOG as string,
    `${JSON.stringify({ outcome, scope })}\n`,
  );

test('a passing test', async ({ scopedSdk: sdk }) => {
  record('pass', sdk.scope);
  await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
});

test('a failing test', async ({ scopedSdk: sdk, scope }) => {
  record('fail', sdk.scope);
  await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
  await scope.faults.add({ status: 503 });
  expect('this test').toBe('failing on purpose');
});
