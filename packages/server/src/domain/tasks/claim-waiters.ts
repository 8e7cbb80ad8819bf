import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ClaimOutcome } from './claim.js';

/** How often a scope with waiters is re-tried without a wake-up by default, in ms. */
export const DEFAULT_CLAIM_RECHECK_MS = 1_000;

/** How many claims may wait at once in one scope, and in the whole server. */
export const CLAIM_WAITER_LIMITS = { perScope: 256, perServer: 4_096 } as const;

/** A wait refused because `limit` (`perScope` or `perServer`) already holds `max` waiters. */
export class WaitLimitReached extends Error {
  constructor(
    readonly limit: keyof typeof CLAIM_WAITER_LIMITS,
    readonly max: number,
  ) {
    super(`at most ${max} waiting claims (${limit})`);
    this.name = 'WaitLimitReached';
  }
}

/** One waiting claim: its attempt, and what makes two waiters see the same candidates. */
export interface ClaimWaitRequest {
  /** Runs the claim once; resolves `{ claimed: null, reason: 'empty' }` to keep waiting. */
  attempt: () => Promise<ClaimOutcome>;
  /**
   * Waiters with equal keys (same queue, role and type filters) see the same candidates, so once
   * one of them found nothing, the others are not tried again in that pass.
   */
  candidateKey: string;
  /** How long to wait at most, in ms of real time (scope clocks do not shorten it). */
  waitMs: number;
  /** Ends the wait early, e.g. when the client goes away. */
  signal?: AbortSignal | undefined;
}

interface Waiter extends ClaimWaitRequest {
  settle: (outcome: ClaimOutcome | { error: unknown }) => void;
  /** The wait ran out or was cancelled; settles with "empty" unless an attempt is in flight. */
  ended: boolean;
  attempting: boolean;
  /** Tried at least once (or its candidates were, in a pass): a new waiter is not yet. */
  tried: boolean;
}

interface ScopeWaiters {
  queue: Waiter[];
  draining: boolean;
  /** A wake-up arrived during a pass: run another one. */
  woken: boolean;
  /** A waiter arrived that was never tried. */
  untried: boolean;
  recheck: ReturnType<typeof setInterval>;
}

const EMPTY: ClaimOutcome = { claimed: null, reason: 'empty' };

/**
 * Long-poll claims (`wait_seconds`): holds claims that found nothing until a task may have
 * become claimable in their scope. `wake(scope)` is called after every committed write of the
 * scope (and, on PostgreSQL, for writes other instances announce); a scope with waiters is also
 * re-tried every `recheckMs` (default 1 s), since some tasks become claimable by time alone (a retry
 * backoff ending, a lease running out) and a wake-up from another instance can be lost with its
 * connection.
 *
 * Fair: a scope's waiters are tried one at a time, first come first served, so the longest
 * waiter gets the first task. A wait ends with the usual "empty" outcome when its time runs
 * out, its signal aborts or `close()` is called; no timer or listener outlives it. An attempt
 * already running is never abandoned: if it claims a task, that claim is the answer, so a
 * task is never taken on behalf of a request that is no longer answered.
 *
 * Bounded: at most `limits.perScope` waiters per scope and `limits.perServer` in all (a further
 * wait is refused with `WaitLimitReached`). A new waiter is tried with the older waiters of the
 * same candidates only, not with a pass over every waiter, and a pass gives the event loop a turn
 * after each attempt, so waiters never starve other requests of the process (on SQLite an
 * attempt runs without yielding otherwise).
 */
export class ClaimWaiters {
  readonly #scopes = new Map<string, ScopeWaiters>();
  #closed = false;

  #waiting = 0;

  constructor(
    private readonly recheckMs = DEFAULT_CLAIM_RECHECK_MS,
    private readonly limits: { perScope: number; perServer: number } = CLAIM_WAITER_LIMITS,
  ) {}

  /**
   * Tries `request.attempt` at once and again after each wake-up of `scope`, until it claims a
   * task or finds the claim limit reached (that outcome is returned), the wait ends (resolves
   * "empty") or the attempt throws (rejects with its error).
   *
   * @throws WaitLimitReached (as a rejection) when the scope or the server holds its most waiters.
   */
  wait(scope: string, request: ClaimWaitRequest): Promise<ClaimOutcome> {
    if (this.#closed || request.signal?.aborted) return Promise.resolve(EMPTY);
    if (this.#waiting >= this.limits.perServer) {
      return Promise.reject(new WaitLimitReached('perServer', this.limits.perServer));
    }
    if ((this.#scopes.get(scope)?.queue.length ?? 0) >= this.limits.perScope) {
      return Promise.reject(new WaitLimitReached('perScope', this.limits.perScope));
    }
    return new Promise<ClaimOutcome>((resolve, reject) => {
      const state = this.#scopeState(scope);
      const end = () => {
        waiter.ended = true;
        if (!waiter.attempting) waiter.settle(EMPTY);
      };
      const timer = setTimeout(end, request.waitMs);
      const waiter: Waiter = {
        ...request,
        ended: false,
        attempting: false,
        tried: false,
        settle: (outcome) => {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', end);
          const index = state.queue.indexOf(waiter);
          if (index >= 0) {
            state.queue.splice(index, 1);
            this.#waiting -= 1;
          }
          if (state.queue.length === 0) this.#forget(scope, state);
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome);
        },
      };
      request.signal?.addEventListener('abort', end, { once: true });
      state.queue.push(waiter);
      this.#waiting += 1;
      state.untried = true;
      if (!state.draining) void this.#drain(state);
    });
  }

  /** Something changed in `scope`: try its waiters again, in order. Cheap when it has none. */
  wake(scope: string): void {
    const state = this.#scopes.get(scope);
    if (!state) return;
    state.woken = true;
    if (!state.draining) void this.#drain(state);
  }

  /** Ends every wait (as "empty") and refuses new ones: the server is stopping. */
  close(): void {
    this.#closed = true;
    for (const state of [...this.#scopes.values()]) {
      for (const waiter of [...state.queue]) {
        waiter.ended = true;
        if (!waiter.attempting) waiter.settle(EMPTY);
      }
    }
  }

  /** Waiting claims across all scopes. */
  get size(): number {
    return this.#waiting;
  }

  #scopeState(scope: string): ScopeWaiters {
    let state = this.#scopes.get(scope);
    if (!state) {
      const recheck = setInterval(() => this.wake(scope), this.recheckMs);
      recheck.unref();
      state = { queue: [], draining: false, woken: false, untried: false, recheck };
      this.#scopes.set(scope, state);
    }
    return state;
  }

  #forget(scope: string, state: ScopeWaiters): void {
    clearInterval(state.recheck);
    if (this.#scopes.get(scope) === state) this.#scopes.delete(scope);
  }

  async #drain(state: ScopeWaiters): Promise<void> {
    state.draining = true;
    try {
      while ((state.woken || state.untried) && state.queue.length > 0) {
        // A wake-up tries every waiter. A new arrival alone tries the waiters of its candidates
        // only, oldest first, so an older waiter still gets a task that became claimable first.
        const everyone = state.woken;
        state.woken = false;
        state.untried = false;
        const arrived = new Set(state.queue.filter((w) => !w.tried).map((w) => w.candidateKey));
        const foundNothing = new Set<string>();
        for (const waiter of [...state.queue]) {
          if (waiter.ended || !(everyone || arrived.has(waiter.candidateKey))) continue;
          // Found nothing for the same candidates in this pass: as good as tried.
          const alreadyEmpty = foundNothing.has(waiter.candidateKey);
          waiter.tried = true;
          if (alreadyEmpty) continue;
          waiter.attempting = true;
          let outcome: ClaimOutcome;
          try {
            outcome = await waiter.attempt();
          } catch (error) {
            waiter.settle({ error });
            continue;
          } finally {
            waiter.attempting = false;
            await nextTurn();
          }
          if (outcome.claimed || outcome.reason !== 'empty' || waiter.ended) {
            waiter.settle(outcome);
          } else {
            foundNothing.add(waiter.candidateKey);
          }
        }
      }
    } finally {
      state.draining = false;
    }
  }
}
