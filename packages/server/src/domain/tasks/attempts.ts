import { FAILED_QUEUE } from '@octopoid/api';
import type { TaskChanges, TaskRow } from '../../store/tasks.js';
import type { HistoryNote } from './write.js';

/**
 * How claims are retried. Every claim into `claimed` counts an attempt; a task returned by lease
 * expiry, reject or requeue waits `backoffBaseMs × 2^(attempts − 1)` (at most `backoffMaxMs`)
 * before it can be claimed again, and once it has used `maxAttempts` (its own, or this default)
 * it moves to `failed` instead. Exponential backoff as in graphile-worker, Oban and Sidekiq.
 */
export interface RetryPolicy {
  /** Claims a task without its own `max_attempts` may take. */
  maxAttempts: number;
  /** Backoff after the first attempt, in milliseconds. */
  backoffBaseMs: number;
  /** Upper bound of the backoff, in milliseconds. */
  backoffMaxMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxAttempts: 5,
  backoffBaseMs: 10_000,
  backoffMaxMs: 60 * 60_000,
};

/** Milliseconds a task waits after its `attempts`-th attempt ended (`attempts` ≥ 1). */
export function retryDelayMs(attempts: number, policy: RetryPolicy): number {
  const exponent = Math.max(0, attempts - 1);
  return Math.min(policy.backoffMaxMs, policy.backoffBaseMs * 2 ** Math.min(exponent, 30));
}

/**
 * Where a task goes when an attempt ends without a submit (its lease expired, a reviewer rejected
 * it, it was requeued): back to `queue` after a backoff counted from `endedAt` (an ISO instant),
 * or to `failed` with an `attempts_exhausted` history row once its attempts are used up.
 */
export function afterFailedAttempt(
  task: Pick<TaskRow, 'attempt_count' | 'max_attempts'>,
  queue: string,
  endedAt: string,
  policy: RetryPolicy,
): { changes: TaskChanges; history: HistoryNote[] } {
  const maxAttempts = task.max_attempts ?? policy.maxAttempts;
  if (task.attempt_count >= maxAttempts) {
    return {
      changes: { queue: FAILED_QUEUE, available_at: null },
      history: [
        {
          event: 'attempts_exhausted',
          details: { attempt_count: task.attempt_count, max_attempts: maxAttempts },
        },
      ],
    };
  }
  const delay = retryDelayMs(task.attempt_count, policy);
  return {
    changes: { queue, available_at: new Date(Date.parse(endedAt) + delay).toISOString() },
    history: [],
  };
}
