import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
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

export function openPostgresStore(url: string): Store {
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  // An idle client losing its connection must not crash the server; the next query reconnects.
  pool.on('error', () => {});
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  return {
    dialect: 'postgres',
    db,
    supportsRowLocks: true,
    transaction: (work) => db.transaction().execute(work),
    ping: () => status(db),
    close: () => db.destroy(),
  };
}
