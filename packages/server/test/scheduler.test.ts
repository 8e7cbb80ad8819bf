import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { POLL_LIST_LIMIT } from '../src/domain/scheduler/poll.js';
import { expectError, newTask, send } from './tasks-support.js';

const register = (serverUrl: string, sdk: OctopoidSDK, machine_id: string) =>
  send(serverUrl, 'POST', '/orchestrators/register', {
    json: { scope: sdk.scope, cluster: 'lab', machine_id, repo_url: 'https://example.test/r' },
  });

describe('GET /scheduler/poll', () => {
  test('an empty scope polls zero counts, no review work and no flows', async ({
    scopedSdk: sdk,
  }) => {
    expect(await sdk.scheduler.poll('lab-m1')).toEqual({
      queue_counts: { incoming: 0, claimed: 0, provisional: 0 },
      provisional_tasks: [],
      orchestrator_registered: false,
      scope: sdk.scope,
      flows: {},
    });
  });

  test('queue counts and review work come from this scope only', async ({ scopedSdk: sdk }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    try {
      for (const id of ['t-1', 't-2', 't-3']) await other.tasks.create(newTask(id));
      await other.tasks.create(newTask('t-9', { queue: 'provisional' }));

      await sdk.tasks.create(newTask('t-1'));
      await sdk.tasks.create(newTask('t-2'));
      await sdk.tasks.claim({ orchestrator_id: 'lab-m1', agent_name: 'worker' });
      await sdk.tasks.create(newTask('t-3', { queue: 'needs_continuation' }));
      await sdk.tasks.create(
        newTask('t-4', { queue: 'provisional', hooks: [{ name: 'ci', point: 'pre_merge' }] }),
      );
      await sdk.tasks.update('t-4', { pr_number: 17 });
      await sdk.tasks.create(newTask('t-5', { queue: 'provisional' }));
      await sdk.tasks.claim({
        orchestrator_id: 'lab-m1',
        agent_name: 'reviewer',
        queue: 'provisional',
      });

      const poll = await sdk.scheduler.poll();
      expect(poll.queue_counts).toEqual({
        incoming: 1,
        claimed: 1,
        provisional: 2,
        needs_continuation: 1,
      });
      expect(poll.provisional_tasks).toEqual([
        {
          id: 't-4',
          hooks: (await sdk.tasks.get('t-4'))?.hooks,
          pr_number: 17,
          claimed_by: 'reviewer',
        },
        { id: 't-5', hooks: null, pr_number: null, claimed_by: null },
      ]);
      expect(poll.provisional_tasks[0]?.hooks).toContain('"ci"');
    } finally {
      await other.scopes.purge();
    }
  });

  test('lists at most 500 review tasks, the oldest first, while counting them all', async ({
    scopedSdk: sdk,
  }) => {
    const ids = Array.from(
      { length: POLL_LIST_LIMIT + 2 },
      (_, i) => `t-${String(i).padStart(3, '0')}`,
    );
    for (const id of ids) await sdk.tasks.create(newTask(id, { queue: 'provisional' }));

    const poll = await sdk.scheduler.poll();
    expect(poll.queue_counts.provisional).toBe(ids.length);
    expect(poll.provisional_tasks.map((task) => task.id)).toEqual(ids.slice(0, POLL_LIST_LIMIT));
  });

  test('flows are this scope’s registered flows, by name', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    const states = ['incoming', 'claimed', 'review', 'done', 'failed'];
    const put = (client: OctopoidSDK, name: string, flowStates: string[]) =>
      send(serverUrl, 'PUT', `/flows/${name}`, {
        json: { scope: client.scope, states: flowStates },
      });
    try {
      expect((await put(sdk, 'reviewed', states)).status).toBe(200);
      expect((await put(other, 'reviewed', ['incoming', 'claimed', 'done', 'failed'])).status).toBe(
        200,
      );
      expect((await put(other, 'hotfix', ['incoming', 'claimed', 'done', 'failed'])).status).toBe(
        200,
      );
      expect((await sdk.scheduler.poll()).flows).toEqual({ reviewed: { states } });
    } finally {
      await other.scopes.purge();
    }
  });

  test('orchestrator_registered is true only for an orchestrator of this scope', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    try {
      const elsewhere = await register(serverUrl, other, 'm1');
      expect(elsewhere.body.orchestrator_id).toBe('lab-m1');
      expect((await sdk.scheduler.poll('lab-m1')).orchestrator_registered).toBe(false);

      expect((await register(serverUrl, sdk, 'm1')).status).toBe(201);
      expect((await sdk.scheduler.poll('lab-m1')).orchestrator_registered).toBe(true);
      expect((await sdk.scheduler.poll('lab-m2')).orchestrator_registered).toBe(false);
      expect((await sdk.scheduler.poll()).orchestrator_registered).toBe(false);
    } finally {
      await other.scopes.purge();
    }
  });

  test('a poll that names no scope answers 400', async ({ serverUrl }) => {
    const response = await send(serverUrl, 'GET', '/scheduler/poll', {
      query: { orchestrator_id: 'lab-m1' },
    });
    expectError(response, 400, 'scope_required', 'scope');
  });
});
