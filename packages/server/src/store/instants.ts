import { type Expression, type RawBuilder, sql } from 'kysely';
import type { Dialect } from './store.js';

/**
 * A stored ISO-8601 timestamp (or a bound one) as an instant the database compares and orders by
 * time, never by text: `julianday()` on SQLite, `timestamptz` on PostgreSQL.
 */
export function instant(dialect: Dialect, value: Expression<unknown> | string): RawBuilder<number> {
  const expression = typeof value === 'string' ? sql`${value}` : value;
  return dialect === 'postgres'
    ? sql<number>`(${expression})::timestamptz`
    : sql<number>`julianday(${expression})`;
}
