import { type Kysely, sql } from 'kysely';
import type { DatabaseLocation } from './location.js';
import type { Database } from './schema.js';

export type Dialect = 'sqlite' | 'postgres';

/**
 * The storage port. Domain code builds portable queries on `db` and groups writes with
 * `transaction`; only the adapters know which driver sits underneath.
 */
export interface Store {
  readonly dialect: Dialect;
  readonly db: Kysely<Database>;
  /**
   * Runs `work` in one write transaction and commits it, or rolls everything back when it
   * throws. SQLite takes the write lock up front (BEGIN IMMEDIATE), so a transaction never fails
   * half-way on a lock upgrade; PostgreSQL runs READ COMMITTED with row locks where needed.
   */
  transaction<T>(work: (tx: Kysely<Database>) => Promise<T>): Promise<T>;
  /**
   * Runs the reads of `work` against one consistent snapshot (a list's rows and its total):
   * a deferred transaction on SQLite (WAL readers see one commit), REPEATABLE READ on PostgreSQL.
   */
  snapshot<T>(work: (db: Kysely<Database>) => Promise<T>): Promise<T>;
  /** `SELECT … FOR UPDATE [SKIP LOCKED]` (PostgreSQL). SQLite serialises writers and needs none. */
  readonly supportsRowLocks: boolean;
  /** Whether the database answers and takes writes; health reports it. */
  ping(): Promise<DatabaseStatus>;
  close(): Promise<void>;
}

/**
 * `connected`: answers and takes writes; `read-only`: answers but would refuse every write (a
 * read-only file or folder, a PostgreSQL standby); `disconnected`: does not answer.
 */
export type DatabaseStatus = 'connected' | 'read-only' | 'disconnected';

/** Whether the database answers a trivial query. */
export async function answers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

/**
 * Opens the store at a location parsed by `parseDatabaseLocation`; a SQLite file should have
 * passed `prepareSqliteFile` first. `postgresPoolSize`: the connections a PostgreSQL store may
 * hold (default 10); SQLite uses one.
 *
 * @throws DatabaseLocationError when a SQLite file cannot be opened or is not a database.
 * @throws DatabaseInUseError when another process holds the SQLite file.
 */
export async function openStore(
  location: DatabaseLocation,
  options: { postgresPoolSize?: number | undefined } = {},
): Promise<Store> {
  if (location.kind === 'postgres') {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(location.url, options.postgresPoolSize);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(location.kind === 'memory' ? ':memory:' : location.path);
}
