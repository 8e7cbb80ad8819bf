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

/**
 * `instant`, in the form the indexes of migration 0005 are built on, for the orders a claim and
 * the lease sweep read in: `octopoid_instant()` on PostgreSQL (the cast declared immutable, as an
 * index needs), `julianday()` on SQLite.
 */
export function indexedInstant(dialect: Dialect, value: Expression<unknown>): RawBuilder<number> {
  return dialect === 'postgres' ? sql<number>`octopoid_instant(${value})` : instant(dialect, value);
}
