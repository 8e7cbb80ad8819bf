import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import type { Database } from './schema.js';
import { answers, type Store } from './store.js';

const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query anew, and preparing was the largest single cost of a request in
 * profiles. Reusing prepared statements by their SQL text is safe here: the driver runs each
 * statement to completion synchronously on the one connection.
 */
function withStatementCache(connection: SQLite.Database): SqliteDatabase {
  const cache = new Map<string, SQLite.Statement>();
  return {
    close: () => connection.close(),
    prepare(text) {
      const cached = cache.get(text);
      if (cached) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const statement = connection.prepare(text);
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/** Holds the one connection for `work` between `begin` and `commit` (or `rollback`). */
function inTransaction<T>(
  db: Kysely<Database>,
  begin: 'begin' | 'begin immediate',
  work: (conn: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await sql.raw(begin).execute(conn);
    try {
      const result = await work(conn);
      await sql`commit`.execute(conn);
      return result;
    } catch (error) {
      await sql`rollback`.execute(conn);
      throw error;
    }
  });
}

/** A second server process asked for a SQLite file another one holds. */
export class DatabaseInUseError extends Error {
  constructor(readonly path: string) {
    super(
      `the SQLite database ${path} is in use by another process: one server owns a SQLite ` +
        'file at a time; stop the other one, or use PostgreSQL for several instances',
    );
    this.name = 'DatabaseInUseError';
  }
}

/**
 * One process per file: the connection takes SQLite's exclusive lock at once and keeps it
 * (`locking_mode = EXCLUSIVE`), so a second server on the same file is refused at start instead
 * of stalling on, and failing with, SQLITE_BUSY while the first writes.
 */
function lockForThisProcess(connection: SQLite.Database, path: string): void {
  connection.pragma('locking_mode = EXCLUSIVE');
  try {
    connection.exec('begin exclusive; commit');
  } catch (error) {
    connection.close();
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DatabaseInUseError(path);
    }
    throw error;
  }
}

export function openSqliteStore(path: string): Store {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const connection = new SQLite(path);
  if (path !== ':memory:') lockForThisProcess(connection, path);
  connection.pragma('journal_mode = WAL');
  // FULL: a commit is on disk before the response that acknowledges it.
  connection.pragma('synchronous = FULL');
  connection.pragma('busy_timeout = 5000');
  connection.pragma('foreign_keys = ON');
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
  });
  return {
    dialect: 'sqlite',
    db,
    supportsRowLocks: false,
    // Kysely's SQLite driver hands out its single connection behind a mutex, so holding it for
    // the whole callback also serialises this process's transactions.
    transaction: (work) => inTransaction(db, 'begin immediate', work),
    snapshot: (work) => inTransaction(db, 'begin', work),
    ping: () => answers(db),
    close: () => db.destroy(),
  };
}
