import type { TaskClaim } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findTask } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { type ClaimOutcome, claimTask } from './claim.js';

/** How long a claim's idempotency key is remembered: long enough for a client's retries. */
export const CLAIM_REPLAY_WINDOW_MS = 60_000;
const MAX_KEY_LENGTH = 200;

interface Remembered {
  outcome: Promise<ClaimOutcome>;
  expiresAt: number;
}

/**
 * The claims made with an `Idempotency-Key` header in the last {@link CLAIM_REPLAY_WINDOW_MS},
 * per scope, in this server's memory. A claim whose answer was lost can be sent again with the
 * same key and gets the task the first one claimed, rather than stranding it until its lease
 * runs out while claiming another. Servers sharing one PostgreSQL database do not share keys: a
 * retry that reaches another instance claims anew.
 */
export class ClaimReplays {
  readonly #claims = new Map<string, Remembered>();

  constructor(private readonly windowMs = CLAIM_REPLAY_WINDOW_MS) {}

  /** The claim remembered for this key, or the one `claim` makes now (then remembered). */
  recall(
    scope: string,
    key: string,
    claim: () => Promise<ClaimOutcome>,
  ): {
    outcome: Promise<ClaimOutcome>;
    replayed: boolean;
  } {
    const now = Date.now();
    for (const [id, remembered] of this.#claims) {
      if (remembered.expiresAt <= now) this.#claims.delete(id);
    }
    const id = JSON.stringify([scope, key]);
    const known = this.#claims.get(id);
    if (known) return { outcome: known.outcome, replayed: true };
    const outcome = claim();
    this.#claims.set(id, { outcome, expiresAt: now + this.windowMs });
    // A claim that failed or found nothing made no claim to return: a retry tries afresh.
    outcome.then(
      (result) => result.claimed === null && this.#claims.delete(id),
      () => this.#claims.delete(id),
    );
    return { outcome, replayed: false };
  }
}

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
 * `claimTask`, made once per idempotency key: a repeat within the window answers the task the
 * first claim took while this claimant still holds it (a claim that has since moved on, e.g. its
 * lease expired and another agent took the task, claims anew).
 * @throws what `claimTask` throws
 */
export async function claimTaskOnce(
  ctx: ScopeContext,
  input: TaskClaim,
  key: string,
): Promise<ClaimOutcome> {
  const replays = ctx.claimReplays;
  if (!replays) return claimTask(ctx, input);
  const { outcome, replayed } = replays.recall(ctx.scope, key, () => claimTask(ctx, input));
  const first = await outcome;
  if (!replayed || first.claimed === null) return first;
  const current = await findTask(ctx.store.db, ctx.scope, first.claimed.id);
  return current?.claimed_by === input.agent_name && current.queue === first.claimed.queue
    ? { claimed: current }
    : claimTask(ctx, input);
}
