import { appendFileSync } from 'node:fs';
import { OctopoidSDK, OctopoidTimeoutError } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';

/**
 * Run by cleanup-policy.test.ts in a nested vitest: each test records its scope under a label,
 * and the outer test checks which scopes were purged and which were kept.
 */
const record = (label: string, scope: string | undefined) =>
  appendFileSync(
    process.env.OCTOPOID_NESTED_SCOPE_LOG as string,
    `${JSON.stringify({ label, scope })}\n`,
  );

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main' });

test('a passing test', async ({ scopedSdk: sdk }) => {
  record('pass', sdk.scope);
  await sdk.tasks.create(newTask('t-1'));
});

describe('failing', () => {
  test('a failing test', async ({ scopedSdk: sdk, scope }) => {
    record('fail', sdk.scope);
    await sdk.tasks.create(newTask('t-1'));
    await scope.faults.add({ status: 503 });
    await sdk.testMode.faults.add({ path: '/api/v1/tasks/*', status: 500 });
    await sdk.testMode.clock.advance('1h');
    expect('this test').toBe('failing on purpose');
  });
});

test.fails('a test.fails test that fails as expected', async ({ scopedSdk: sdk }) => {
  record('fails-as-expected', sdk.scope);
  await sdk.tasks.create(newTask('t-1'));
  expect('this test').toBe('failing on purpose');
});

test.fails('a test.fails test that passes unexpectedly', async ({ scopedSdk: sdk }) => {
  record('fails-but-passed', sdk.scope);
  await sdk.tasks.create(newTask('t-1'));
});

test('a test whose onTestFinished hook throws', async ({ scopedSdk: sdk, onTestFinished }) => {
  record('hook-throws', sdk.scope);
  onTestFinished(() => {
    throw new Error('the hook fails on purpose');
  });
  await sdk.tasks.create(newTask('t-1'));
});

let attempts = 0;
test('a test that passes on its second attempt', { retry: 2 }, async ({ scopedSdk: sdk }) => {
  attempts += 1;
  record(`attempt-${attempts}`, sdk.scope);
  await sdk.tasks.create(newTask('t-1'));
  expect(attempts).toBe(2);
});

test('a passing test whose held request outlives its client', async ({ scopedSdk: sdk, scope }) => {
  record('held', sdk.scope);
  await scope.faults.add({ method: 'POST', path: '/api/v1/tasks', delayMs: 1_500 });
  const impatient = new OctopoidSDK({ serverUrl: sdk.serverUrl, scope: scope.name, timeoutMs: 50 });
  await expect(impatient.tasks.create(newTask('t-held'))).rejects.toBeInstanceOf(
    OctopoidTimeoutError,
  );
});
