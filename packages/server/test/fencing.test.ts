import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { events, expectError, expectSdkError, mustGet, newTask, send } from './tasks-support.js';

const agentA = { orchestrator_id: 'orch-a', agent_name: 'agent-A', lease_duration_seconds: 60 };
const agentB = { orchestrator_id: 'orch-b', agent_name: 'agent-B', lease_duration_seconds: 60 };
/** The v1 Python client's submit: neither agent_name nor version nor a token. */
const v1Submit = { commits_count: 2, turns_used: 7 };

describe('fencing: a former claimant cannot act on a task another agent now holds', () => {
  test('a stale worker’s late v1 submit is refused and recorded, and the new claimant’s own submit works', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    const query = { scope: scope.name };
    await sdk.tasks.create(newTask('t1'));
    const first = await send(serverUrl, 'POST', '/tasks/claim', { query, json: agentA });
    expect(first.body).toMatchObject({ id: 't1', claimed_by: 'agent-A', attempt_count: 1 });
    const tokenA: string = first.body.lease_token;
    expect(tokenA).toMatch(/\S{16,}/);

    await scope.clock.advance('2m');
    const second = await send(serverUrl, 'POST', '/tasks/claim', { query, json: agentB });
    expect(second.body).toMatchObject({ id: 't1', claimed_by: 'agent-B', attempt_count: 2 });
    expect(second.body.lease_token).not.toBe(tokenA);

    const anonymous = await send(serverUrl, 'POST', '/tasks/t1/submit', { query, json: v1Submit });
    expectError(anonymous, 409, 'conflict', 'lease_token');
    const withOldToken = await send(serverUrl, 'POST', '/tasks/t1/submit', {
      query,
      json: { ...v1Submit, lease_token: tokenA },
    });
    expectError(withOldToken, 409, 'conflict', 'lease_token');
    const named = await send(serverUrl, 'POST', '/tasks/t1/submit', {
      query,
      json: { ...v1Submit, agent_name: 'agent-A' },
    });
    expectError(named, 409, 'conflict', 'agent_name');
    expect(await mustGet(sdk, 't1')).toMatchObject({ queue: 'claimed', claimed_by: 'agent-B' });

    const accepted = await send(serverUrl, 'POST', '/tasks/t1/submit', {
      query,
      json: { ...v1Submit, lease_token: second.body.lease_token },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ queue: 'provisional', commits_count: 2 });

    const { history } = await sdk.tasks.history('t1');
    expect(history.map((h) => [h.event, h.agent])).toEqual([
      ['created', null],
      ['claimed', 'agent-A'],
      ['lease_expired', 'agent-A'],
      ['claimed', 'agent-B'],
      ['stale_submit_refused', null],
      ['stale_submit_refused', null],
      ['stale_submit_refused', 'agent-A'],
      ['submitted', 'agent-B'],
    ]);
    expect(JSON.parse(history[5]?.details ?? '{}')).toMatchObject({
      claimed_by: 'agent-B',
      proof: 'lease_token',
    });
  });

  test('the SDK fences by default: a former claimant’s submit and renewal are refused, the holder’s go through', async ({
    scopedSdk: workerA,
    scope,
    serverUrl,
  }) => {
    const workerB = new OctopoidSDK({ serverUrl, scope: scope.name });
    await workerA.tasks.create(newTask('t1'));
    expect(await workerA.tasks.claim(agentA)).toMatchObject({ id: 't1' });
    await scope.clock.advance('2m');
    expect(await workerB.tasks.claim(agentB)).toMatchObject({ id: 't1', claimed_by: 'agent-B' });

    await expectSdkError(workerA.tasks.renewLease('t1'), 409, 'conflict', 'lease_token');
    await expectSdkError(workerA.tasks.submit('t1', v1Submit), 409, 'conflict', 'lease_token');
    expect(await workerB.tasks.renewLease('t1')).toMatchObject({ claimed_by: 'agent-B' });
    expect(await workerB.tasks.submit('t1', v1Submit)).toMatchObject({ queue: 'provisional' });
    expect(await events(workerA, 't1')).toEqual([
      'created',
      'claimed',
      'lease_expired',
      'claimed',
      'stale_renew_refused',
      'stale_submit_refused',
      'lease_renewed',
      'submitted',
    ]);
  });

  test('an anonymous v1 submit still works while no lease on the task was lost', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    const query = { scope: scope.name };
    await sdk.tasks.create(newTask('t1'));
    await send(serverUrl, 'POST', '/tasks/claim', { query, json: agentA });
    const submitted = await send(serverUrl, 'POST', '/tasks/t1/submit', { query, json: v1Submit });
    expect(submitted.status).toBe(200);
    expect((await sdk.tasks.history('t1')).history.at(-1)).toMatchObject({
      event: 'submitted',
      agent: 'agent-A',
    });
  });

  /**
   * Ways an orchestrator ends a work claim on purpose. The v1 client runs its own lease expiry as
   * such a PATCH and then re-claims, so an anonymous submit stays trusted after them; a former
   * claimant that sends its token is still refused.
   */
  const endings: { how: string; end: (serverUrl: string, scope: string) => Promise<unknown> }[] = [
    {
      how: 'a requeue',
      end: (serverUrl, scope) =>
        send(serverUrl, 'POST', '/tasks/t1/requeue', { query: { scope }, json: {} }),
    },
    {
      how: 'a PATCH back to incoming',
      end: (serverUrl, scope) =>
        send(serverUrl, 'PATCH', '/tasks/t1', { query: { scope }, json: { queue: 'incoming' } }),
    },
    {
      how: 'a force-queue',
      end: (serverUrl, scope) =>
        send(serverUrl, 'POST', '/tasks/t1/force-queue', {
          query: { scope },
          json: { queue: 'incoming', reason: 'stuck' },
        }),
    },
  ];

  test.for(endings)(
    'after $how, a former claimant’s token is refused and the new claim’s v1 submit works',
    async ({ end }, { scopedSdk: sdk, scope, serverUrl }) => {
      const query = { scope: scope.name };
      await sdk.tasks.create(newTask('t1'));
      const claimA = await send(serverUrl, 'POST', '/tasks/claim', { query, json: agentA });
      expect(((await end(serverUrl, scope.name)) as { status: number }).status).toBe(200);
      await scope.clock.advance('2h');
      const claimB = await send(serverUrl, 'POST', '/tasks/claim', { query, json: agentB });
      expect(claimB.body).toMatchObject({ id: 't1', claimed_by: 'agent-B' });

      const stale = await send(serverUrl, 'POST', '/tasks/t1/submit', {
        query,
        json: { ...v1Submit, lease_token: claimA.body.lease_token },
      });
      expectError(stale, 409, 'conflict', 'lease_token');
      const v1 = await send(serverUrl, 'POST', '/tasks/t1/submit', { query, json: v1Submit });
      expect(v1.status).toBe(200);
      expect((await sdk.tasks.history('t1')).history.at(-1)).toMatchObject({
        event: 'submitted',
        agent: 'agent-B',
      });
    },
  );
});
