import { OctopoidSDK, type Task } from '@octopoid/sdk';
import {
  createMockFetch,
  describe,
  expect,
  mockReplies,
  test,
  waitForQueueCount,
  waitForTask,
} from '@octopoid/testing/vitest';
import { Orchestrator, type OrchestratorOptions } from '../src/orchestrator.js';

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main', title: id });

/** An orchestrator whose agent always succeeds and whose reviewer approves everything. */
function orchestrator(sdk: OctopoidSDK, overrides: Partial<OrchestratorOptions> = {}) {
  return new Orchestrator({
    sdk,
    orchestratorId: 'orch-1',
    agentName: 'agent-1',
    work: async () => ({ commits: 1, turns: 3 }),
    review: async () => ({ approve: true }),
    ...overrides,
  });
}

const events = async (sdk: OctopoidSDK, id: string) =>
  (await sdk.tasks.history(id)).history.map((entry) => entry.event);

describe('orchestrator', () => {
  test('works every queued task through to done', async ({ scopedSdk: sdk }) => {
    for (const id of ['t-1', 't-2', 't-3']) await sdk.tasks.create(newTask(id));

    const outcomes = await orchestrator(sdk).runUntilIdle();

    expect(outcomes.map((o) => o.verdict)).toEqual(['accepted', 'accepted', 'accepted']);
    await waitForQueueCount(sdk, 'done', 3);
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed', 'submitted', 'accepted']);
  });

  test('a rejected task is worked again and accepted in the next round', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const review = async (task: Task) =>
      task.rejection_count === 0 ? { approve: false, reason: 'missing tests' } : { approve: true };

    const rejected = await orchestrator(sdk, { review }).runUntilIdle();
    expect(rejected).toEqual([{ taskId: 't-1', verdict: 'rejected' }]);
    // A rejected task waits out its retry backoff (10 s after a first attempt) before the next round.
    await scope.clock.advance('10s');
    const accepted = await orchestrator(sdk, { review }).runUntilIdle();

    expect(accepted).toEqual([{ taskId: 't-1', verdict: 'accepted' }]);
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'done', rejection_count: 1 });
  });

  test('retries through server errors', async ({ scopedSdk: sdk, scope }) => {
    await sdk.tasks.create(newTask('t-1'));
    await scope.faults.add({
      method: 'POST',
      path: '/api/v1/tasks/*/submit',
      status: 503,
      times: 2,
    });
    await scope.faults.add({ method: 'POST', path: '/api/v1/tasks/claim', status: 500, times: 1 });

    expect(await orchestrator(sdk).runOnce()).toEqual({ taskId: 't-1', verdict: 'accepted' });
    expect((await scope.faults.list()).map((rule) => rule.fired)).toEqual([2, 1]);
  });

  test('gives up when the server keeps failing, leaving the task to its lease', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await scope.faults.add({ path: '/api/v1/tasks/*/submit', status: 503 });

    await expect(orchestrator(sdk, { attempts: 3 }).runOnce()).rejects.toMatchObject({
      status: 503,
    });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'claimed' });
    expect((await scope.faults.list())[0]?.fired).toBe(3);
  });

  test('an accept that timed out is checked, tried again, and not reported as a failure', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    // Only the accept is slow: the other calls answer well within the client's second. The held
    // accept is cut off when the client gives up, so it is the retry that lands.
    await scope.faults.add({ path: '/api/v1/tasks/*/accept', delayMs: 3_000, times: 1 });
    const impatient = new OctopoidSDK({ serverUrl, scope: scope.name, timeoutMs: 1_000 });

    expect(await orchestrator(impatient).runOnce()).toEqual({ taskId: 't-1', verdict: 'accepted' });
    await waitForTask(sdk, 't-1', { queue: 'done' });
  });

  test('an accept whose answer was cut off is recognised as done, once', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const fetch = createMockFetch({
      routes: [{ path: '/api/v1/tasks/*/accept', times: 1, reply: mockReplies.resetMidResponse() }],
    });
    const flaky = new OctopoidSDK({ serverUrl, scope: sdk.scope, fetch });

    expect(await orchestrator(flaky).runOnce()).toEqual({ taskId: 't-1', verdict: 'accepted' });
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed', 'submitted', 'accepted']);
    expect(fetch.calls.filter((call) => call.path.endsWith('/accept'))).toHaveLength(2);
  });

  test('the task of a crashed worker is picked up again once its lease runs out', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const crashing = orchestrator(sdk, {
      work: async () => {
        throw new Error('agent crashed');
      },
    });
    await expect(crashing.runOnce()).rejects.toThrow('agent crashed');
    expect(await orchestrator(sdk).runOnce()).toBeNull();

    await scope.clock.advance('10m');

    expect(await orchestrator(sdk, { agentName: 'agent-2' }).runOnce()).toEqual({
      taskId: 't-1',
      verdict: 'accepted',
    });
    expect(await events(sdk, 't-1')).toEqual([
      'created',
      'claimed',
      'lease_expired',
      'claimed',
      'submitted',
      'accepted',
    ]);
  });
});
