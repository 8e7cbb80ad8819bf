import type { Task } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, newTask, sdkError } from './tasks-support.js';

const CLAIMERS = 32;

async function createTasks(sdk: OctopoidSDK, count: number, extra = {}) {
  const ids = Array.from({ length: count }, (_, i) => `t-${String(i).padStart(2, '0')}`);
  await Promise.all(ids.map((id) => sdk.tasks.create(newTask(id, extra))));
  return ids;
}

/** Claims until the server has nothing left for this claimer; any error fails the test. */
async function claimLoop(sdk: OctopoidSDK, body: Parameters<OctopoidSDK['tasks']['claim']>[0]) {
  const won: Task[] = [];
  for (let task = await sdk.tasks.claim(body); task; task = await sdk.tasks.claim(body)) {
    won.push(task);
  }
  return won;
}

describe('claims under concurrency', () => {
  test(`${CLAIMERS} claimers drain 40 tasks: each claimed exactly once, never an error`, async ({
    scopedSdk: sdk,
  }) => {
    const ids = await createTasks(sdk, 40);
    const results = await Promise.all(
      Array.from({ length: CLAIMERS }, (_, i) =>
        claimLoop(sdk, { orchestrator_id: `orch-${i % 4}`, agent_name: `agent-${i}` }),
      ),
    );

    const claimedIds = results.flat().map((t) => t.id);
    expect(claimedIds).toHaveLength(40);
    expect(new Set(claimedIds).size).toBe(40);
    expect([...claimedIds].sort()).toEqual(ids);

    // The server agrees with what each claimer was told.
    const tasks = await sdk.tasks.list({ limit: 500 });
    expect(tasks.every((t) => t.queue === 'claimed' && t.version === 2)).toBe(true);
    const byId = new Map(tasks.map((t) => [t.id, t.claimed_by]));
    results.forEach((won, i) => {
      for (const task of won) expect(byId.get(task.id)).toBe(`agent-${i}`);
    });
    const histories = await Promise.all(ids.map((id) => sdk.tasks.history(id)));
    for (const { history } of histories) {
      expect(history.filter((h) => h.event === 'claimed')).toHaveLength(1);
    }
  });

  test('max_claimed holds under concurrent claims by one orchestrator', async ({
    scopedSdk: sdk,
  }) => {
    await createTasks(sdk, 20);
    const results = await Promise.all(
      Array.from({ length: CLAIMERS }, (_, i) =>
        claimLoop(sdk, { orchestrator_id: 'orch-1', agent_name: `agent-${i}`, max_claimed: 5 }),
      ),
    );
    expect(results.flat()).toHaveLength(5);
    expect(await sdk.tasks.page({ queue: 'claimed' })).toMatchObject({ total: 5 });
    expect(await sdk.tasks.page({ queue: 'incoming' })).toMatchObject({ total: 15 });
  });

  test('concurrent reviewers never share a provisional task', async ({ scopedSdk: sdk }) => {
    const ids = await createTasks(sdk, 10);
    for (const _ of ids) await sdk.tasks.claim(claimant);
    await Promise.all(ids.map((id) => sdk.tasks.submit(id, { commits_count: 1, turns_used: 1 })));
    const results = await Promise.all(
      Array.from({ length: 16 }, (_, i) =>
        claimLoop(sdk, {
          orchestrator_id: 'orch-r',
          agent_name: `reviewer-${i}`,
          queue: 'provisional',
        }),
      ),
    );
    const reviewed = results.flat().map((t) => t.id);
    expect([...reviewed].sort()).toEqual(ids);
    const tasks = await sdk.tasks.list({ queue: 'provisional' });
    expect(tasks).toHaveLength(10);
    expect(new Set(tasks.map((t) => t.claimed_by)).size).toBe(
      new Set(results.flatMap((r, i) => (r.length ? [i] : []))).size,
    );
  });

  test('of concurrent writes at one version, exactly one wins and the rest get 409', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const outcomes = await Promise.allSettled(
      Array.from({ length: 16 }, (_, i) =>
        sdk.tasks.update('t-1', { title: `writer-${i}`, version: 1 }),
      ),
    );
    const winners = outcomes.filter((o) => o.status === 'fulfilled');
    expect(winners).toHaveLength(1);
    for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
      const error = await sdkError(Promise.reject(lost.reason));
      expect({ status: error.status, code: error.code }).toEqual({
        status: 409,
        code: 'version_conflict',
      });
    }
    const task = await sdk.tasks.get('t-1');
    expect(task).toEqual((winners[0] as PromiseFulfilledResult<Task>).value);
    expect(task?.version).toBe(2);
  });
});
