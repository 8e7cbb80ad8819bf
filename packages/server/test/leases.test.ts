import { OctopoidSDK, type Task } from '@octopoid/sdk';
import {
  describe,
  expect,
  startPrivateServer,
  test,
  waitFor,
  waitForTask,
} from '@octopoid/testing/vitest';
import { claimant, events, expectSdkError, mustGet, newTask } from './tasks-support.js';

/**
 * Lease tests use real one-second leases. Claim-time expiry is tested on a private server whose
 * background sweep never runs within the test and whose clock is never advanced (an advance
 * expires leases itself), so only the claim can have expired the lease: the test waits until the
 * server's own clock has passed the lease. The sweep itself is tested on a private server
 * sweeping every second. Both follow the project's storage backend.
 */
const LEASE = { lease_duration_seconds: 1 } as const;

async function privateServer(leaseSweepSeconds: number) {
  // No retry backoff: these tests are about when a lease ends, not when a task is retried.
  const server = await startPrivateServer({
    testMode: true,
    leaseSweepSeconds,
    retryBackoffSeconds: 0,
  });
  return { server, sdk: new OctopoidSDK({ serverUrl: server.url, scope: 'leases' }) };
}

/** Waits, without touching any lease, until the server's time is past the task's lease. */
async function pastLease(sdk: OctopoidSDK, task: Task | null): Promise<void> {
  const end = Date.parse(task?.lease_expires_at ?? '');
  expect(end, 'the task holds a lease').not.toBeNaN();
  await waitFor(
    `the server clock to pass the lease ending ${task?.lease_expires_at}`,
    () => sdk.testMode.clock.now(),
    (clock) => Date.parse(clock.now) > end,
  );
}

describe('leases', () => {
  test('an expired claim returns to incoming at the next claim, with lease_expired history', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    const held = await sdk.tasks.claim({ ...claimant, ...LEASE });
    expect(held).toMatchObject({ id: 't-1', queue: 'claimed' });

    await pastLease(sdk, held);
    // Nothing expires the lease until a claim looks.
    expect(await mustGet(sdk, 't-1')).toEqual(held);
    const retaken = await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' });
    expect(retaken).toMatchObject({
      id: 't-1',
      queue: 'claimed',
      claimed_by: 'agent-2',
      orchestrator_id: 'orch-2',
      version: (held?.version ?? 0) + 2,
    });
    const { history } = await sdk.tasks.history('t-1');
    expect(history.map((h) => h.event)).toEqual(['created', 'claimed', 'lease_expired', 'claimed']);
    expect(history[2]?.agent).toBe('agent-1');
    expect(JSON.parse(history[2]?.details ?? '{}')).toEqual({
      from: 'claimed',
      to: 'incoming',
      lease_expires_at: held?.lease_expires_at,
      available_at: held?.lease_expires_at,
    });
  });

  test('an expired claim goes back to the queue it was claimed from', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1', { queue: 'needs_continuation' }));
    await sdk.tasks.create(newTask('review-me'));
    await sdk.tasks.claim(claimant);
    await sdk.tasks.submit('review-me', { commits_count: 1, turns_used: 1 });
    await sdk.tasks.claim({ ...claimant, queue: 'needs_continuation', ...LEASE });
    const review = await sdk.tasks.claim({ ...claimant, queue: 'provisional', ...LEASE });
    expect(review).toMatchObject({ id: 'review-me', queue: 'provisional', claimed_by: 'agent-1' });

    // The review was claimed last: its lease ends last.
    await pastLease(sdk, review);
    // Claiming from incoming finds nothing, but expires both leases of the scope.
    expect(await sdk.tasks.claim(claimant)).toBeNull();
    expect(await mustGet(sdk, 't-1')).toMatchObject({
      queue: 'needs_continuation',
      claimed_by: null,
      orchestrator_id: null,
      claimed_at: null,
      lease_expires_at: null,
    });
    expect(await mustGet(sdk, 'review-me')).toMatchObject({
      queue: 'provisional',
      claimed_by: null,
      lease_expires_at: null,
    });
    expect((await events(sdk, 'review-me')).at(-1)).toBe('lease_expired');
    // The review is claimable again.
    expect(await sdk.tasks.claim({ ...claimant, queue: 'provisional' })).toMatchObject({
      id: 'review-me',
    });
  });

  test('submit and renewal after expiry are 409 and change nothing', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    const held = await sdk.tasks.claim({ ...claimant, ...LEASE });
    await pastLease(sdk, held);
    await expectSdkError(
      sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 }),
      409,
      'conflict',
      'lease_expires_at',
    );
    await expectSdkError(sdk.tasks.renewLease('t-1'), 409, 'conflict', 'lease_expires_at');
    expect(await mustGet(sdk, 't-1')).toEqual(held);
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed']);
  });

  test('renewal keeps a claim alive past its first lease', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    const held = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 });
    const renewed = await sdk.tasks.renewLease('t-1', { lease_duration_seconds: 600 });
    expect(Date.parse(renewed.lease_expires_at ?? '')).toBeGreaterThan(
      Date.parse(held?.lease_expires_at ?? ''),
    );
    // Past the first lease, well before the renewed one ends.
    expect(await sdk.testMode.clock.advance('2m')).toMatchObject({ expiredLeases: 0 });
    expect(await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' })).toBeNull();
    const submitted = await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    expect(submitted.queue).toBe('provisional');
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed', 'lease_renewed', 'submitted']);
  });

  test('an expired claim no longer counts toward max_claimed', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const held = await sdk.tasks.claim({ ...claimant, ...LEASE });
    await pastLease(sdk, held);
    // The returned t-1 queues behind t-2, which was ready before it.
    expect(await sdk.tasks.claim({ ...claimant, max_claimed: 1 })).toMatchObject({ id: 't-2' });
  });

  test('claim fields a PATCH kept outside the claim queues are no lease: nothing expires them', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const past = new Date(Date.now() - 60_000).toISOString();
    const failed = await sdk.tasks.update('t-1', {
      queue: 'failed',
      claimed_by: 'agent-1',
      lease_expires_at: past,
    });
    const noted = await sdk.tasks.create(newTask('t-2'));
    await sdk.tasks.update('t-2', { claimed_by: 'someone', lease_expires_at: past });
    const notedAfter = await mustGet(sdk, 't-2');

    // The claim takes t-2 (its stale claim fields do not make it claimed) and leaves t-1 failed.
    expect(
      await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' }),
    ).toMatchObject({
      id: 't-2',
      version: noted.version + 2,
    });
    expect(await mustGet(sdk, 't-1')).toEqual(failed);
    expect(await events(sdk, 't-1')).not.toContain('lease_expired');
    expect(await events(sdk, 't-2')).not.toContain('lease_expired');
    expect(notedAfter.queue).toBe('incoming');
  });

  test('a lease can only be renewed in a claim queue', async () => {
    const { server, sdk } = await privateServer(3600);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const failed = await sdk.tasks.update('t-1', {
      queue: 'failed',
      claimed_by: 'agent-1',
      lease_expires_at: new Date(Date.now() + 60_000).toISOString(),
    });
    await expectSdkError(sdk.tasks.renewLease('t-1'), 409, 'invalid_transition', 'queue');
    expect(await mustGet(sdk, 't-1')).toEqual(failed);
  });

  test('claim-time expiry stays in the claiming scope', async () => {
    const { server, sdk: a } = await privateServer(3600);
    await using _ = server;
    const b = a.withScope('leases-b');
    await a.tasks.create(newTask('t-1'));
    const held = await a.tasks.claim({ ...claimant, ...LEASE });
    await pastLease(a, held);
    expect(await b.tasks.claim(claimant)).toBeNull();
    expect(await mustGet(a, 't-1')).toEqual(held);
  });

  test('the background sweep returns expired claims without any claim', async () => {
    const { server, sdk } = await privateServer(1);
    await using _ = server;
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const held = await sdk.tasks.claim({ ...claimant, ...LEASE });
    const long = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 600 });
    const other = sdk.withScope('leases-other');
    await other.tasks.create(newTask('t-1'));
    await other.tasks.claim({ ...claimant, ...LEASE });

    // The sweep runs every second: within a few passes both expired claims are back.
    const sweeps = { queue: 'incoming', timeoutMs: 10_000 } as const;
    const task = await waitForTask(sdk, 't-1', sweeps);
    expect(task).toMatchObject({
      queue: 'incoming',
      claimed_by: null,
      lease_expires_at: null,
      version: (held?.version ?? 0) + 1,
    });
    expect((await events(sdk, 't-1')).at(-1)).toBe('lease_expired');
    expect(await mustGet(sdk, 't-2')).toEqual(long);
    await waitForTask(other, 't-1', sweeps);
  });

  test('on the shared server an expired claim is back in incoming once its scope’s clock passes the lease', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    // A lease no real-time sweep can end within the test: only the advance ends it.
    await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 });
    expect(await scope.clock.advance('61s')).toMatchObject({ expiredLeases: 1 });
    const next = { orchestrator_id: 'orch-2', agent_name: 'agent-2' };
    // The task is back in incoming, waiting out its retry backoff (10 s after the first attempt).
    expect(await sdk.tasks.claim(next)).toBeNull();
    expect(await mustGet(sdk, 't-1')).toMatchObject({ queue: 'incoming', claimed_by: null });
    await scope.clock.advance('10s');
    expect(await sdk.tasks.claim(next)).toMatchObject({
      id: 't-1',
      claimed_by: 'agent-2',
    });
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed', 'lease_expired', 'claimed']);
  });
});
