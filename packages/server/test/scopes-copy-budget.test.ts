/**
 * A clone or merge runs in one transaction, and SQLite serves every request on one connection:
 * the copy budget (`maxScopeCopyBytes`) bounds how long one can hold the server. A scope over it
 * is refused with a 413 naming the limit, before anything is written; one within it copies a
 * page at a time.
 */
import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { contentsOf } from './scopes-support.js';
import { expectSdkError, newTask } from './tasks-support.js';

const BUDGET = 64 * 1024;

describe('the copy budget of clones and merges', () => {
  test('a scope holding more than the budget is refused with 413 naming the limit; nothing is written', {
    timeout: 60_000,
  }, async () => {
    await using server = await startPrivateServer({ maxScopeCopyBytes: BUDGET });
    const sdk = (scope: string) => new OctopoidSDK({ serverUrl: server.url, scope });
    const big = sdk('big');
    await big.tasks.create(newTask('t-1', { content: 'x'.repeat(BUDGET / 2) }));
    await big.tasks.create(newTask('t-2', { content: 'x'.repeat(BUDGET / 2) }));
    const before = await contentsOf(big);

    const clone = await big.scopes.clone('copy').catch((error: unknown) => error);
    expect(clone).toMatchObject({ status: 413, code: 'payload_too_large' });
    expect(String((clone as Error).message)).toContain('max-scope-copy-bytes');
    await expectSdkError(big.scopes.merge('parent'), 413, 'payload_too_large', 'scope');
    expect(await sdk('copy').scopes.get()).toBeNull();
    expect(await sdk('parent').scopes.get()).toBeNull();
    expect(await contentsOf(big)).toEqual(before);

    // Within the budget, both work.
    await big.tasks.delete('t-2');
    expect((await big.scopes.clone('copy')).copied.tasks).toBe(1);
    expect((await big.scopes.merge('parent')).moved.tasks).toHaveLength(1);
  });

  test('a clone of more rows than one page copies every row', {
    timeout: 120_000,
  }, async ({ scopedSdk: sdk }) => {
    const ids = Array.from({ length: 1_050 }, (_, i) => `t-${i}`);
    for (let i = 0; i < ids.length; i += 50) {
      await Promise.all(ids.slice(i, i + 50).map((id) => sdk.tasks.create(newTask(id))));
    }
    const copy = sdk.withScope(`${sdk.scope}-copy`);
    const cloned = await sdk.scopes.clone(copy.scope as string);
    expect(cloned.copied).toMatchObject({ tasks: ids.length, task_history: ids.length });
    expect(await contentsOf(copy)).toEqual(await contentsOf(sdk));
    await copy.scopes.purge();
  });
});
