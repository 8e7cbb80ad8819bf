import type { TaskSubmit } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { CLAIM_FIELDS_CLEARED } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { BURNOUT_TURNS_WITHOUT_COMMITS, isBurnout, submitTarget } from '../transitions.js';
import { assertClaimant, fenced, leaseEnded } from './claimant.js';
import { type HistoryNote, writeTask } from './write.js';

/**
 * The claimant hands its work in: `claimed` → `provisional` (or `needs_continuation` on
 * burnout). Fenced (see `assertClaimant`): a former claimant's late submit is refused with a 409
 * and recorded as `stale_submit_refused`, never credited to the current claimant.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 409 `invalid_transition`
 *   unless the task is `claimed`; 409 `conflict` when it holds no lease or the lease expired
 *   (`ApiError.leaseExpired`); 409 `conflict` (`StaleClaimantError`) when the caller is not the
 *   task's current claimant
 */
export function submitTask(ctx: ScopeContext, id: string, input: TaskSubmit) {
  return fenced(ctx, 'submit', () => submitAsClaimant(ctx, id, input));
}

function submitAsClaimant(ctx: ScopeContext, id: string, input: TaskSubmit) {
  return writeTask(ctx, id, input.version, async (task, _tx, now) => {
    if (task.queue !== 'claimed') throw ApiError.invalidTransition(id, 'submit', task.queue);
    if (!task.lease_expires_at) {
      throw new ApiError('conflict', `task ${id} holds no lease`, [
        { field: 'lease_expires_at', reason: 'the task holds no lease' },
      ]);
    }
    if (leaseEnded(task.lease_expires_at, now)) {
      throw ApiError.leaseExpired(id, task.lease_expires_at);
    }
    assertClaimant(task, input);
    const { commits_count: commits, turns_used: turns } = input;
    const history: HistoryNote[] = [{ event: 'submitted', agent: task.claimed_by }];
    if (isBurnout(commits, turns)) {
      history.push({
        event: 'burnout_detected',
        agent: task.claimed_by,
        details: {
          commits_count: commits,
          turns_used: turns,
          threshold: BURNOUT_TURNS_WITHOUT_COMMITS,
        },
      });
    }
    return {
      changes: {
        ...CLAIM_FIELDS_CLEARED,
        queue: submitTarget(commits, turns),
        commits_count: commits ?? 0,
        turns_used: turns,
        check_results: input.check_results ?? null,
        execution_notes: input.execution_notes ?? null,
        submitted_at: now,
        lost_leases: 0,
        needs_intervention: 0,
      },
      history,
    };
  });
}
