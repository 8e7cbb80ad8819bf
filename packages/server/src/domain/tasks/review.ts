import { DONE_QUEUE, type TaskAccept, type TaskReject, type TaskRequeue } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { CLAIM_FIELDS_CLEARED } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { isAllowed, REVIEW_ACTION_TARGET, type ReviewAction } from '../transitions.js';
import { afterFailedAttempt } from './attempts.js';
import { releaseDependents } from './dependents.js';
import { type HistoryNote, writeTask } from './write.js';

interface ReviewOutcome {
  counters?: { rejection_count?: number; completed_at?: string };
  history: HistoryNote;
}

function review(
  ctx: ScopeContext,
  id: string,
  action: ReviewAction,
  version: number | undefined,
  outcome: (
    task: { rejection_count: number; claimed_by: string | null },
    now: string,
  ) => ReviewOutcome,
) {
  return writeTask(ctx, id, version, async (task, _tx, now, { flow, hasDependents }) => {
    if (!isAllowed(action, task.queue, flow)) {
      throw ApiError.invalidTransition(id, action, task.queue);
    }
    const { counters, history } = outcome(task, now);
    // A reject or requeue ends an attempt: the task waits out a backoff, or fails when exhausted.
    const returned =
      action === 'accept'
        ? { changes: { queue: REVIEW_ACTION_TARGET.accept }, history: [] }
        : afterFailedAttempt(task, REVIEW_ACTION_TARGET[action], now, ctx.retry);
    const queue = returned.changes.queue;
    return {
      changes: { ...CLAIM_FIELDS_CLEARED, needs_intervention: 0, ...returned.changes, ...counters },
      history: [
        {
          ...history,
          details: {
            from: task.queue,
            to: queue,
            ...(returned.changes.available_at
              ? { available_at: returned.changes.available_at }
              : {}),
            ...(history.details as object),
          },
        },
        ...returned.history,
      ],
      after:
        queue === DONE_QUEUE && hasDependents
          ? (done, trx, at) => releaseDependents(trx, ctx.scope, done.id, at, 'blocker_done')
          : undefined,
    };
  });
}

/**
 * Accepts a submitted task: `provisional` to `done`, releasing the tasks it blocked.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 409 `invalid_transition`
 *   when the task's flow does not allow it from the task's queue
 */
export const acceptTask = (ctx: ScopeContext, id: string, input: TaskAccept) =>
  review(ctx, id, 'accept', input.version, (_task, now) => ({
    counters: {
      completed_at: input.completed_at ?? now,
    },
    history: { event: 'accepted', agent: input.accepted_by ?? 'orchestrator' },
  }));

/**
 * Rejects a submitted task, with the reviewer's reason: back for another attempt, or to
 * `failed` once its attempts are used up.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 409 `invalid_transition`
 *   when the task's flow does not allow it from the task's queue
 */
export const rejectTask = (ctx: ScopeContext, id: string, input: TaskReject) =>
  review(ctx, id, 'reject', input.version, (task) => ({
    counters: { rejection_count: task.rejection_count + 1 },
    history: {
      event: 'rejected',
      agent: input.rejected_by ?? 'orchestrator',
      details: { reason: input.reason },
    },
  }));

/**
 * Returns a task for another attempt, dropping its claim.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 409 `invalid_transition` when
 *   the task's flow does not allow it from the task's queue
 */
export const requeueTask = (ctx: ScopeContext, id: string, input: TaskRequeue) =>
  review(ctx, id, 'requeue', input.version, (task) => ({
    history: { event: 'requeued', agent: task.claimed_by },
  }));
