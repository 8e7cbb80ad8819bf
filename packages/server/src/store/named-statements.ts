import type { CompiledQuery } from 'kysely';
import type pg from 'pg';
import type { Db } from './store.js';

/**
 * Named prepared statements for the hot queries on PostgreSQL. A statement run with a name is
 * parsed and planned once per connection and then only bound and executed, which saves the
 * database most of the work of the short queries a task transition makes. Only the queries the
 * store marks (through `executeNamed`) get a name, and at most {@link MAX_NAMED} texts do: a
 * PostgreSQL connection keeps every statement prepared on it until it closes.
 */
const MAX_NAMED = 200;
const names = new Map<string, string>();
const NAMING = Symbol('names hot statements');

/**
 * Runs a compiled query, first marking its SQL text as hot (see above; nothing changes on SQLite,
 * whose adapter reuses every prepared statement by text). Resolves its rows.
 */
export async function executeNamed<R>(db: Db, query: CompiledQuery<R>): Promise<R[]> {
  if (db.capabilities.dialect === 'postgres' && !names.has(query.sql) && names.size < MAX_NAMED) {
    names.set(query.sql, `octopoid_${names.size + 1}`);
  }
  return (await db.executeQuery(query)).rows;
}

/**
 * Makes a pooled client run the marked texts as named prepared statements (`{name, text,
 * values}`); every other query goes through unchanged. Idempotent: a client returned to the pool
 * and handed out again keeps its one wrapper.
 */
export function namingHotStatements(client: pg.PoolClient): pg.PoolClient {
  const marked = client as pg.PoolClient & { [NAMING]?: true };
  if (marked[NAMING]) return client;
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = (text: unknown, ...rest: unknown[]) => {
    const name = typeof text === 'string' ? names.get(text) : undefined;
    return name === undefined ? query(text, ...rest) : query({ name, text, values: rest[0] });
  };
  return Object.assign(marked, { query: named, [NAMING]: true as const });
}
