import type { Action, ActionCreateInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { expectError, expectSdkError, newTask, send } from './tasks-support.js';

const HOUR = 3600_000;

const proposal = (extra: Partial<ActionCreateInput> = {}): ActionCreateInput => ({
  entity_type: 'task',
  entity_id: 't-1',
  label: 'Retry with a bigger model',
  ...extra,
});

/** The instant `at` written in the zone `hours` east of UTC, e.g. `2026-01-01T05:00:00.000+05:00`. */
function inZone(at: Date, hours: number): string {
  const local = new Date(at.getTime() + hours * HOUR).toISOString().slice(0, -1);
  return `${local}${hours < 0 ? '-' : '+'}${String(Math.abs(hours)).padStart(2, '0')}:00`;
}

/** Newest first, ties in time broken by id: the order the action list promises. */
const inListOrder = (actions: Action[]) =>
  [...actions].sort((a, b) =>
    a.proposed_at === b.proposed_at
      ? a.id < b.id
        ? 1
        : -1
      : a.proposed_at < b.proposed_at
        ? 1
        : -1,
  );

/** A proposal on task t-1 that a human has approved for execution. */
async function executed(sdk: OctopoidSDK): Promise<Action> {
  await sdk.tasks.create(newTask('t-1'));
  const action = await sdk.actions.create(proposal());
  return sdk.actions.execute(action.id);
}

describe('POST /actions', () => {
  test('a proposal is stored with defaults, and JSON fields come back as JSON text', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const action = await sdk.actions.create(
      proposal({
        description: 'the last run burnt out',
        metadata: { attempt: 2 },
        action_data: '{"buttons":[{"label":"Retry","command":"retry"}]}',
      }),
    );
    expect(action).toEqual({
      id: expect.stringMatching(/^act-\d{13}-[0-9a-z]{6}$/),
      scope: sdk.scope,
      entity_type: 'task',
      entity_id: 't-1',
      action_type: 'proposal',
      label: 'Retry with a bigger model',
      description: 'the last run burnt out',
      status: 'proposed',
      proposed_by: 'unknown',
      proposed_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      executed_at: null,
      expires_at: null,
      result: null,
      metadata: '{"attempt":2}',
      action_data: '{"buttons":[{"label":"Retry","command":"retry"}]}',
    });
    expect(await sdk.actions.list()).toEqual([action]);
  });

  test('expires_at in any zone is stored as UTC', async ({ scopedSdk: sdk }) => {
    const at = new Date(Date.now() + 2 * HOUR);
    const action = await sdk.actions.create(
      proposal({ entity_type: 'pull_request', entity_id: '42', expires_at: inZone(at, 5) }),
    );
    expect(action.expires_at).toBe(at.toISOString());
  });

  test('an action names its entity by reference: one the scope does not hold is accepted', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.tasks.create(newTask('t-1'));
    try {
      const response = await send(serverUrl, 'POST', '/actions', {
        json: {
          entity_type: 'task',
          entity_id: 'not-created-here',
          action_type: 'review_task',
          label: 'Review',
          proposed_by: 'gatekeeper',
          action_data: '{"buttons":[]}',
          scope: sdk.scope as string,
        },
      });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        scope: sdk.scope,
        entity_type: 'task',
        entity_id: 'not-created-here',
        action_type: 'review_task',
        action_data: '{"buttons":[]}',
        status: 'proposed',
      });
      const created = [response.body as Action];
      for (const [entity_type, entity_id] of [
        ['task', 't-1'],
        ['project', 'p-missing'],
        ['draft', 'DRAFT-widgets'],
        ['draft', '999999'],
        ['pull_request', 'anything'],
      ]) {
        const action = await sdk.actions.create(proposal({ entity_type, entity_id }));
        expect(action).toMatchObject({ entity_type, entity_id, status: 'proposed' });
        created.push(action);
      }
      expect(await sdk.actions.list()).toEqual(inListOrder(created));
      expect(await other.actions.list()).toEqual([]);
      expect(await other.tasks.list()).toHaveLength(1);
    } finally {
      await other.scopes.purge();
    }
  });

  test('malformed proposals answer 400 naming the field and store nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const valid = { ...proposal(), scope: sdk.scope };
    const cases: [Record<string, unknown>, string][] = [
      [{ ...valid, entity_type: undefined }, 'entity_type'],
      [{ ...valid, entity_id: undefined }, 'entity_id'],
      [{ ...valid, label: undefined }, 'label'],
      [{ ...valid, label: '' }, 'label'],
      [{ ...valid, proposed_by: 3 }, 'proposed_by'],
      [{ ...valid, expires_at: 'tomorrow' }, 'expires_at'],
      [{ ...valid, expires_at: '2030-01-01T00:00:00' }, 'expires_at'],
      [{ ...valid, metadata: '{not json' }, 'metadata'],
      [{ ...valid, action_data: 'buttons' }, 'action_data'],
    ];
    for (const [json, field] of cases) {
      expectError(
        await send(serverUrl, 'POST', '/actions', { json }),
        400,
        'validation_failed',
        field,
      );
    }
    const broken = await send(serverUrl, 'POST', '/actions', {
      query: { scope: sdk.scope as string },
      raw: '{"label": ',
      contentType: 'application/json',
    });
    expectError(broken, 400, 'malformed_json');
    expect(await sdk.actions.list()).toEqual([]);
  });
});

describe('GET /actions', () => {
  test('actions list newest first and filter by entity and status', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const onFirst = await sdk.actions.create(proposal());
    const onSecond = await sdk.actions.create(proposal({ entity_id: 't-2' }));
    const opaque = await sdk.actions.create(proposal({ entity_type: 'pr', entity_id: 't-1' }));
    const approved = await sdk.actions.execute(onSecond.id);

    const all = await sdk.actions.page();
    expect(all).toMatchObject({ total: 3, offset: 0, limit: 50 });
    expect(all.actions).toEqual(inListOrder([onFirst, approved, opaque]));
    expect(await sdk.actions.list({ entity_type: 'task', entity_id: 't-1' })).toEqual([onFirst]);
    expect(await sdk.actions.list({ status: 'execute_requested' })).toEqual([approved]);
    expect(await sdk.actions.list({ entity_type: 'task', status: 'proposed' })).toEqual([onFirst]);
    expect((await sdk.actions.page({ limit: 1, offset: 2 })).actions).toEqual(all.actions.slice(2));
  });

  test('bad paging answers 400 naming the parameter', async ({ scopedSdk: sdk, serverUrl }) => {
    for (const [key, value] of [
      ['limit', -1],
      ['limit', 'all'],
      ['offset', 'x'],
    ] as const) {
      const response = await send(serverUrl, 'GET', '/actions', {
        query: { scope: sdk.scope as string, [key]: value },
      });
      expectError(response, 400, 'validation_failed', `query.${key}`);
    }
  });

  test('expired actions are left out, comparing instants rather than text', async ({
    scopedSdk: sdk,
  }) => {
    const now = new Date();
    const create = (expires_at: string) =>
      sdk.actions.create(proposal({ entity_type: 'pr', entity_id: '1', expires_at }));
    // As text, this past instant sorts after now, and the live one below sorts before it.
    const expired = await create(inZone(new Date(now.getTime() - HOUR), 5));
    const live = await create(inZone(new Date(now.getTime() + HOUR), -5));
    const forever = await sdk.actions.create(proposal({ entity_type: 'pr', entity_id: '1' }));

    expect(await sdk.actions.list()).toEqual(inListOrder([live, forever]));
    expect(await sdk.actions.get(expired.id)).toEqual(expired);
  });
});

describe('action expiry by the scope’s clock', () => {
  test('an action expires when its own scope’s clock passes expires_at', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    const expires_at = new Date(Date.now() + HOUR).toISOString();
    const mine = await sdk.actions.create(proposal({ entity_type: 'pr', expires_at }));
    const theirs = await other.actions.create(proposal({ entity_type: 'pr', expires_at }));
    try {
      expect(await sdk.actions.list()).toEqual([mine]);
      await scope.clock.advance('2h');

      expect(await sdk.actions.list()).toEqual([]);
      await expectSdkError(sdk.actions.execute(mine.id), 409, 'conflict', 'expires_at');
      expect(await sdk.actions.get(mine.id)).toEqual(mine);
      expect(await other.actions.list()).toEqual([theirs]);
      expect((await other.actions.execute(theirs.id)).status).toBe('execute_requested');

      const later = await sdk.actions.create(proposal({ entity_type: 'pr' }));
      expect(later.proposed_at > expires_at).toBe(true);
    } finally {
      await other.scopes.purge();
    }
  });
});

describe('action lifecycle', () => {
  test('execute moves a live proposal to execute_requested once', async ({ scopedSdk: sdk }) => {
    await sdk.tasks.create(newTask('t-1'));
    const action = await sdk.actions.create(proposal());
    const approved = await sdk.actions.execute(action.id);
    expect(approved).toEqual({
      ...action,
      status: 'execute_requested',
      executed_at: expect.stringMatching(/Z$/),
    });
    const again = await expectSdkError(
      sdk.actions.execute(action.id),
      409,
      'invalid_transition',
      'status',
    );
    expect(again.message).toContain('execute_requested');
    expect(await sdk.actions.get(action.id)).toEqual(approved);
  });

  test('an expired proposal cannot be executed', async ({ scopedSdk: sdk }) => {
    const action = await sdk.actions.create(
      proposal({
        entity_type: 'pr',
        expires_at: new Date(Date.now() - HOUR).toISOString(),
      }),
    );
    await expectSdkError(sdk.actions.execute(action.id), 409, 'conflict', 'expires_at');
    expect(await sdk.actions.get(action.id)).toEqual(action);
  });

  test('complete and fail record the outcome of an executed action', async ({ scopedSdk: sdk }) => {
    const first = await executed(sdk);
    const completed = await sdk.actions.complete(first.id, { result: { merged: true } });
    expect(completed).toEqual({ ...first, status: 'completed', result: '{"merged":true}' });

    const second = await sdk.actions.execute((await sdk.actions.create(proposal())).id);
    await sdk.actions.update(second.id, { status: 'executing' });
    const failed = await sdk.actions.fail(second.id, { result: 'merge conflict' });
    expect(failed).toEqual({ ...second, status: 'failed', result: 'merge conflict' });

    const third = await sdk.actions.execute((await sdk.actions.create(proposal())).id);
    expect(await sdk.actions.complete(third.id)).toEqual({ ...third, status: 'completed' });
  });

  test('complete and fail refuse actions that were not executed or are finished', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    const proposed = await sdk.actions.create(proposal());
    const finished = await sdk.actions.complete(
      (await sdk.actions.execute((await sdk.actions.create(proposal())).id)).id,
      { result: 'done' },
    );
    for (const action of [proposed, finished]) {
      await expectSdkError(sdk.actions.complete(action.id), 409, 'invalid_transition', 'status');
      await expectSdkError(
        sdk.actions.fail(action.id, { result: 'x' }),
        409,
        'invalid_transition',
        'status',
      );
      expect(await sdk.actions.get(action.id)).toEqual(action);
    }
  });

  test('PATCH sets any status of the enum and an opaque result', async ({ scopedSdk: sdk }) => {
    const action = await executed(sdk);
    expect(await sdk.actions.update(action.id, { status: 'completed', result: [1, 2] })).toEqual({
      ...action,
      status: 'completed',
      result: '[1,2]',
    });
    expect(await sdk.actions.update(action.id, { status: 'proposed' })).toMatchObject({
      status: 'proposed',
      result: '[1,2]',
    });
    expect(await sdk.actions.update(action.id, { result: null })).toMatchObject({
      status: 'proposed',
      result: null,
    });
  });

  test('malformed writes answer 400 naming the field and change nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const action = await executed(sdk);
    const scope = sdk.scope as string;
    const path = `/actions/${action.id}`;
    expectError(
      await send(serverUrl, 'PATCH', path, { json: { scope, status: 'done' } }),
      400,
      'validation_failed',
      'status',
    );
    expectError(
      await send(serverUrl, 'PATCH', path, { json: { scope } }),
      400,
      'validation_failed',
    );
    for (const [method, target] of [
      ['PATCH', path],
      ['POST', `${path}/complete`],
      ['POST', `${path}/fail`],
      ['POST', `${path}/execute`],
    ] as const) {
      const response = await send(serverUrl, method, target, {
        query: { scope },
        raw: '{"result": ',
        contentType: 'application/json',
      });
      expectError(response, 400, 'malformed_json');
    }
    expect(await sdk.actions.get(action.id)).toEqual(action);
  });

  test('another scope’s action answers 404 on every route and stays unchanged', async ({
    scopedSdk: sdk,
  }) => {
    const action = await executed(sdk);
    const other = sdk.withScope(`${sdk.scope}-other`);
    expect(await other.actions.get(action.id)).toBeNull();
    for (const attempt of [
      () => other.actions.update(action.id, { status: 'failed' }),
      () => other.actions.execute(action.id),
      () => other.actions.complete(action.id, { result: 'stolen' }),
      () => other.actions.fail(action.id, { result: 'stolen' }),
    ]) {
      await expectSdkError(attempt(), 404, 'not_found');
    }
    expect(await other.actions.list()).toEqual([]);
    expect(await sdk.actions.get(action.id)).toEqual(action);
  });
});
