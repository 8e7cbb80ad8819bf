import { Kysely, PostgresDialect, sql } from 'kysely';
import type pg from 'pg';
import { DatabaseUnavailableError } from './errors.js';
import { withCapabilities } from './handle.js';
import { namingHotStatements } from './named-statements.js';
import { loadPostgresDriver } from './postgres-driver.js';
import type { Database } from './schema.js';
import type { Capabilities, DatabaseStatus, Store } from './store.js';

const CAPABILITIES: Capabilities = { dialect: 'postgres', rowLocks: true };

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
async function acceptsConnections(driver: typeof pg, url: string): Promise<boolean> {
  const client = new driver.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
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
export async function openPostgresStore(
  url: string,
  poolSize = DEFAULT_POSTGRES_POOL_SIZE,
): Promise<Store> {
  const driver = await loadPostgresDriver();
  const pool = new driver.Pool({
    connectionString: url,
    max: poolSize,
    connectionTimeoutMillis: CONNECT_TIMEOUT_MS,
  });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  const kysely = new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () =>
          pool.connect().then(namingHotStatements, (error: unknown) => {
            throw new DatabaseUnavailableError(error);
          }),
        end: () => pool.end(),
      },
    }),
  });
  const db = withCapabilities(kysely, CAPABILITIES);
  return {
    dialect: CAPABILITIES.dialect,
    db,
    transaction: (work, options) => {
      const begin = kysely.transaction();
      return (options?.snapshot ? begin.setIsolationLevel('repeatable read') : begin).execute(
        (tx) => work(withCapabilities(tx, CAPABILITIES)),
      );
    },
    snapshot: (work) =>
      kysely
        .transaction()
        .setIsolationLevel('repeatable read')
        .execute((tx) => work(withCapabilities(tx, CAPABILITIES))),
    // Each COMMIT returns once PostgreSQL has flushed it (synchronous_commit), grouped there.
    durable: () => Promise.resolve(),
    ping: async () => {
      const answer = await status(db);
      return answer === 'connected' && !(await acceptsConnections(driver, url))
        ? 'disconnected'
        : answer;
    },
    close: () => db.destroy(),
  };
}
