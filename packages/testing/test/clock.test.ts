import { OctopoidError } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, neighbourScope, newTask } from './support.js';

describe('scope clocks', () => {
  test('advancing one scope’s clock expires its leases and no other scope’s', async ({
    scopedSdk: sdk,
    scope,
    onTestFinished,
  }) => {
    const neighbour = neighbourScope(sdk, onTestFinished);
    for (const client of [sdk, neighbour]) {
      await client.tasks.create(newTask('t-1'));
      await client.tasks.claim({ ...claimant, lease_duration_seconds: 300 });
    }

    expect(await scope.clock.advance('4m')).toMatchObject({ offsetMs: 240_000, expiredLeases: 0 });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'claimed' });

    expect(await scope.clock.advance('2m')).toMatchObject({ offsetMs: 360_000, expiredLeases: 1 });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ queue: 'incoming', claimed_by: null });
    expect(await neighbour.tasks.get('t-1')).toMatchObject({
      queue: 'claimed',
      claimed_by: 'agent-1',
    });
    const events = (await sdk.tasks.history('t-1')).history.map((entry) => entry.event);
    expect(events).toEqual(['created', 'claimed', 'lease_expired']);
  });

  test('a claim after the advance sees the scope’s time', async ({ scopedSdk: sdk, scope }) => {
    await sdk.tasks.create(newTask('t-1'));
    await scope.clock.advance('1h');
    const claimed = await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 });
    const { now } = await scope.clock.now();
    expect(Date.parse(claimed?.lease_expires_at ?? '')).toBeGreaterThan(Date.parse(now));
    expect(Date.parse(claimed?.claimed_at ?? '')).toBeGreaterThan(Date.now() + 59 * 60_000);
  });

  test('now reports the offset, and reset puts the scope back on real time', async ({ scope }) => {
    const before = await scope.clock.now();
    expect(before).toMatchObject({ scope: scope.name, offsetMs: 0 });
    await scope.clock.advance(90_000);
    const ahead = await scope.clock.now();
    expect(ahead.offsetMs).toBe(90_000);
    expect(Date.parse(ahead.now) - Date.parse(before.now)).toBeGreaterThanOrEqual(90_000);
    expect(await scope.clock.reset()).toMatchObject({ offsetMs: 0 });
  });

  test('purging a scope resets its clock', async ({ scopedSdk: sdk, scope }) => {
    await sdk.tasks.create(newTask('t-1'));
    await scope.clock.advance('1d');
    await sdk.scopes.purge();
    expect(await scope.clock.now()).toMatchObject({ offsetMs: 0 });
  });

  test('a malformed duration answers 400 naming advance', async ({ scope }) => {
    for (const advance of ['10 minutes', '-5s', -1, 1.5, '']) {
      const error = await scope.clock.advance(advance).catch((e: unknown) => e);
      expect(error, String(advance)).toBeInstanceOf(OctopoidError);
      expect(error).toMatchObject({ status: 400, details: [{ field: 'advance' }] });
    }
    expect(await scope.clock.now()).toMatchObject({ offsetMs: 0 });
  });
});
