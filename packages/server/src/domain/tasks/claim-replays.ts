import type { TaskClaim } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import {
  deleteExpiredClaimReplays,
  findClaimReplay,
  rememberClaim,
} from '../../store/claim-replays.js';
import type { ClaimKeyRecord } from '../../store/claim-statement.js';
import { constraintViolation } from '../../store/errors.js';
import { findTask } from '../../store/tasks.js';
import type { ScopeContext, Services } from '../context.js';
import { type ClaimOutcome, claimAlone, claimsAlone, claimWithin } from './claim.js';

/** How long a claim's idempotency key is remembered, in ms of the scope's time: a client's retries. */
export const CLAIM_REPLAY_WINDOW_MS = 60_000;
const MAX_KEY_LENGTH = 200;

/**
 * Checks an `Idempotency-Key` header: 1–200 visible ASCII characters.
 * @throws `ApiError` 400 `validation_failed` naming `Idempotency-Key` otherwise
 */
export function idempotencyKey(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  if (!/^[\x21-\x7e]+$/.test(header) || header.length > MAX_KEY_LENGTH) {
    throw new ApiError('validation_failed', 'invalid Idempotency-Key header', [
      {
        field: 'Idempotency-Key',
        reason: `use 1-${MAX_KEY_LENGTH} visible ASCII characters`,
      },
    ]);
  }
  return header;
}

/**
 * `claimTask`, made once per idempotency key: a repeat within {@link CLAIM_REPLAY_WINDOW_MS} of
 * the scope's time answers the task the first claim took while that claim (its `lease_token`)
 * still holds it; a claim that has since moved on (submitted, or its lease expired and another
 * agent took the task) claims anew. The record is in the database, so a retry that reaches
 * another server sharing it is answered the same way; of two claims with one key at the same
 * moment, the later one to commit is rolled back and answered with the first one's task. A repeat
 * from another claimant (`agent_name`, `orchestrator_id`) than the held claim's is refused. Where
 * `claimsAlone`, a claim whose key the scope has not recorded is one statement that records the
 * key with the claim (`claimAlone`); a known key, or expired leases, take the transaction.
 * @throws what `claimTask` throws; `ApiError` 422 `idempotency_key_reused` for another claimant
 */
export async function claimTaskOnce(
  ctx: ScopeContext,
  input: TaskClaim,
  key: string,
): Promise<ClaimOutcome> {
  try {
    const alone = claimsAlone(ctx, input)
      ? await claimAlone(ctx, input, (now) => keyRecord(key, now))
      : undefined;
    return alone?.outcome ?? (await claimOrReplay(ctx, input, key));
  } catch (error) {
    if (constraintViolation(error) !== 'unique') throw error;
    // Another claim with this key committed first: now its record answers.
    return claimOrReplay(ctx, input, key);
  }
}

/**
 * Checks that a repeat comes from the claimant the remembered claim's task went to, so a reused
 * key never hands one agent's task and `lease_token` to another.
 * @throws `ApiError` 422 `idempotency_key_reused` naming `Idempotency-Key` otherwise
 */
function sameClaimant(
  task: { claimed_by: string | null; orchestrator_id: string | null },
  input: TaskClaim,
): void {
  if (task.claimed_by === input.agent_name && task.orchestrator_id === input.orchestrator_id) {
    return;
  }
  throw new ApiError(
    'idempotency_key_reused',
    'this Idempotency-Key was used by another claimant in this scope',
    [
      {
        field: 'Idempotency-Key',
        reason: 'names a claim of another agent_name or orchestrator_id: send a fresh key',
      },
    ],
  );
}

/** How a claim made at `now` records its idempotency `key`: for {@link CLAIM_REPLAY_WINDOW_MS}. */
function keyRecord(key: string, now: Date): ClaimKeyRecord {
  return {
    idempotency_key: key,
    created_at: now.toISOString(),
    expires_at: new Date(now.getTime() + CLAIM_REPLAY_WINDOW_MS).toISOString(),
  };
}

/** One transaction: the remembered claim's task while it still holds, else a claim, remembered. */
function claimOrReplay(ctx: ScopeContext, input: TaskClaim, key: string): Promise<ClaimOutcome> {
  const { scope } = ctx;
  return ctx.store.transaction(async (tx) => {
    const now = ctx.clocks.now(scope);
    const known = await findClaimReplay(tx, scope, key);
    const nowIso = now.toISOString();
    if (known && known.expires_at > nowIso) {
      const task = await findTask(tx, scope, known.task_id);
      const held = task?.lease_expires_at == null || task.lease_expires_at > nowIso;
      if (task && held && task.lease_token === known.lease_token) {
        sameClaimant(task, input);
        return { claimed: task };
      }
    }
    const outcome = await claimWithin(ctx, tx, input);
    const { claimed } = outcome;
    if (claimed?.lease_token) {
      const row = { scope, task_id: claimed.id, lease_token: claimed.lease_token };
      await rememberClaim(tx, { ...row, ...keyRecord(key, now) }, known);
    }
    return outcome;
  });
}

/**
 * Deletes the remembered claims whose window ended by the server's real time (a scope whose
 * clock a test moved forward sees its own expire at once, being read with that clock); returns
 * how many. The background sweep runs it.
 */
export function forgetExpiredClaims(services: Services): Promise<number> {
  return deleteExpiredClaimReplays(services.store.db, services.clocks.realNowIso());
}
