import { randomUUID } from 'node:crypto';
import {
  CLAIMED_QUEUE,
  DEFAULT_LEASE_SECONDS,
  INCOMING_QUEUE,
  type TaskClaim,
} from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { type ClaimKeyRecord, claimNextAlone } from '../../store/claim-statement.js';
import type { Db } from '../../store/store.js';
import {
  type ClaimCriteria,
  countClaimedBy,
  lockClaimsOf,
  nextClaimable,
  type TaskChanges,
  type TaskRow,
  updateTaskRecording,
} from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { assertQueueOfScope } from '../flows.js';
import { assertKnownRoles, claimsFrom } from '../roles.js';
import { CLAIM_QUEUES, claimTarget, isClaimSource } from '../transitions.js';
import { WaitLimitReached } from './claim-waiters.js';
import { expireScopeLeases } from './lease.js';
import { historyRecords } from './write.js';

export type ClaimOutcome = { claimed: TaskRow } | { claimed: null; reason: 'empty' | 'at_limit' };

/**
 * Claims the next task atomically. Expired leases in the scope are returned to their queues
 * first; then one candidate is selected and taken inside the same write, so two claimers never
 * get the same task and a claimer never fails while a claimable task remains. A claim into
 * `claimed` counts an attempt, and every claim gets a fresh `lease_token` that fences out the
 * task's former claimants. On PostgreSQL a claim without `max_claimed` is one statement (see
 * `claimAlone`) unless the scope holds expired leases; otherwise it is a transaction.
 * @throws `ApiError` 400 `validation_failed` when the queue or role filter names no claimable queue
 *   or an unknown role
 */
export async function claimTask(ctx: ScopeContext, input: TaskClaim): Promise<ClaimOutcome> {
  const alone = claimsAlone(ctx, input) ? await claimAlone(ctx, input) : undefined;
  if (alone?.outcome) return alone.outcome;
  return ctx.store.transaction((tx) =>
    alone ? claimFrom(ctx, tx, input, alone.source) : claimWithin(ctx, tx, input),
  );
}

/** Whether a claim can run as one statement (`claimAlone`): on PostgreSQL, without `max_claimed`. */
export function claimsAlone(ctx: ScopeContext, input: TaskClaim): boolean {
  return ctx.store.dialect === 'postgres' && input.max_claimed === undefined;
}

/**
 * {@link claimTask} as one statement (`claimNextAlone`; only where `claimsAlone`), recording the
 * idempotency key `remember(now)` gives, if any, with the claim. Resolves the queue the claim
 * takes from, `source`, and the `outcome`, none when the statement left the claim to a
 * transaction: the scope holds expired leases, or has recorded the key already.
 * @throws what `claimTask` throws; the driver's unique violation when a concurrent claim recorded
 *   the same key first (nothing was written)
 */
export async function claimAlone(
  ctx: ScopeContext,
  input: TaskClaim,
  remember?: (now: Date) => ClaimKeyRecord,
): Promise<{ source: string; outcome?: ClaimOutcome }> {
  const { store } = ctx;
  const source = await claimSource(ctx, store.db, input);
  const now = ctx.clocks.now(ctx.scope);
  const nowIso = now.toISOString();
  const { target, changes, record } = claimOf(input, source, now);
  const claimed = await claimNextAlone(
    store.db,
    ctx.scope,
    claimCriteria(input, source, nowIso),
    CLAIM_QUEUES,
    {
      changes,
      attempts: target === CLAIMED_QUEUE ? 1 : 0,
      timestamp: nowIso,
      record,
      remember: remember?.(now),
    },
  );
  if (claimed === 'expired_leases' || claimed === 'key_known') return { source };
  return { source, outcome: claimed ? { claimed } : { claimed: null, reason: 'empty' } };
}

/**
 * {@link claimTask} inside the caller's write transaction `tx`.
 * @throws what `claimTask` throws
 */
export async function claimWithin(
  ctx: ScopeContext,
  tx: Db,
  input: TaskClaim,
): Promise<ClaimOutcome> {
  return claimFrom(ctx, tx, input, await claimSource(ctx, tx, input));
}

/**
 * The queue a claim takes from: the input's, its first role's, or `incoming`.
 * @throws what `claimTask` throws
 */
async function claimSource(ctx: ScopeContext, db: Db, input: TaskClaim): Promise<string> {
  const roles = input.role_filter ?? [];
  await assertKnownRoles(db, ctx.scope, roles, 'role_filter');
  const firstRole = roles[0];
  const source =
    input.queue ?? (firstRole && (await claimsFrom(db, ctx.scope, firstRole))) ?? INCOMING_QUEUE;
  if (!isClaimSource(source)) {
    throw ApiError.invalid(
      input.queue ? 'queue' : 'role_filter',
      `cannot claim from ${source}: claims take work from queues other than done and claimed`,
    );
  }
  if (input.queue) await assertQueueOfScope(db, ctx.scope, input.queue);
  return source;
}

const claimCriteria = (input: TaskClaim, source: string, now: string): ClaimCriteria => ({
  queue: source,
  roles: input.role_filter ?? [],
  types: input.type_filter,
  now,
});

/** What a claim from `source` at `now` writes, but for the attempt count the task decides. */
function claimOf(input: TaskClaim, source: string, now: Date) {
  const nowIso = now.toISOString();
  const leaseSeconds = input.lease_duration_seconds ?? DEFAULT_LEASE_SECONDS;
  const target = claimTarget(source);
  const changes = {
    queue: target,
    claimed_by: input.agent_name,
    orchestrator_id: input.orchestrator_id,
    claimed_at: nowIso,
    claimed_from: source,
    lease_expires_at: new Date(now.getTime() + leaseSeconds * 1000).toISOString(),
    lease_token: randomUUID(),
    available_at: null,
    needs_intervention: 0,
    updated_at: nowIso,
  } satisfies TaskChanges;
  const record = {
    event: target === CLAIMED_QUEUE ? 'claimed' : 'review_claimed',
    agent: input.agent_name,
    details: { orchestrator_id: input.orchestrator_id, from: source, lease_seconds: leaseSeconds },
  };
  return { target, changes, record };
}

/** The claim from `source` inside the write transaction `tx`, expired leases returned first. */
async function claimFrom(
  ctx: ScopeContext,
  tx: Db,
  input: TaskClaim,
  source: string,
): Promise<ClaimOutcome> {
  const now = ctx.clocks.now(ctx.scope);
  const nowIso = now.toISOString();
  await expireScopeLeases(ctx, tx, nowIso);
  if (input.max_claimed !== undefined) {
    await lockClaimsOf(tx, ctx.scope, input.orchestrator_id);
    const held = await countClaimedBy(tx, ctx.scope, input.orchestrator_id, nowIso);
    if (held >= input.max_claimed) return { claimed: null, reason: 'at_limit' };
  }
  const candidate = await nextClaimable(tx, ctx.scope, claimCriteria(input, source, nowIso));
  if (!candidate) return { claimed: null, reason: 'empty' };
  const { target, changes, record } = claimOf(input, source, now);
  const attempt = target === CLAIMED_QUEUE ? candidate.attempt_count + 1 : candidate.attempt_count;
  const claimed = await updateTaskRecording(
    tx,
    candidate,
    { ...changes, attempt_count: attempt },
    nowIso,
    historyRecords([{ ...record, details: { ...record.details, attempt } }]),
  );
  if (!claimed) throw new ApiError('internal_error', 'claimed row changed under its lock');
  return { claimed };
}

/**
 * Runs `claim` (one `claimTask`, or its idempotent form), holding the request while nothing is
 * claimable when `input.wait_seconds` is above 0 (a long poll; see `ClaimWaiters`): resolves
 * with the first claim the scope's turn order gives it, or "empty" once `wait_seconds` (real
 * time) have passed or `signal` aborted.
 *
 * @throws `ApiError` 429 `too_many_waiters` naming `wait_seconds` when the scope or the server
 *   already holds its most waiting claims (`CLAIM_WAITER_LIMITS`), and what `claim` throws.
 */
export function claimTaskWaiting(
  ctx: ScopeContext,
  input: TaskClaim,
  claim: () => Promise<ClaimOutcome>,
  signal?: AbortSignal,
): Promise<ClaimOutcome> {
  if (!input.wait_seconds) return claim();
  return ctx.claimWaiters
    .wait(ctx.scope, {
      attempt: claim,
      candidateKey: JSON.stringify([input.queue, input.role_filter, input.type_filter]),
      waitMs: input.wait_seconds * 1000,
      signal,
    })
    .catch((error: unknown) => {
      if (!(error instanceof WaitLimitReached)) throw error;
      throw new ApiError(
        'too_many_waiters',
        error.limit === 'perScope'
          ? `scope ${ctx.scope} already has ${error.max} waiting claims; claim without wait_seconds or retry later`
          : `the server already has ${error.max} waiting claims; claim without wait_seconds or retry later`,
        [{ field: 'wait_seconds', reason: `at most ${error.max} waiting claims (${error.limit})` }],
      );
    });
}
