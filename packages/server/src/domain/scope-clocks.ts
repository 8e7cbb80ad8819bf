import { MAX_CLOCK_OFFSET_MS, MAX_SHIFTED_CLOCKS } from '@octopoid/api';
import { ApiError } from '../errors.js';

interface Clock {
  offsetMs: number;
  /** Real time (ms since the epoch) of the last advance, for freeing idle clocks. */
  changedAt: number;
}

/**
 * Per-scope clocks. Every rule that reads the time (lease expiry, stale orchestrators, action
 * expiry) asks for the time of one scope, so a test can advance its own scope's time without
 * sleeping and without moving anyone else's. Clocks only run ahead of real time, at most
 * MAX_CLOCK_OFFSET_MS, and at most MAX_SHIFTED_CLOCKS scopes have one at a time: test state of
 * one tenant can neither exhaust the server's memory nor push a date past what timestamps hold.
 * Every scope's time starts from `base`, the server's one clock in milliseconds since the epoch
 * (on PostgreSQL, the database's clock; see `DatabaseClock`).
 */
export class ScopeClocks {
  readonly #clocks = new Map<string, Clock>();
  readonly #base: () => number;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(scope: string): Date {
    return new Date(this.#base() + this.offsetOf(scope));
  }

  nowIso(scope: string): string {
    return this.now(scope).toISOString();
  }

  /** The server's time, without any scope's offset. */
  realNowIso(): string {
    return new Date(this.#base()).toISOString();
  }

  offsetOf(scope: string): number {
    return this.#clocks.get(scope)?.offsetMs ?? 0;
  }

  /**
   * Moves the scope's clock `milliseconds` further ahead; returns the new offset in ms.
   * @throws ApiError 400 (`advance`) past MAX_CLOCK_OFFSET_MS ahead of real time; 409
   *   (`advance`) when MAX_SHIFTED_CLOCKS other scopes already have a moved clock.
   */
  advance(scope: string, milliseconds: number): number {
    const offsetMs = this.offsetOf(scope) + milliseconds;
    if (offsetMs > MAX_CLOCK_OFFSET_MS) {
      throw ApiError.invalid(
        'advance',
        `would put the scope's clock ${offsetMs} ms ahead of real time; at most ` +
          `${MAX_CLOCK_OFFSET_MS} ms (100 years) is allowed: reset the clock first`,
      );
    }
    if (!this.#clocks.has(scope) && this.#clocks.size >= MAX_SHIFTED_CLOCKS) {
      throw ApiError.conflict(`the server already runs ${MAX_SHIFTED_CLOCKS} moved scope clocks`, [
        { field: 'advance', reason: 'too many scopes have a moved clock; purge finished scopes' },
      ]);
    }
    this.#clocks.set(scope, { offsetMs, changedAt: Date.now() });
    return offsetMs;
  }

  reset(scope: string): void {
    this.#clocks.delete(scope);
  }

  /** Whether any scope's time differs from the real clock. */
  anyShifted(): boolean {
    return this.#clocks.size > 0;
  }

  /** Puts back on real time every clock not advanced since `before` (ms since the epoch). */
  forgetIdle(before: number): string[] {
    const forgotten: string[] = [];
    for (const [scope, clock] of this.#clocks) {
      if (clock.changedAt < before) {
        this.#clocks.delete(scope);
        forgotten.push(scope);
      }
    }
    return forgotten;
  }
}
