import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database } from './schema.js';

type Db = Kysely<Database>;

/** Every table whose rows belong to a scope. */
export type ScopedTable = Exclude<keyof Database, 'octopoid_migrations'>;
export type ScopedRow<T extends ScopedTable> = Selectable<Database[T]>;
export type Column<T extends ScopedTable> = keyof Database[T] & string;

/** The columns that date a table's rows: when a row appeared, and when it last changed. */
const ROW_TIMES: { [T in ScopedTable]: { created: Column<T>; changed: Column<T>[] } } = {
  tasks: { created: 'created_at', changed: ['updated_at'] },
  task_history: { created: 'timestamp', changed: ['timestamp'] },
  projects: { created: 'created_at', changed: ['updated_at'] },
  drafts: { created: 'created_at', changed: ['updated_at'] },
  orchestrators: { created: 'registered_at', changed: ['last_heartbeat'] },
  roles: { created: 'created_at', changed: ['created_at'] },
  flows: { created: 'registered_at', changed: ['updated_at'] },
  messages: { created: 'created_at', changed: ['created_at'] },
  actions: { created: 'proposed_at', changed: ['proposed_at', 'executed_at'] },
  api_keys: { created: 'created_at', changed: ['created_at', 'last_used_at'] },
};

/** How many rows one table holds for one scope, and when they appeared and last changed. */
export interface TableActivity {
  scope: string;
  table: ScopedTable;
  rows: number;
  createdAt: string;
  changedAt: string;
}

/**
 * Row counts and times of `tables`, per scope that has rows there (only `scope` when given).
 * Timestamps are ISO-8601 UTC text, so min/max compare them correctly on both dialects.
 */
export async function tableActivity(
  db: Db,
  tables: readonly ScopedTable[],
  scope?: string,
): Promise<TableActivity[]> {
  const perTable = await Promise.all(
    tables.map(async (table) => {
      const { created, changed } = ROW_TIMES[table];
      const rows = await db
        .selectFrom(table)
        .select([
          'scope',
          sql<number | string>`count(*)`.as('rows'),
          sql<string>`min(${sql.ref(created)})`.as('created_at'),
          ...changed.map((column, i) => sql<string | null>`max(${sql.ref(column)})`.as(`c${i}`)),
        ])
        .$if(scope !== undefined, (q) => q.where('scope', '=', scope ?? ''))
        .groupBy('scope')
        .execute();
      return rows.map((row): TableActivity => {
        const times = changed.map((_, i) => (row as Record<string, string | null>)[`c${i}`]);
        return {
          scope: row.scope,
          table,
          rows: Number(row.rows),
          createdAt: row.created_at,
          changedAt: times.reduce<string>((a, b) => (b && b > a ? b : a), row.created_at),
        };
      });
    }),
  );
  return perTable.flat();
}

/** The column naming a row within its scope; rows are read in its order. */
const KEY_COLUMNS: { [T in ScopedTable]: Column<T> } = {
  tasks: 'id',
  task_history: 'id',
  projects: 'id',
  drafts: 'id',
  orchestrators: 'id',
  roles: 'name',
  flows: 'name',
  messages: 'id',
  actions: 'id',
  api_keys: 'key_hash',
};

/** Every row of one table in one scope, in key order; locked on PostgreSQL when asked. */
export async function rowsOfScope<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  lockRows = false,
): Promise<ScopedRow<T>[]> {
  // Kysely cannot follow a generic table name; the cast states what the query selects.
  const rows = await db
    .selectFrom(table as ScopedTable)
    .selectAll()
    .where('scope', '=', scope)
    .orderBy(sql.ref(KEY_COLUMNS[table]))
    .$if(lockRows, (q) => q.forUpdate())
    .execute();
  return rows as ScopedRow<T>[];
}

/** Stays well under SQLite's and PostgreSQL's limits on bound parameters per statement. */
const PARAMETERS_PER_STATEMENT = 10_000;

function batches<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Inserts rows, skipping any whose key is already taken; returns how many went in, so the
 * caller can tell a clash (a concurrent writer, a rename that still collides) from success.
 */
export async function insertRows<T extends ScopedTable>(
  db: Db,
  table: T,
  rows: readonly Insertable<Database[T]>[],
): Promise<number> {
  const first = rows[0];
  if (!first) return 0;
  const perBatch = Math.max(1, Math.floor(PARAMETERS_PER_STATEMENT / Object.keys(first).length));
  let inserted = 0;
  for (const batch of batches(rows, perBatch)) {
    const result = await db
      .insertInto(table as ScopedTable)
      .values(batch as Insertable<Database[ScopedTable]>[])
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    inserted += Number(result.numInsertedOrUpdatedRows ?? 0);
  }
  return inserted;
}

/** Deletes the scope's rows of `table` whose `column` holds one of `values`. */
export async function deleteRowsWhere<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  column: Column<T>,
  values: readonly (string | number)[],
): Promise<number> {
  let deleted = 0;
  for (const batch of batches(values, PARAMETERS_PER_STATEMENT)) {
    const result = await db
      .deleteFrom(table as ScopedTable)
      .where('scope', '=', scope)
      .where(sql.ref(column), 'in', batch)
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}

/** Which of `values` the scope already holds in `column` of `table`. */
export async function takenValues<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  column: Column<T>,
  values: readonly string[],
): Promise<Set<string>> {
  const taken = new Set<string>();
  for (const batch of batches(values, PARAMETERS_PER_STATEMENT)) {
    const rows = await db
      .selectFrom(table as ScopedTable)
      .select(sql<string>`${sql.ref(column)}`.as('value'))
      .where('scope', '=', scope)
      .where(sql.ref(column), 'in', batch)
      .execute();
    for (const row of rows) taken.add(String(row.value));
  }
  return taken;
}

/** Whether any of `tables` holds a row of the scope (one indexed probe per table). */
export async function scopeHoldsRows(
  db: Db,
  tables: readonly ScopedTable[],
  scope: string,
): Promise<boolean> {
  for (const table of tables) {
    const row = await db
      .selectFrom(table)
      .select(sql<number>`1`.as('one'))
      .where('scope', '=', scope)
      .limit(1)
      .executeTakeFirst();
    if (row) return true;
  }
  return false;
}
