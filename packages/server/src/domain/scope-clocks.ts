/**
 * Per-scope clocks. Every rule that reads the time (lease expiry, stale orchestrators, action
 * expiry) asks for the time of one scope, so a test can advance its own scope's time without
 * sleeping and without moving anyone else's. Every scope's time starts from `base`, the
 * server's one clock in milliseconds since the epoch (on PostgreSQL, the database's clock; see
 * `DatabaseClock`).
 */
export class ScopeClocks {
  readonly #offsets = new Map<string, number>();
  readonly #base: () => number;

  constructor(base: () => number = Date.now) {
    this.#base = base;
  }

  now(scope: string): Date {
    return new Date(this.#base() + (this.#offsets.get(scope) ?? 0));
  }

  nowIso(scope: string): string {
    return this.now(scope).toISOString();
  }

  /** The server's time, without any scope's offset. */
  realNowIso(): string {
    return new Date(this.#base()).toISOString();
  }

  offsetOf(scope: string): number {
    return this.#offsets.get(scope) ?? 0;
  }

  advance(scope: string, milliseconds: number): number {
    const offset = this.offsetOf(scope) + milliseconds;
    this.#offsets.set(scope, offset);
    return offset;
  }

  reset(scope: string): void {
    this.#offsets.delete(scope);
  }

  /** Scopes whose time differs from the real clock. */
  shiftedScopes(): string[] {
    return [...this.#offsets.keys()];
  }
}
