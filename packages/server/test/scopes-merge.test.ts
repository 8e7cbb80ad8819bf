import type { ScopeMergeReport } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { contentsOf, counts, REVIEW_FLOW, seedWork, siblingScope } from './scopes-support.js';
import { expectError, expectSdkError, newTask, type RawResponse, send } from './tasks-support.js';

const unchanged = (ids: readonly string[]) => [...ids].sort().map((id) => ({ from: id, to: id }));

const mergedEntry = (sdk: OctopoidSDK, taskId: string, fromId = taskId) => ({
  task_id: taskId,
  event: 'merged',
  agent: null,
  details: JSON.stringify({ from_scope: sdk.scope, from_id: fromId }),
  timestamp: expect.stringMatching(/Z$/),
});

/** A merge request the SDK cannot inspect when refused: the 409 body carries the report. */
function mergeRaw(serverUrl: string, sdk: OctopoidSDK, json: object) {
  return send(serverUrl, 'POST', `/scopes/${sdk.scope}/merge`, { json });
}

/** Asserts a refused merge: the one error shape, plus the report. */
function refusalReport(response: RawResponse): ScopeMergeReport {
  const { report, ...body } = response.body;
  expectError({ ...response, body }, 409, 'conflict');
  return report;
}

describe('merging a child scope into its parent', () => {
  test('a merge without conflicts moves all the work, keeps every reference and empties the child', async ({
    scopedSdk: sdk,
  }) => {
    const parent = siblingScope(sdk, 'main');
    await parent.drafts.create({ title: 'one', author: 'human' });
    await parent.drafts.create({ title: 'two', author: 'human' });
    await parent.tasks.create(newTask('main-1'));
    const parentBefore = await contentsOf(parent);
    const seeded = await seedWork(sdk);
    const child = await contentsOf(sdk);

    const report = await sdk.scopes.merge(parent.scope as string);

    expect(report).toEqual({
      scope: sdk.scope,
      into: parent.scope,
      onConflict: 'fail',
      dryRun: false,
      moved: {
        tasks: unchanged(['t-1', 't-2']),
        task_history: 4,
        projects: unchanged(['p-1']),
        drafts: [{ from: seeded.draftId, to: 3 }],
        messages: unchanged(seeded.messageIds),
        actions: unchanged(seeded.actionIds),
        flows: unchanged(['review']),
      },
      conflicts: [],
      kept: [],
      remaining: counts({}),
    });
    expect(await sdk.scopes.get()).toBeNull();

    const after = await contentsOf(parent);
    expect(after.tasks).toEqual([...parentBefore.tasks, ...child.tasks]);
    expect(after.history).toEqual({
      ...parentBefore.history,
      't-1': [...(child.history['t-1'] ?? []), mergedEntry(sdk, 't-1')],
      't-2': [...(child.history['t-2'] ?? []), mergedEntry(sdk, 't-2')],
    });
    expect(after.projects).toEqual(child.projects);
    expect(after.flows).toEqual(child.flows);
    expect(after.messages).toEqual(child.messages);
    expect(after.drafts).toEqual([...parentBefore.drafts, { ...child.drafts[0], id: 3 }]);
    expect(after.actions).toEqual(
      child.actions.map((action) =>
        action.entity_type === 'draft' ? { ...action, entity_id: '3' } : action,
      ),
    );
    await parent.scopes.purge();
  });

  test('under "fail" any conflict refuses the merge (409) with the report, writing nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const parent = siblingScope(sdk, 'main');
    await parent.tasks.create(newTask('t-1', { file_path: 'tasks/elsewhere.md' }));
    await parent.tasks.create(newTask('other', { file_path: 'tasks/t-2.md' }));
    await seedWork(sdk);
    const [childBefore, parentBefore] = [await contentsOf(sdk), await contentsOf(parent)];

    const refused = await mergeRaw(serverUrl, sdk, { into: parent.scope });

    const report = refusalReport(refused);
    expect(refused.body.details.map((d: { field: string }) => d.field)).toEqual([
      'tasks/t-1',
      'tasks/t-2',
    ]);
    expect(report.conflicts).toEqual([
      { type: 'tasks', id: 't-1', field: 'id', value: 't-1', resolution: 'failed' },
      { type: 'tasks', id: 't-2', field: 'file_path', value: 'tasks/t-2.md', resolution: 'failed' },
    ]);
    expect(report.moved.tasks).toEqual([]);
    expect(report.remaining.tasks).toBe(2);
    expect(await contentsOf(sdk)).toEqual(childBefore);
    expect(await contentsOf(parent)).toEqual(parentBefore);
    await expectSdkError(sdk.scopes.merge(parent.scope as string), 409, 'conflict', 'tasks/t-1');
    await parent.scopes.purge();
  });

  test('under "skip" a conflicting entity stays with everything linked to it; the rest moves', async ({
    scopedSdk: sdk,
  }) => {
    const parent = siblingScope(sdk, 'main');
    const theirs = await parent.tasks.create(newTask('t-1', { file_path: 'tasks/theirs.md' }));
    const seeded = await seedWork(sdk);
    await sdk.tasks.create(newTask('solo'));
    const note = await sdk.messages.create({
      task_id: 'solo',
      from_actor: 'agent-1',
      type: 'note',
      content: 'independent',
    });

    const report = await sdk.scopes.merge(parent.scope as string, { onConflict: 'skip' });

    expect(report.conflicts).toEqual([
      { type: 'tasks', id: 't-1', field: 'id', value: 't-1', resolution: 'skipped' },
    ]);
    expect(report.moved).toMatchObject({
      tasks: unchanged(['solo']),
      task_history: 1,
      projects: [],
      drafts: [],
      messages: unchanged([note.id]),
      actions: [],
      flows: unchanged(['review']),
    });
    const linkedToT1 = { type: 'tasks', id: 't-1' };
    expect(report.kept).toEqual(
      expect.arrayContaining([
        { type: 'projects', id: 'p-1', linked_to: linkedToT1 },
        { type: 'tasks', id: 't-2', linked_to: linkedToT1 },
        { type: 'drafts', id: seeded.draftId, linked_to: linkedToT1 },
        ...seeded.messageIds.map((id) => ({ type: 'messages', id, linked_to: linkedToT1 })),
        ...seeded.actionIds.map((id) => ({ type: 'actions', id, linked_to: linkedToT1 })),
      ]),
    );
    expect(report.kept).toHaveLength(7);
    expect(report.remaining).toMatchObject({ tasks: 2, projects: 1, drafts: 1, messages: 2 });
    // The flow still serves t-1 in the child, and now serves the parent too.
    expect(report.remaining.flows).toBe(1);
    expect(await parent.flows.get('review')).toMatchObject({
      states: JSON.stringify(REVIEW_FLOW.states),
    });

    expect(await parent.tasks.get('t-1')).toEqual(theirs);
    expect(await parent.tasks.get('solo')).toMatchObject({ id: 'solo', scope: parent.scope });
    expect((await sdk.tasks.get('t-2'))?.blocked_by).toBe('t-1');
    expect(await sdk.tasks.get('solo')).toBeNull();
    await parent.scopes.purge();
  });

  test('under "rename" conflicting ids get the prefix and every reference follows', async ({
    scopedSdk: sdk,
  }) => {
    const seeded = await seedWork(sdk);
    const parent = siblingScope(sdk, 'main');
    // A clone holds every id the child has: everything conflicts, except the identical flow.
    await sdk.scopes.clone(parent.scope as string);
    const parentBefore = await contentsOf(parent);
    const p = `${sdk.scope}-`;
    const [m1, m2] = seeded.messageIds;
    const [onTask, onDraft] = seeded.actionIds;

    const report = await sdk.scopes.merge(parent.scope as string, { onConflict: 'rename' });

    expect(report.conflicts).toHaveLength(9);
    expect(report.conflicts).toContainEqual({
      type: 'tasks',
      id: 't-2',
      field: 'file_path',
      value: 'tasks/t-2.md',
      resolution: 'renamed',
      to: `tasks/${p}t-2.md`,
    });
    expect(report.moved.flows).toEqual(unchanged(['review']));
    expect(report.moved.drafts).toEqual([{ from: seeded.draftId, to: seeded.draftId + 1 }]);
    expect(report.remaining).toEqual(counts({}));

    const t1 = await parent.tasks.get(`${p}t-1`);
    expect(t1).toMatchObject({
      file_path: `tasks/${p}t-1.md`,
      project_id: `${p}p-1`,
      flow: 'review',
    });
    expect(await parent.tasks.get(`${p}t-2`)).toMatchObject({
      blocked_by: `${p}t-1`,
      project_id: `${p}p-1`,
    });
    expect((await parent.tasks.history(`${p}t-1`)).history.map((h) => h.event)).toEqual([
      'created',
      'claimed',
      'submitted',
      'merged',
    ]);
    expect(await parent.projects.get(`${p}p-1`)).toMatchObject({ title: 'Project one' });
    expect(await parent.drafts.get(seeded.draftId + 1)).toMatchObject({
      linked_task_id: `${p}t-2`,
      linked_project_id: `${p}p-1`,
    });
    const thread = await parent.messages.list({ task_id: `${p}t-1` });
    expect(thread.map((m) => [m.id, m.parent_message_id])).toEqual([
      [`${p}${m1}`, null],
      [`${p}${m2}`, `${p}${m1}`],
    ]);
    expect((await parent.actions.get(`${p}${onTask}`))?.entity_id).toBe(`${p}t-2`);
    expect((await parent.actions.get(`${p}${onDraft}`))?.entity_id).toBe(
      String(seeded.draftId + 1),
    );

    const after = await contentsOf(parent);
    expect(after.tasks).toEqual(expect.arrayContaining(parentBefore.tasks));
    expect(after.messages).toEqual(expect.arrayContaining(parentBefore.messages));
    expect(after.drafts[0]).toEqual(parentBefore.drafts[0]);
    expect(await sdk.scopes.get()).toBeNull();
    await parent.scopes.purge();
  });

  test('a flow the parent defines differently is a conflict; renamed, the moved tasks follow it', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const parent = siblingScope(sdk, 'main');
    await parent.flows.register('review', { states: ['incoming', 'claimed', 'done', 'failed'] });
    const parentFlow = await parent.flows.get('review');
    await seedWork(sdk);

    const refused = await mergeRaw(serverUrl, sdk, { into: parent.scope });
    expect(refusalReport(refused).conflicts).toEqual([
      { type: 'flows', id: 'review', field: 'name', value: 'review', resolution: 'failed' },
    ]);

    const report = await sdk.scopes.merge(parent.scope as string, {
      onConflict: 'rename',
      prefix: 'agent.',
    });
    expect(report.moved.flows).toEqual([{ from: 'review', to: 'agent.review' }]);
    expect(await parent.flows.get('review')).toEqual(parentFlow);
    expect(await parent.flows.get('agent.review')).toMatchObject({
      transitions: JSON.stringify(REVIEW_FLOW.transitions),
    });
    expect((await parent.tasks.get('t-1'))?.flow).toBe('agent.review');
    await parent.scopes.purge();
  });

  test('a rename that still collides aborts mid-merge and leaves both scopes as they were', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const parent = siblingScope(sdk, 'main');
    await parent.tasks.create(newTask('t-1', { file_path: 'tasks/a.md' }));
    await parent.tasks.create(newTask('x-t-1', { file_path: 'tasks/b.md' }));
    await seedWork(sdk);
    const [childBefore, parentBefore] = [await contentsOf(sdk), await contentsOf(parent)];

    // Projects are written before tasks: p-1 lands in the parent, then t-1's new id collides.
    const refused = await mergeRaw(serverUrl, sdk, {
      into: parent.scope,
      onConflict: 'rename',
      prefix: 'x-',
    });

    const report = refusalReport(refused);
    expect(refused.body.details).toEqual([
      { field: 'tasks/t-1', reason: `id x-t-1 already exists in scope ${parent.scope}` },
    ]);
    expect(report.conflicts).toContainEqual({
      type: 'tasks',
      id: 't-1',
      field: 'id',
      value: 'x-t-1',
      resolution: 'failed',
    });
    expect(await parent.projects.get('p-1')).toBeNull();
    expect(await contentsOf(parent)).toEqual(parentBefore);
    expect(await contentsOf(sdk)).toEqual(childBefore);
    await parent.scopes.purge();
  });

  test('a dry run reports exactly what the merge then does, and writes nothing', async ({
    scopedSdk: sdk,
  }) => {
    const parent = siblingScope(sdk, 'main');
    await parent.tasks.create(newTask('t-1', { file_path: 'tasks/mine.md' }));
    await parent.drafts.create({ title: 'one', author: 'human' });
    await seedWork(sdk);
    const [childBefore, parentBefore] = [await contentsOf(sdk), await contentsOf(parent)];

    const preview = await sdk.scopes.merge(parent.scope as string, {
      onConflict: 'rename',
      dryRun: true,
    });

    expect(preview.dryRun).toBe(true);
    expect(preview.moved.tasks).toEqual([
      { from: 't-1', to: `${sdk.scope}-t-1` },
      { from: 't-2', to: 't-2' },
    ]);
    expect(preview.remaining).toEqual(counts({}));
    expect(await contentsOf(sdk)).toEqual(childBefore);
    expect(await contentsOf(parent)).toEqual(parentBefore);

    const report = await sdk.scopes.merge(parent.scope as string, { onConflict: 'rename' });
    expect(report).toEqual({ ...preview, dryRun: false });
    await parent.scopes.purge();
  });
});

describe('merge requests the server refuses', () => {
  test('bad input is a 400 naming the field, and nothing is written', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await seedWork(sdk);
    const before = await contentsOf(sdk);
    const parent = `${sdk.scope}-main`;
    const cases: [object, string][] = [
      [{}, 'into'],
      [{ into: 'bad name' }, 'into'],
      [{ into: sdk.scope }, 'into'],
      [{ into: parent, onConflict: 'maybe' }, 'onConflict'],
      [{ into: parent, prefix: 'x-' }, 'prefix'],
      [{ into: parent, onConflict: 'rename', prefix: 'a/b' }, 'prefix'],
      [{ into: parent, dryRun: 'yes' }, 'dryRun'],
    ];
    for (const [json, field] of cases) {
      expectError(await mergeRaw(serverUrl, sdk, json), 400, 'validation_failed', field);
    }
    expectError(
      await send(serverUrl, 'POST', `/scopes/${sdk.scope}/merge`, {
        raw: '{"into":',
        contentType: 'application/json',
      }),
      400,
      'malformed_json',
    );
    expect(await contentsOf(sdk)).toEqual(before);
    expect(await sdk.scopes.get(parent)).toBeNull();
  });

  test('merging an empty scope answers 404', async ({ scopedSdk: sdk }) => {
    await expectSdkError(sdk.scopes.merge(`${sdk.scope}-main`), 404, 'not_found');
  });
});
