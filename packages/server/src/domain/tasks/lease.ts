import {
  DEFAULT_LEASE_SECONDS,
  INCOMING_QUEUE,
  REVIEW_QUEUE,
  type TaskLeaseRenew,
} from '@octopoid/api';
import { ApiError } from '../../errors.js';
import type { Db } from '../../store/store.js';
import {
  CLAIM_FIELDS_CLEARED,
  expiredClaims,
  scopesWithClaims,
  type TaskRow,
  updateTaskRecording,
} from '../../store/tasks.js';
import type { ScopeContext, Services } from '../context.js';
import { CLAIM_QUEUES, isClaimQueue } from '../transitions.js';
import { afterFailedAttempt, type RetryPolicy } from './attempts.js';
import { assertClaimant, fenced, leaseEnded } from './claimant.js';
import { historyRecords, writeTask } from './write.js';

/**
 * An expired review claim goes back to review at once. An expired work claim was a failed
 * attempt: the task waits out its backoff (counted from the lease's end) in the queue it was
 * claimed from, or fails once its attempts are used up.
 */
async function expire(tx: Db, task: TaskRow, now: string, retry: RetryPolicy): Promise<void> {
  const leaseEnd = task.lease_expires_at ?? now;
  const returned =
    task.queue === REVIEW_QUEUE
      ? { changes: { queue: REVIEW_QUEUE }, history: [] }
      : afterFailedAttempt(task, task.claimed_from ?? INCOMING_QUEUE, leaseEnd, retry);
  const queue = returned.changes.queue;
  await updateTaskRecording(
    tx,
    task,
    {
      ...CLAIM_FIELDS_CLEARED,
      ...returned.changes,
      lost_leases: task.queue === REVIEW_QUEUE ? task.lost_leases : task.lost_leases + 1,
      updated_at: now,
    },
    now,
    historyRecords([
      {
        event: 'lease_expired',
        agent: task.claimed_by,
        details: {
          from: task.queue,
          to: queue,
          lease_expires_at: task.lease_expires_at,
          ...(returned.changes.available_at ? { available_at: returned.changes.available_at } : {}),
        },
      },
      ...returned.history,
    ]),
  );
}

/**
 * Returns the scope's expired claims to their queues; runs inside the caller's transaction.
 * @throws nothing of its own; a failed statement rolls back the caller's transaction
 */
export async function expireScopeLeases(ctx: ScopeContext, tx: Db, now: string) {
  const expired = await expiredClaims(tx, now, { scope: ctx.scope }, CLAIM_QUEUES);
  for (const task of expired) await expire(tx, task, now, ctx.retry);
  return expired.length;
}

/**
 * One pass of the background sweep. A lease that ended in real time has also ended on every
 * scope clock (they only run ahead), so one pass over every scope at the real time comes first,
 * each expiry stamped with its scope's time. Then each scope whose clock was moved and that
 * holds claims is swept at its own time: scopes with a moved clock but no claim cost nothing.
 */
export async function sweepExpiredLeases(services: Services): Promise<number> {
  const { store, clocks } = services;
  let count = await store.transaction(async (tx) => {
    const expired = await expiredClaims(tx, clocks.realNowIso(), {}, CLAIM_QUEUES);
    for (const task of expired) {
      await expire(tx, task, clocks.nowIso(task.scope), services.retry);
    }
    return expired.length;
  });
  if (!clocks.anyShifted()) return count;
  for (const scope of await scopesWithClaims(store.db, CLAIM_QUEUES)) {
    if (clocks.offsetOf(scope) === 0) continue;
    const now = clocks.nowIso(scope);
    count += await store.transaction((tx) => expireScopeLeases({ ...services, scope }, tx, now));
  }
  return count;
}

/**
 * The claimant extends its lease from now; an expired lease cannot be renewed. Fenced like
 * submit: a former claimant's renewal is refused (409) and recorded as `stale_renew_refused`.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 409 `invalid_transition` when
 *   the task holds no claim; 409 `conflict` when the lease expired (`ApiError.leaseExpired`); 409
 *   `conflict` (`StaleClaimantError`) when the caller is not the task's current claimant
 */
export function renewLease(ctx: ScopeContext, id: string, input: TaskLeaseRenew) {
  return fenced(ctx, 'renew', () => renewAsClaimant(ctx, id, input));
}

function renewAsClaimant(ctx: ScopeContext, id: string, input: TaskLeaseRenew) {
  return writeTask(ctx, id, input.version, async (task, _tx, now) => {
    if (!isClaimQueue(task.queue) || !task.claimed_by || !task.lease_expires_at) {
      throw ApiError.invalidTransition(id, 'renew the lease of', task.queue);
    }
    if (leaseEnded(task.lease_expires_at, now)) {
      throw ApiError.leaseExpired(id, task.lease_expires_at);
    }
    assertClaimant(task, input);
    const seconds = input.lease_duration_seconds ?? DEFAULT_LEASE_SECONDS;
    const lease_expires_at = new Date(Date.parse(now) + seconds * 1000).toISOString();
    return {
      changes: { lease_expires_at },
      history: [{ event: 'lease_renewed', agent: task.claimed_by, details: { lease_expires_at } }],
    };
  });
}
