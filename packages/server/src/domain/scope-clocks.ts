/**
 * Per-scope clocks. Every rule that reads the time (lease expiry, stale orchestrators, action
 * expiry) asks for the time of one scope, so a test can advance its own scope's time without
 * sleeping and without moving anyone else's.
 */
export class ScopeClocks {
  readonly #offsets = new Map<string, number>();

  now(scope: string): Date {
    return new Date(Date.now() + (this.#offsets.get(scope) ?? 0));
  }

  nowIso(scope: string): string {
    return this.now(scope).toISOString();
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
