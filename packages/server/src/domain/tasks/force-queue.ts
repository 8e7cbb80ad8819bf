import { DONE_QUEUE, type TaskForceQueue } from '@octopoid/api';
import { insertMessage } from '../../store/messages.js';
import { CLAIM_FIELDS_CLEARED } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { assertKnownQueue } from '../flows.js';
import { newId } from '../ids.js';
import { releaseDependents } from './dependents.js';
import { writeTask } from './write.js';

/**
 * The operator's override: any queue the flow knows, `done` included, with a stated reason. A
 * retry backoff ends with it: a task forced back to a queue is claimable at once.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 400 `validation_failed` for a
 *   queue the task's flow does not know
 */
export function forceQueue(ctx: ScopeContext, id: string, input: TaskForceQueue) {
  return writeTask(ctx, id, input.version, async (task, _tx, now, { flow, hasDependents }) => {
    assertKnownQueue(input.queue, flow);
    const toDone = input.queue === DONE_QUEUE;
    return {
      changes: {
        ...CLAIM_FIELDS_CLEARED,
        needs_intervention: 0,
        queue: input.queue,
        available_at: null,
        ...(toDone ? { completed_at: now } : {}),
      },
      history: [
        {
          event: 'force_queue',
          details: { reason: input.reason, from: task.queue, to: input.queue },
        },
      ],
      after: async (forced, trx, at) => {
        await insertMessage(trx, {
          scope: ctx.scope,
          id: newId('msg', new Date(at)),
          task_id: forced.id,
          from_actor: 'system',
          to_actor: null,
          type: 'force_queue',
          content: input.reason,
          parent_message_id: null,
          created_at: at,
        });
        if (toDone && hasDependents)
          await releaseDependents(trx, ctx.scope, forced.id, at, 'blocker_done');
      },
    };
  });
}
