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
 * MAX_CLOCK_OFFSET_MS, so no date passes what timestamps hold. At most `maxShifted` scopes
 * (MAX_SHIFTED_CLOCKS by default) keep a moved clock: moving one more puts the least recently
 * used one back on real time instead of refusing, so test state of one client can neither exhaust
 * the server's memory nor deny another scope its clock. Every scope's time starts from `base`,
 * the server's one clock in milliseconds since the epoch (on PostgreSQL, the database's clock;
 * see `DatabaseClock`).
 */
export class ScopeClocks {
  /** In order of last use (an advance, or a read of the scope's time), least recent first. */
  readonly #clocks = new Map<string, Clock>();
  readonly #base: () => number;
  readonly #maxShifted: number;

  constructor(base: () => number = Date.now, maxShifted = MAX_SHIFTED_CLOCKS) {
    this.#base = base;
    this.#maxShifted = maxShifted;
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

  /** The scope's lead over real time in ms (0 on real time); counts as a use of its clock. */
  offsetOf(scope: string): number {
    const clock = this.#clocks.get(scope);
    if (!clock) return 0;
    this.#clocks.delete(scope);
    this.#clocks.set(scope, clock);
    return clock.offsetMs;
  }

  /**
   * Moves the scope's clock `milliseconds` further ahead; returns the new offset in ms.
   * When `maxShifted` other scopes have a moved clock, the least recently used one is put back on
   * real time.
   * @throws ApiError 400 (`advance`) past MAX_CLOCK_OFFSET_MS ahead of real time.
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
    this.#clocks.delete(scope);
    for (const oldest of this.#clocks.keys()) {
      if (this.#clocks.size < this.#maxShifted) break;
      this.#clocks.delete(oldest);
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
