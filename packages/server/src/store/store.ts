import type { Kysely } from 'kysely';
import type { Database } from './schema.js';

/**
 * The storage port: interfaces only. Opening a store is `open.ts`'s job, so nothing here
 * imports an adapter and no adapter imports back into a module that imports it.
 */

export type Dialect = 'sqlite' | 'postgres';

/** What the database under a handle can do. Store queries adapt to it; domain code never asks. */
export interface Capabilities {
  readonly dialect: Dialect;
  /**
   * `SELECT … FOR UPDATE [SKIP LOCKED]` and advisory locks (PostgreSQL). SQLite serialises
   * writers with its write transaction and needs none.
   */
  readonly rowLocks: boolean;
}

/** A query handle, the store's own or one transaction's, carrying its database's capabilities. */
export type Db = Kysely<Database> & { readonly capabilities: Capabilities };

/**
 * An open database. Domain code hands `db` (or a transaction's handle) to the query modules of
 * `store/` and groups writes with `transaction`; only the adapters know which driver sits
 * underneath.
 */
export interface Store {
  readonly dialect: Dialect;
  readonly db: Db;
  /**
   * Runs `work` in one write transaction and commits it, or rolls everything back when it
   * throws. SQLite takes the write lock up front (BEGIN IMMEDIATE), so a transaction never fails
   * half-way on a lock upgrade, and sees no other writer's commits. PostgreSQL runs READ
   * COMMITTED with row locks where needed; with `snapshot`, REPEATABLE READ: every read sees the
   * rows committed before the transaction began, as on SQLite (for work that reads a whole scope
   * in several statements and must not meet rows written meanwhile).
   */
  transaction<T>(work: (tx: Db) => Promise<T>, options?: { snapshot?: boolean }): Promise<T>;
  /**
   * Runs the reads of `work` against one consistent snapshot (a list's rows and its total):
   * a deferred transaction on SQLite (WAL readers see one commit), REPEATABLE READ on PostgreSQL.
   */
  snapshot<T>(work: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Resolves once every write committed so far is on stable storage. SQLite commits to the
   * operating system and flushes its log once for a batch of commits (group commit), so a
   * response that acknowledges a write awaits this first; PostgreSQL's commit is already durable
   * and resolves at once.
   *
   * @throws StorageFlushError when the log could not be flushed: nothing it covered may be
   *   acknowledged.
   */
  durable(): Promise<void>;
  /** Whether the database answers and takes writes; health reports it. */
  ping(): Promise<DatabaseStatus>;
  close(): Promise<void>;
}

/**
 * `connected`: answers and takes writes; `read-only`: answers but would refuse every write (a
 * read-only file or folder, a PostgreSQL standby); `disconnected`: does not answer.
 */
export type DatabaseStatus = 'connected' | 'read-only' | 'disconnected';
