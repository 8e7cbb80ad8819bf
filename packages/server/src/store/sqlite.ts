import { accessSync, constants } from 'node:fs';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import { Kysely, type SqliteDatabase, SqliteDialect, sql } from 'kysely';
import { DatabaseLocationError } from './location.js';
import type { Database } from './schema.js';
import { answers, type DatabaseStatus, type Store } from './store.js';

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

/**
 * Opens the connection and sets its pragmas, the first statements to read the file.
 *
 * @throws DatabaseLocationError naming the path when the file cannot be opened or is not a
 *   SQLite database (SQLite's own messages name neither).
 */
function connect(path: string): SQLite.Database {
  let connection: SQLite.Database | undefined;
  try {
    connection = new SQLite(path);
    connection.pragma('journal_mode = WAL');
    // FULL: a commit is on disk before the response that acknowledges it.
    connection.pragma('synchronous = FULL');
    connection.pragma('busy_timeout = 5000');
    connection.pragma('foreign_keys = ON');
    return connection;
  } catch (error) {
    connection?.close();
    throw new DatabaseLocationError(`database ${path}: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** Whether this process may write the file and the folder holding its journal files. */
function writable(path: string): boolean {
  try {
    accessSync(path, constants.W_OK);
    accessSync(dirname(path), constants.W_OK);
    return true;
  } catch {
    return false;
  }
}

/** A SQLite store on `path`: an absolute file path (see `prepareSqliteFile`) or `:memory:`. */
export function openSqliteStore(path: string): Store {
  const connection = connect(path);
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({ database: withStatementCache(connection) }),
  });
  return {
    dialect: 'sqlite',
    db,
    supportsRowLocks: false,
    // Kysely's SQLite driver hands out its single connection behind a mutex, so holding it for
    // the whole callback also serialises this process's transactions.
    transaction: (work) =>
      db.connection().execute(async (conn) => {
        await sql`begin immediate`.execute(conn);
        try {
          const result = await work(conn);
          await sql`commit`.execute(conn);
          return result;
        } catch (error) {
          await sql`rollback`.execute(conn);
          throw error;
        }
      }),
    ping: async (): Promise<DatabaseStatus> => {
      if (!(await answers(db))) return 'disconnected';
      return path === ':memory:' || writable(path) ? 'connected' : 'read-only';
    },
    close: () => db.destroy(),
  };
}
