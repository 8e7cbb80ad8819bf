import type { TaskPatch } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { CLAIM_FIELDS_CLEARED, type TaskChanges } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { assertKnownQueue, loadFlow } from '../flows.js';
import { referencedProject } from '../projects/reference.js';
import { assertKnownRoles } from '../roles.js';
import { keepsClaim } from '../transitions.js';
import { assertNoDependencyCycle } from './dependency-cycles.js';
import { type HistoryNote, writeTask } from './write.js';

/**
 * PATCH: direct edits, kept because existing clients drive their own expiry and renewal with it.
 * Unlike the original, it bumps the version, validates queue moves against the flow, records
 * them in history, and clears the claim when a task leaves `claimed` unless the body sets it.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 400 `validation_failed` when
 *   no updatable field is given, a queue the flow does not know, a move to `done`, an unknown
 *   project or role; 409 `conflict` when `blocked_by` would make a cycle
 */
export function patchTask(ctx: ScopeContext, id: string, patch: TaskPatch) {
  const { version, ...fields } = patch;
  if (Object.keys(fields).length === 0) {
    throw new ApiError('validation_failed', 'no updatable field given', [
      { reason: 'the body names no field that PATCH can change' },
    ]);
  }
  return writeTask(ctx, id, version, async (task, tx) => {
    const changes: TaskChanges = { ...fields };
    const history: HistoryNote[] = [];
    if (fields.role) await assertKnownRoles(tx, ctx.scope, [fields.role], 'role');
    if (fields.project_id) await referencedProject(tx, ctx.scope, fields.project_id);
    if (fields.blocked_by) await assertNoDependencyCycle(tx, ctx.scope, id, fields.blocked_by);
    if (fields.flow !== undefined || fields.queue !== undefined) {
      const flow = await loadFlow(tx, ctx.scope, fields.flow ?? task.flow);
      assertKnownQueue(fields.queue ?? task.queue, flow);
    }
    if (fields.queue !== undefined && fields.queue !== task.queue) {
      if (fields.queue === 'done') {
        throw ApiError.invalid('queue', 'use accept or force-queue to move a task to done');
      }
      if (!keepsClaim(fields.queue)) {
        for (const [field, cleared] of Object.entries(CLAIM_FIELDS_CLEARED)) {
          if (!(field in fields)) (changes as Record<string, unknown>)[field] = cleared;
        }
      }
      history.push({ event: 'queue_changed', details: { from: task.queue, to: fields.queue } });
    }
    const edited = Object.keys(fields).filter((k) => k !== 'queue');
    if (edited.length > 0) history.push({ event: 'updated', details: { fields: edited } });
    return { changes, history };
  });
}
