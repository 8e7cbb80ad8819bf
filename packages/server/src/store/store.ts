import { type Kysely, sql } from 'kysely';
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
  ping(): Promise<boolean>;
  close(): Promise<void>;
}

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
 * `:memory:`, a file path, `sqlite:PATH`, or a `postgres://` URL. `postgresPoolSize`: the
 * connections a PostgreSQL store may hold (default 10); SQLite uses one.
 */
export async function openStore(
  location: string,
  options: { postgresPoolSize?: number | undefined } = {},
): Promise<Store> {
  if (/^postgres(ql)?:\/\//.test(location)) {
    const { openPostgresStore } = await import('./postgres.js');
    return openPostgresStore(location, options.postgresPoolSize);
  }
  const { openSqliteStore } = await import('./sqlite.js');
  return openSqliteStore(location.replace(/^sqlite:/, ''));
}
