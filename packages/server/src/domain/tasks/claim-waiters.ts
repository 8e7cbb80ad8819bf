import type { ClaimOutcome } from './claim.js';

/** How often a scope with waiters is re-tried without a wake-up by default, in ms. */
export const DEFAULT_CLAIM_RECHECK_MS = 1_000;

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
}

interface ScopeWaiters {
  queue: Waiter[];
  draining: boolean;
  /** A wake-up arrived during a pass: run another one. */
  woken: boolean;
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
 */
export class ClaimWaiters {
  readonly #scopes = new Map<string, ScopeWaiters>();
  #closed = false;

  constructor(private readonly recheckMs = DEFAULT_CLAIM_RECHECK_MS) {}

  /**
   * Tries `request.attempt` at once and again after each wake-up of `scope`, until it claims a
   * task or finds the claim limit reached (that outcome is returned), the wait ends (resolves
   * "empty") or the attempt throws (rejects with its error).
   */
  wait(scope: string, request: ClaimWaitRequest): Promise<ClaimOutcome> {
    if (this.#closed || request.signal?.aborted) return Promise.resolve(EMPTY);
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
        settle: (outcome) => {
          clearTimeout(timer);
          request.signal?.removeEventListener('abort', end);
          const index = state.queue.indexOf(waiter);
          if (index >= 0) state.queue.splice(index, 1);
          if (state.queue.length === 0) this.#forget(scope, state);
          if ('error' in outcome) reject(outcome.error);
          else resolve(outcome);
        },
      };
      request.signal?.addEventListener('abort', end, { once: true });
      state.queue.push(waiter);
      this.wake(scope);
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
    let size = 0;
    for (const state of this.#scopes.values()) size += state.queue.length;
    return size;
  }

  #scopeState(scope: string): ScopeWaiters {
    let state = this.#scopes.get(scope);
    if (!state) {
      const recheck = setInterval(() => this.wake(scope), this.recheckMs);
      recheck.unref();
      state = { queue: [], draining: false, woken: false, recheck };
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
      while (state.woken && state.queue.length > 0) {
        state.woken = false;
        const foundNothing = new Set<string>();
        for (const waiter of [...state.queue]) {
          if (waiter.ended || foundNothing.has(waiter.candidateKey)) continue;
          waiter.attempting = true;
          let outcome: ClaimOutcome;
          try {
            outcome = await waiter.attempt();
          } catch (error) {
            waiter.settle({ error });
            continue;
          } finally {
            waiter.attempting = false;
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
