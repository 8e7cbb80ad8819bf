import { readDatabaseClock } from './store/database-clock.js';
import type { Store } from './store/store.js';

/**
 * The server's one clock. On SQLite it is the instance's own clock (one process owns the file).
 * On PostgreSQL, several instances share the leases, so all of them read the database's clock:
 * the instance measures how far its own clock is from the database's (`clock_timestamp()`, the
 * midpoint of the round trip) at start and on every background sweep, and adds that offset. An
 * instance whose clock runs fast therefore stamps and expires leases at the database's time.
 */
export class DatabaseClock {
  #offsetMs = 0;

  constructor(
    private readonly store: Store,
    private readonly instanceNow: () => number = Date.now,
  ) {}

  /** Milliseconds since the epoch by the database's clock (SQLite: the instance's). */
  readonly now = (): number => this.instanceNow() + this.#offsetMs;

  /** Re-measures the offset to the database's clock; a no-op on SQLite. */
  async sync(): Promise<void> {
    const sent = this.instanceNow();
    const databaseMs = await readDatabaseClock(this.store.db);
    if (databaseMs === undefined) return;
    const received = this.instanceNow();
    this.#offsetMs = Math.round(databaseMs - (sent + received) / 2);
  }
}
