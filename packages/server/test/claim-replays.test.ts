import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { deleteExpiredClaimReplays } from '../src/store/claim-replays.js';
import { claimant, expectError, newTask, send } from './tasks-support.js';

/** A claim sent with `Idempotency-Key: key`, as the SDK sends each claim (and its retries). */
const claimWithKey = (
  serverUrl: string,
  scope: string,
  key: string,
  by: { orchestrator_id: string; agent_name: string } = claimant,
) =>
  send(serverUrl, 'POST', '/tasks/claim', {
    query: { scope },
    json: by,
    headers: { 'idempotency-key': key },
  });

describe('claims by idempotency key, remembered in the database', () => {
  test('a repeat within the window gets the first claim’s task; after it, a claim anew', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1', { priority: 'P0' }));
    await sdk.tasks.create(newTask('t-2'));
    const first = await claimWithKey(serverUrl, scope.name, 'key-1');
    expect(first.body).toMatchObject({ id: 't-1', queue: 'claimed' });
    const repeat = await claimWithKey(serverUrl, scope.name, 'key-1');
    expect(repeat.body).toMatchObject({ id: 't-1', lease_token: first.body.lease_token });
    expect(await sdk.tasks.get('t-2')).toMatchObject({ queue: 'incoming' });
    expect((await sdk.scopes.get())?.counts.claim_replays).toBe(1);

    await scope.clock.advance('61s');
    const late = await claimWithKey(serverUrl, scope.name, 'key-1');
    expect(late.body).toMatchObject({ id: 't-2', queue: 'claimed' });
    expect((await sdk.scopes.get())?.counts.claim_replays).toBe(1);
  });

  test.for([
    ['another agent', { ...claimant, agent_name: 'agent-2' }],
    ['another orchestrator', { ...claimant, orchestrator_id: 'orch-2' }],
  ] as const)(
    'a repeat of the key by %s is refused with 422, the claim untouched',
    async ([, other], { scopedSdk: sdk, scope, serverUrl }) => {
      await sdk.tasks.create(newTask('t-1', { priority: 'P0' }));
      await sdk.tasks.create(newTask('t-2'));
      const first = await claimWithKey(serverUrl, scope.name, 'key-1');
      const reused = await claimWithKey(serverUrl, scope.name, 'key-1', other);
      expectError(reused, 422, 'idempotency_key_reused', 'Idempotency-Key');
      expect(JSON.stringify(reused.body)).not.toContain(first.body.lease_token);
      expect(await sdk.tasks.get('t-1')).toMatchObject({
        claimed_by: claimant.agent_name,
        lease_token: first.body.lease_token,
      });
      expect(await sdk.tasks.get('t-2')).toMatchObject({ queue: 'incoming' });
      const repeat = await claimWithKey(serverUrl, scope.name, 'key-1');
      expect(repeat.body).toMatchObject({ id: 't-1', lease_token: first.body.lease_token });
    },
  );

  test('a repeat after the claim moved on (submitted) claims anew', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1', { priority: 'P0' }));
    await sdk.tasks.create(newTask('t-2'));
    const first = await claimWithKey(serverUrl, scope.name, 'key-1');
    await sdk.tasks.submit('t-1', {
      commits_count: 1,
      turns_used: 1,
      lease_token: first.body.lease_token,
    });
    const repeat = await claimWithKey(serverUrl, scope.name, 'key-1');
    expect(repeat.body).toMatchObject({ id: 't-2', queue: 'claimed' });
  });

  test('keys are per scope, a claim that found nothing is not remembered, deleting the task forgets its key', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    const other = sdk.withScope(`${scope.name}.other`);
    try {
      expect((await claimWithKey(serverUrl, scope.name, 'key-1')).status).toBe(404);
      await sdk.tasks.create(newTask('t-1'));
      await other.tasks.create(newTask('t-9'));
      expect((await claimWithKey(serverUrl, scope.name, 'key-1')).body).toMatchObject({
        id: 't-1',
      });
      expect((await claimWithKey(serverUrl, `${scope.name}.other`, 'key-1')).body).toMatchObject({
        id: 't-9',
      });
      await sdk.tasks.delete('t-1');
      expect((await sdk.scopes.get())?.counts.claim_replays ?? 0).toBe(0);
    } finally {
      await other.scopes.purge();
    }
  });

  test('expired keys are deleted from the database; live ones stay', async () => {
    await using server = await startPrivateServer();
    const scope = 'replays';
    const create = (id: string) =>
      send(server.url, 'POST', '/tasks', { query: { scope }, json: newTask(id) });
    await create('t-1');
    await create('t-2');
    await claimWithKey(server.url, scope, 'key-1');
    await claimWithKey(server.url, scope, 'key-2');
    const rows = () => server.store.db.selectFrom('claim_replays').selectAll().execute();
    const [row] = await rows();
    expect(await deleteExpiredClaimReplays(server.store.db, row?.created_at as string)).toBe(0);
    expect(await rows()).toHaveLength(2);
    const later = new Date(Date.parse(row?.expires_at as string) + 1_000).toISOString();
    expect(await deleteExpiredClaimReplays(server.store.db, later)).toBe(2);
    expect(await rows()).toEqual([]);
  });
});
