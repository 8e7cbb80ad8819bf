import { describe, expect, test } from '@octopoid/testing/vitest';
import { claimant, expectError, expectSdkError, mustGet, newTask, send } from './tasks-support.js';

describe('ids must survive a URL path', () => {
  test('. and .. are refused at creation, for tasks and projects, over HTTP and through the SDK', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    for (const id of ['.', '..']) {
      await expectSdkError(sdk.tasks.create(newTask(id)), 400, 'validation_failed', 'id');
      const raw = await send(serverUrl, 'POST', '/tasks', {
        query: { scope: sdk.scope as string },
        json: newTask(id),
      });
      expectError(raw, 400, 'validation_failed', 'id');
      await expectSdkError(
        sdk.projects.create({ id, title: 'p', branch: 'main' }),
        400,
        'validation_failed',
        'id',
      );
    }
    expect(await sdk.tasks.claim(claimant)).toBeNull();
    // Dots inside an id are fine: only whole dot segments are rewritten by URL parsing.
    await sdk.tasks.create(newTask('...'));
    await sdk.tasks.create(newTask('.a.'));
    expect(await mustGet(sdk, '...')).toMatchObject({ id: '...' });
    expect(await mustGet(sdk, '.a.')).toMatchObject({ id: '.a.' });
  });
});

describe('timestamps: years 0001-9999 in UTC, normalised, compared as instants', () => {
  test('a far-future lease beyond 9999 once in UTC is refused; the claim stays with its holder', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t1'));
    const held = await sdk.tasks.claim(claimant);
    await expectSdkError(
      sdk.tasks.update('t1', { lease_expires_at: '9999-12-31T23:00:00-05:00' }),
      400,
      'validation_failed',
      'lease_expires_at',
    );
    expect(await mustGet(sdk, 't1')).toEqual(held);

    const latest = await sdk.tasks.update('t1', { lease_expires_at: '9999-12-31T18:59:59-05:00' });
    expect(latest.lease_expires_at).toBe('9999-12-31T23:59:59.000Z');
    expect(await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' })).toBeNull();
    expect(await mustGet(sdk, 't1')).toMatchObject({ queue: 'claimed', claimed_by: 'agent-1' });
  });

  test('offsets are normalised to UTC with milliseconds; the range ends are exact', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t1'));
    const cases: [string, string | null][] = [
      ['2026-03-01T10:00:00+14:00', '2026-02-28T20:00:00.000Z'],
      ['0001-01-01T00:00:00Z', '0001-01-01T00:00:00.000Z'],
      ['0001-01-01T00:30:00+01:00', null],
      ['9999-12-31T23:59:59.999Z', '9999-12-31T23:59:59.999Z'],
      ['9999-12-31T23:59:59-00:01', null],
    ];
    for (const [input, stored] of cases) {
      const call = sdk.tasks.update('t1', { submitted_at: input });
      if (stored === null) await expectSdkError(call, 400, 'validation_failed', 'submitted_at');
      else expect((await call).submitted_at, input).toBe(stored);
    }
    await expectSdkError(
      sdk.tasks.accept('t1', { completed_at: '+010000-01-01T00:00:00Z' }),
      400,
      'validation_failed',
      'completed_at',
    );
  });

  test('a lease written with an offset expires at its instant, not by its text', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await sdk.tasks.create(newTask('t1'));
    await sdk.tasks.claim(claimant);
    const { now } = await scope.clock.now();
    // One hour from now, written at -05:00: as text it sorts before now's UTC text.
    const inOneHour = new Date(Date.parse(now) + 3_600_000 - 5 * 3_600_000)
      .toISOString()
      .replace('Z', '-05:00');
    await sdk.tasks.update('t1', { lease_expires_at: inOneHour });
    expect(await sdk.tasks.claim({ orchestrator_id: 'orch-2', agent_name: 'agent-2' })).toBeNull();
    await scope.clock.advance('61m');
    expect(await mustGet(sdk, 't1')).toMatchObject({ queue: 'incoming', claimed_by: null });
  });
});
