import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import {
  createFreshPostgresDatabase,
  describe,
  expect,
  startPrivateServer,
  test,
  waitFor,
} from '@octopoid/testing/vitest';
import { CLAIM_WAITER_LIMITS } from '../src/domain/tasks/claim-waiters.js';
import { claimant, expectError, newTask, send } from './tasks-support.js';

/** Resolves once `count` claims of the scope have reached the server (a pass-through rule). */
async function claimsArrived(sdk: OctopoidSDK, count: number): Promise<void> {
  await waitFor(
    `${count} claims at the server`,
    () => sdk.testMode.faults.list(),
    (rules) => rules[0]?.fired === count,
  );
}

const countClaims = (sdk: OctopoidSDK) =>
  sdk.testMode.faults.add({ method: 'POST', path: '/api/v1/tasks/claim', delayMs: 1 });

describe('POST /tasks/claim with wait_seconds', () => {
  test('refuses a wait_seconds above 60, negative, fractional or as text with a 400 naming it', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    for (const wait of [61, -1, 1.5, '5']) {
      const response = await send(serverUrl, 'POST', '/tasks/claim', {
        query: { scope: sdk.scope as string },
        json: { ...claimant, wait_seconds: wait },
      });
      expectError(response, 400, 'validation_failed', 'wait_seconds');
    }
  });

  test('claims at once when a task is already claimable', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const task = await sdk.tasks.claim({ ...claimant, wait_seconds: 30 });
    expect(task).toMatchObject({ id: 't-1', queue: 'claimed', claimed_by: 'agent-1' });
  });

  test('answers 404 once the wait ends with nothing claimable', async ({ scopedSdk: sdk }) => {
    expect(await sdk.tasks.claim({ ...claimant, wait_seconds: 1 })).toBeNull();
    const response = await send(sdk.serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: { ...claimant, wait_seconds: 1 },
    });
    expectError(response, 404, 'not_found');
  });

  test('hands a task created while the claimer waits to that claimer', async ({
    scopedSdk: sdk,
  }) => {
    await countClaims(sdk);
    const waiting = sdk.tasks.claim({ ...claimant, wait_seconds: 30 });
    await claimsArrived(sdk, 1);
    await sdk.tasks.create(newTask('t-1'));
    expect(await waiting).toMatchObject({ id: 't-1', queue: 'claimed', claimed_by: 'agent-1' });
  });

  test('refuses a waiter past the scope’s limit with 429 too_many_waiters naming wait_seconds', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await countClaims(sdk);
    const leave = new AbortController();
    const url = `${serverUrl}/api/v1/tasks/claim?scope=${sdk.scope}`;
    const waiting = Array.from({ length: CLAIM_WAITER_LIMITS.perScope }, (_, i) =>
      fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ ...claimant, agent_name: `a-${i}`, wait_seconds: 60 }),
        signal: leave.signal,
      }).catch(() => undefined),
    );
    await claimsArrived(sdk, CLAIM_WAITER_LIMITS.perScope);
    const refused = await send(serverUrl, 'POST', '/tasks/claim', {
      query: { scope: sdk.scope as string },
      json: { ...claimant, wait_seconds: 60 },
    });
    expectError(refused, 429, 'too_many_waiters', 'wait_seconds');
    expect(refused.headers.get('retry-after')).toBe('2');
    // The waiters go away; their slots free, and the next wait is taken.
    leave.abort();
    await Promise.all(waiting);
    await expect
      .poll(async () => {
        const answer = await send(serverUrl, 'POST', '/tasks/claim', {
          query: { scope: sdk.scope as string },
          json: { ...claimant, wait_seconds: 1 },
        });
        return answer.status;
      })
      .toBe(404);
  });

  test('serves the waiters of a scope first come, first served', async ({ scopedSdk: sdk }) => {
    await countClaims(sdk);
    const first = sdk.tasks.claim({ ...claimant, agent_name: 'first', wait_seconds: 30 });
    await claimsArrived(sdk, 1);
    const second = sdk.tasks.claim({ ...claimant, agent_name: 'second', wait_seconds: 30 });
    await claimsArrived(sdk, 2);
    await sdk.tasks.create(newTask('t-1'));
    expect(await first).toMatchObject({ id: 't-1', claimed_by: 'first' });
    await sdk.tasks.create(newTask('t-2'));
    expect(await second).toMatchObject({ id: 't-2', claimed_by: 'second' });
  });

  test('is not woken by another scope’s task', async ({ scopedSdk: sdk }) => {
    await countClaims(sdk);
    const waiting = sdk.tasks.claim({ ...claimant, wait_seconds: 1 });
    await claimsArrived(sdk, 1);
    await sdk.withScope(`${sdk.scope}-other`).tasks.create(newTask('t-1'));
    expect(await waiting).toBeNull();
    await sdk.withScope(`${sdk.scope}-other`).scopes.purge();
  });

  test('wakes a waiter whose filter matches, not one whose filter does not', async ({
    scopedSdk: sdk,
  }) => {
    await countClaims(sdk);
    const reviewer = sdk.tasks.claim({
      ...claimant,
      agent_name: 'reviewer',
      queue: 'provisional',
      wait_seconds: 1,
    });
    await claimsArrived(sdk, 1);
    const worker = sdk.tasks.claim({ ...claimant, agent_name: 'worker', wait_seconds: 30 });
    await claimsArrived(sdk, 2);
    await sdk.tasks.create(newTask('t-1'));
    expect(await worker).toMatchObject({ id: 't-1', claimed_by: 'worker' });
    expect(await reviewer).toBeNull();
  });

  test('wakes when a lease runs out in a scope clock’s skipped time', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 })).not.toBeNull();
    await countClaims(sdk);
    const waiting = sdk.tasks.claim({ ...claimant, agent_name: 'agent-2', wait_seconds: 30 });
    await claimsArrived(sdk, 1);
    await scope.clock.advance('2m');
    expect(await waiting).toMatchObject({ id: 't-1', claimed_by: 'agent-2', attempt_count: 2 });
  });
});

describe('a waiting claim and the server’s life', () => {
  test('ends with 404 when the server stops, without holding the stop', async () => {
    const server = await startPrivateServer({ testMode: true });
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'stopping' });
    await countClaims(sdk);
    const waiting = sdk.tasks.claim({ ...claimant, wait_seconds: 60 });
    await claimsArrived(sdk, 1);
    await server.close();
    expect(await waiting).toBeNull();
  });
});

describe('waiting claims across instances sharing one PostgreSQL database', () => {
  const ADMIN_URL =
    process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

  test('a task created through one instance wakes a waiter on the other', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    // A re-check slower than the wait: only the other instance's notification can wake it.
    const options = {
      port: 0,
      database: database.url,
      testMode: true,
      logLevel: 'silent',
    } as const;
    const waitingOn = await startServer({ ...options, claimRecheckMs: 3_600_000 });
    const writingOn = await startServer(options);
    try {
      const waiter = new OctopoidSDK({ serverUrl: waitingOn.url, scope: 'shared' });
      const writer = new OctopoidSDK({ serverUrl: writingOn.url, scope: 'shared' });
      await countClaims(waiter);
      const waiting = waiter.tasks.claim({ ...claimant, wait_seconds: 30 });
      await claimsArrived(waiter, 1);
      await writer.tasks.create(newTask('t-1'));
      expect(await waiting).toMatchObject({ id: 't-1', queue: 'claimed' });
    } finally {
      await Promise.all([waitingOn.close(), writingOn.close()]);
      await database.drop();
    }
  });
});
