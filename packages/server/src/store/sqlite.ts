import { accessSync, constants } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import { dirname } from 'node:path';
import SQLite from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  type SqliteDatabase,
  SqliteDialect,
  type SqliteStatement,
  sql,
} from 'kysely';
import { StorageFlushError } from './errors.js';
import { GroupCommit } from './group-commit.js';
import { withCapabilities } from './handle.js';
import { DatabaseLocationError } from './location.js';
import type { Database } from './schema.js';
import { SqliteBoundLimits } from './sqlite-bound-limits.js';
import type { Capabilities, DatabaseStatus, Db, Store } from './store.js';

const STATEMENT_CACHE_SIZE = 500;
const WAL_CHECKPOINT_PAGES = 10_000;
const TAKE_FILE_TIMEOUT_MS = 500;

/**
 * Kysely prepares every query anew, and preparing was the largest single cost of a request in
 * profiles. Reusing prepared statements by their SQL text is safe here: the driver runs each
 * statement to completion synchronously on the one connection.
 *
 * With `commits`, every statement is watched for group commit: a write marks the connection
 * dirty, and the first statement after which no transaction is open (the `commit`, or the write
 * itself outside a transaction) counts one commit.
 */
function withStatementCache(
  connection: SQLite.Database,
  commits: GroupCommit | undefined,
): SqliteDatabase {
  const cache = new Map<string, SqliteStatement>();
  let dirty = false;
  const watched = (statement: SQLite.Statement): SqliteStatement => {
    const ran = <R>(result: R): R => {
      if (!statement.readonly) dirty = true;
      if (dirty && !connection.inTransaction) {
        dirty = false;
        commits?.noteCommit();
      }
      return result;
    };
    return {
      reader: statement.reader,
      all: (parameters) => ran(statement.all(parameters)),
      run: (parameters) => ran(statement.run(parameters)),
      *iterate(parameters) {
        yield* statement.iterate(parameters);
        ran(undefined);
      },
    };
  };
  return {
    close: () => connection.close(),
    prepare(text) {
      const cached = cache.get(text);
      if (cached) {
        cache.delete(text);
        cache.set(text, cached);
        return cached;
      }
      const prepared = connection.prepare(text);
      const statement = commits ? watched(prepared) : prepared;
      cache.set(text, statement);
      if (cache.size > STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string);
      return statement;
    },
  };
}

/** Makes a SQLite file's commits durable; see `walFlusher`. */
export interface LogFlusher {
  /** @throws StorageFlushError naming the file when the system reports an I/O error. */
  flush(): Promise<void>;
  /** Lets go of the file; called once the store is closed. */
  close(): Promise<void>;
}

/**
 * Flushes the write-ahead log of the database at `path` to stable storage. Commits run with
 * `synchronous = NORMAL`, which writes each commit's frames to the log without waiting for the
 * disk; this `fdatasync` of the log is what makes them durable (SQLite itself syncs the log before
 * every checkpoint, and the log's header when the log restarts). It runs on libuv's thread pool,
 * so the event loop keeps committing other requests' transactions meanwhile. The folder is
 * synced once too, so the log's own directory entry survives a power loss. One handle serves:
 * SQLite restarts its log in place and removes it only when the connection closes.
 */
export function walFlusher(path: string): LogFlusher {
  const wal = `${path}-wal`;
  let handle: FileHandle | undefined;
  const syncFolder = async () => {
    const folder = await open(dirname(path), 'r');
    try {
      await folder.datasync();
    } finally {
      await folder.close();
    }
  };
  return {
    async flush() {
      try {
        if (!handle) {
          const opened = await open(wal, 'r');
          await syncFolder();
          handle = opened;
        }
        await handle.datasync();
      } catch (error) {
        throw new StorageFlushError(wal, error);
      }
    },
    async close() {
      await handle?.close();
      handle = undefined;
    },
  };
}

/**
 * Opens the connection and sets its pragmas, the first statements to read the file.
 *
 * @throws DatabaseLocationError naming the path when the file cannot be opened or is not a
 *   SQLite database (SQLite's own messages name neither).
 * @throws DatabaseInUseError when another process holds the file.
 */
function connect(path: string): SQLite.Database {
  let connection: SQLite.Database | undefined;
  try {
    // A file another process holds is refused after this wait (better-sqlite3's default is 5 s of
    // silence); it only covers a stopping predecessor's last moments.
    connection = new SQLite(path, { timeout: TAKE_FILE_TIMEOUT_MS });
    if (path !== ':memory:') takeFile(connection, path);
    // NORMAL: commits reach the log without a sync of their own; `walFlusher` syncs the log once
    // for a batch of them before any response that acknowledges one is sent (group commit).
    connection.pragma('synchronous = NORMAL');
    // A checkpoint runs inside the commit that crosses this many log pages, and syncs the log and
    // the file on the event loop (~3.5 ms each, measured). SQLite's default of 1,000 pages meant a
    // checkpoint every ~50 commits of task transitions; 10,000 (a log of up to ~40 MiB) makes it
    // every ~400, and a page written again and again is copied to the file once per checkpoint.
    connection.pragma(`wal_autocheckpoint = ${WAL_CHECKPOINT_PAGES}`);
    connection.pragma('busy_timeout = 5000');
    connection.pragma('foreign_keys = ON');
    return connection;
  } catch (error) {
    if (connection?.open) connection.close();
    if (error instanceof DatabaseInUseError) throw error;
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

/** Whether the database answers a trivial query. */
async function answers(db: Kysely<Database>): Promise<boolean> {
  try {
    await sql`select 1`.execute(db);
    return true;
  } catch {
    return false;
  }
}

const CAPABILITIES: Capabilities = { dialect: 'sqlite', rowLocks: false };

/** The transaction statements, compiled once: every request runs them. */
const BEGIN = {
  begin: CompiledQuery.raw('begin'),
  'begin immediate': CompiledQuery.raw('begin immediate'),
} as const;
const COMMIT = CompiledQuery.raw('commit');
const ROLLBACK = CompiledQuery.raw('rollback');

/** Holds the one connection for `work` between `begin` and `commit` (or `rollback`). */
function inTransaction<T>(
  db: Kysely<Database>,
  begin: keyof typeof BEGIN,
  work: (conn: Db) => Promise<T>,
): Promise<T> {
  return db.connection().execute(async (conn) => {
    await conn.executeQuery(BEGIN[begin]);
    try {
      const result = await work(withCapabilities(conn, CAPABILITIES));
      await conn.executeQuery(COMMIT);
      return result;
    } catch (error) {
      await conn.executeQuery(ROLLBACK);
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
 * Puts the file in WAL mode and takes it for this process. One process per file: the connection
 * takes SQLite's exclusive lock at once and keeps it (`locking_mode = EXCLUSIVE`), so a second
 * server on the same file is refused at start instead of stalling on, and failing with,
 * SQLITE_BUSY while the first writes.
 *
 * @throws DatabaseInUseError when another process holds the file.
 */
function takeFile(connection: SQLite.Database, path: string): void {
  connection.pragma('locking_mode = EXCLUSIVE');
  try {
    // WAL before the lock's transaction: on a new file the switch is the first write, and a
    // transaction ahead of it writes the file's first page once more, with a rollback journal's
    // syncs (8 syncs before the log exists instead of 4).
    connection.pragma('journal_mode = WAL');
    connection.exec('begin exclusive; commit');
  } catch (error) {
    if ((error as { code?: string }).code?.startsWith('SQLITE_BUSY')) {
      throw new DatabaseInUseError(path);
    }
    throw error;
  }
}

/**
 * A SQLite store on `path`: an absolute file path (see `prepareSqliteFile`) or `:memory:`.
 * `log` makes a file's commits durable (see `walFlusher`, the default); `:memory:` has none.
 */
export function openSqliteStore(path: string, log: LogFlusher = walFlusher(path)): Store {
  const connection = connect(path);
  const commits = path === ':memory:' ? undefined : new GroupCommit(() => log.flush());
  const db = withCapabilities(
    new Kysely<Database>({
      dialect: new SqliteDialect({ database: withStatementCache(connection, commits) }),
      plugins: [new SqliteBoundLimits()],
    }),
    CAPABILITIES,
  );
  const durable = () => commits?.durable() ?? Promise.resolve();
  return {
    dialect: CAPABILITIES.dialect,
    db,
    // Kysely's SQLite driver hands out its single connection behind a mutex, so holding it for
    // the whole callback also serialises this process's transactions.
    transaction: (work) => inTransaction(db, 'begin immediate', work),
    snapshot: (work) => inTransaction(db, 'begin', work),
    ping: async (): Promise<DatabaseStatus> => {
      if (!(await answers(db))) return 'disconnected';
      return path === ':memory:' || writable(path) ? 'connected' : 'read-only';
    },
    durable,
    close: async () => {
      await durable();
      await db.destroy();
      await log.close();
    },
  };
}
