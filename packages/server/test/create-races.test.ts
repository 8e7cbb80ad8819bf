import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { newTask } from './tasks-support.js';

const ATTEMPTS = 16;

/** Runs `create` ATTEMPTS times at once; resolves the statuses, 201 for a success. */
async function race(create: () => Promise<unknown>): Promise<number[]> {
  const outcomes = await Promise.allSettled(Array.from({ length: ATTEMPTS }, create));
  return outcomes
    .map((o) => (o.status === 'fulfilled' ? 201 : ((o.reason as { status?: number }).status ?? 0)))
    .sort();
}

const oneWinner = [201, ...Array(ATTEMPTS - 1).fill(409)];

describe('concurrent creates of one id', () => {
  test('of a task: exactly one succeeds, the others get 409, none a 500', async ({
    scopedSdk: sdk,
  }) => {
    expect(await race(() => sdk.tasks.create(newTask('t-1')))).toEqual(oneWinner);
    expect(await sdk.tasks.list()).toHaveLength(1);
  });

  test('of a task file_path under different ids: exactly one succeeds', async ({
    scopedSdk: sdk,
  }) => {
    let n = 0;
    const create = () => sdk.tasks.create(newTask(`t-${n++}`, { file_path: 'tasks/same.md' }));
    expect(await race(create)).toEqual(oneWinner);
  });

  test('of a project: exactly one succeeds, the others get 409', async ({ scopedSdk: sdk }) => {
    const create = (s: OctopoidSDK) => () =>
      s.projects.create({ id: 'p-1', title: 'P', branch: 'main' });
    expect(await race(create(sdk))).toEqual(oneWinner);
  });
});
