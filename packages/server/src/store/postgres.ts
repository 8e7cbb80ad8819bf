import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import { DatabaseUnavailableError } from './errors.js';
import type { Database } from './schema.js';
import type { DatabaseStatus, Store } from './store.js';

/** Whether a new session may write: off on a hot standby or with `default_transaction_read_only`. */
async function status(db: Kysely<Database>): Promise<DatabaseStatus> {
  try {
    const { rows } = await sql<{
      transaction_read_only: string;
    }>`show transaction_read_only`.execute(db);
    return rows[0]?.transaction_read_only === 'on' ? 'read-only' : 'connected';
  } catch {
    return 'disconnected';
  }
}

/** Connections the pool may hold when no size is given (node-postgres' own default). */
export const DEFAULT_POSTGRES_POOL_SIZE = 10;
/** How long a request waits to open a connection before it is answered 503, in ms. */
const CONNECT_TIMEOUT_MS = 5_000;

/**
 * Whether a new connection can be opened and answers: a pooled connection may still work while
 * the database refuses new ones (too many clients, `ALLOW_CONNECTIONS false`), so readiness
 * opens its own.
 */
async function acceptsConnections(url: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  client.on('error', () => {});
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

/** `poolSize`: connections this instance may hold at once (default 10). */
export function openPostgresStore(url: string, poolSize = DEFAULT_POSTGRES_POOL_SIZE): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () =>
          pool.connect().catch((error: unknown) => {
            throw new DatabaseUnavailableError(error);
          }),
        end: () => pool.end(),
      },
    }),
  });
  return {
    dialect: 'postgres',
    db,
    supportsRowLocks: true,
    transaction: (work) => db.transaction().execute(work),
    snapshot: (work) => db.transaction().setIsolationLevel('repeatable read').execute(work),
    ping: async () => {
      const answer = await status(db);
      return answer === 'connected' && !(await acceptsConnections(url)) ? 'disconnected' : answer;
    },
    close: () => db.destroy(),
  };
}
