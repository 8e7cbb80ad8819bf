import { sql } from 'kysely';
import type { Db } from './store.js';

/**
 * Milliseconds since the epoch by the database server's clock (`clock_timestamp()`), or
 * `undefined` on SQLite, whose only clock is this process's own.
 */
export async function readDatabaseClock(db: Db): Promise<number | undefined> {
  if (db.capabilities.dialect !== 'postgres') return undefined;
  const { rows } = await sql<{
    ms: string | number;
  }>`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`.execute(db);
  return Number(rows[0]?.ms);
}
