import { type Insertable, type RawBuilder, type Selectable, sql } from 'kysely';
import {
  type Column,
  DELETE_ORDER,
  SCOPED_ENTITIES,
  SCOPED_TABLES,
  type ScopedEntity,
  type ScopedTable,
} from './entities.js';
import { countMatching, type Page } from './listing.js';
import type { Database } from './schema.js';
import type { Db } from './store.js';

export type ScopedRow<T extends ScopedTable> = Selectable<Database[T]>;

/** How many rows one table holds for one scope, and when they appeared and last changed. */
export interface TableActivity {
  scope: string;
  table: ScopedTable;
  rows: number;
  createdAt: string;
  changedAt: string;
}

/** One page of scope names, and how many scopes hold any row. */
export interface ScopeNamePage {
  names: string[];
  total: number;
}

/**
 * The names of the scopes holding a row in any scoped table, in byte order of their names (the
 * same on both backends: PostgreSQL compares them in the `C` collation), one page of them.
 */
export async function scopeNames(db: Db, page: Page): Promise<ScopeNamePage> {
  const [first, ...rest] = SCOPED_TABLES.map((table) =>
    db.selectFrom(table as ScopedTable).select('scope'),
  );
  if (!first) return { names: [], total: 0 };
  const scopes = rest.reduce((union, next) => union.union(next), first).as('held');
  const name =
    db.capabilities.dialect === 'postgres'
      ? sql`${sql.ref('scope')} collate "C"`
      : sql.ref('scope');
  const [rows, count] = await Promise.all([
    db
      .selectFrom(scopes)
      .select('scope')
      .orderBy(name)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countMatching(db.selectFrom(scopes)),
  ]);
  return { names: rows.map((row) => row.scope), total: count };
}

/**
 * Row counts and times of every scoped table, per scope that has rows there (only the scopes
 * named, when given). Timestamps are ISO-8601 UTC text, so min/max compare them correctly on
 * both dialects.
 */
export async function tableActivity(db: Db, scopes?: readonly string[]): Promise<TableActivity[]> {
  if (scopes?.length === 0) return [];
  const perTable = await Promise.all(
    SCOPED_TABLES.map(async (table) => {
      const { created, changed } = SCOPED_ENTITIES[table] as ScopedEntity<ScopedTable>;
      const rows = await db
        .selectFrom(table)
        .select([
          'scope',
          sql<number | string>`count(*)`.as('rows'),
          sql<string>`min(${sql.ref(created)})`.as('created_at'),
          ...changed.map((column, i) => sql<string | null>`max(${sql.ref(column)})`.as(`c${i}`)),
        ])
        .$if(scopes !== undefined, (q) => q.where('scope', 'in', scopes ?? []))
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

/**
 * Every row of one table in one scope, in key order. `forUpdate`: the caller will write or
 * delete them in this transaction; they are locked where the database locks rows.
 */
export async function rowsOfScope<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  { forUpdate = false } = {},
): Promise<ScopedRow<T>[]> {
  // Kysely cannot follow a generic table name; the cast states what the query selects.
  const rows = await db
    .selectFrom(table as ScopedTable)
    .selectAll()
    .where('scope', '=', scope)
    .orderBy(sql.ref(SCOPED_ENTITIES[table].key))
    .$if(forUpdate && db.capabilities.rowLocks, (q) => q.forUpdate())
    .execute();
  return rows as ScopedRow<T>[];
}

/** What a scope copy counts for a value that is not text, or a NULL: 8 bytes. */
const OTHER_VALUE_BYTES = 8;

/** A table's columns as a copy measures them: text columns by their bytes, the rest by 8. */
interface ColumnKinds {
  text: string[];
  others: number;
}

/** The column kinds of every scoped table, as the database declares them (`TEXT`, `text`). */
async function columnKinds(db: Db): Promise<Map<string, ColumnKinds>> {
  const scoped = new Set<string>(SCOPED_TABLES);
  const kinds = new Map<string, ColumnKinds>();
  for (const table of await db.introspection.getTables()) {
    if (!scoped.has(table.name)) continue;
    const text = table.columns.filter((c) => c.dataType.toLowerCase() === 'text');
    kinds.set(table.name, {
      text: text.map((c) => c.name),
      others: table.columns.length - text.length,
    });
  }
  return kinds;
}

/** The bytes of a text value in UTF-8, as SQL (`length` would count characters on both backends). */
const utf8Bytes = (db: Db, value: RawBuilder<unknown>) =>
  db.capabilities.dialect === 'postgres'
    ? sql`octet_length(${value})`
    : sql`length(cast(${value} as blob))`;

/**
 * The size of each of `tables`' rows in `scope` together, in the order given, measured by the
 * database before any row is read: the UTF-8 bytes of every text value and 8 for any other value
 * or a NULL. One aggregate query per
 * table, run when the caller asks for the next table, so a caller can stop at a bound.
 * @yields the table and its rows' size in bytes
 */
export async function* rowSizesOfScope(
  db: Db,
  scope: string,
  tables: readonly ScopedTable[],
): AsyncGenerator<{ table: ScopedTable; bytes: number }> {
  const kinds = await columnKinds(db);
  for (const table of tables) {
    const { text, others } = kinds.get(table) ?? { text: [], others: 0 };
    const perRow = [
      ...text.map(
        (column) => sql`coalesce(${utf8Bytes(db, sql.ref(column))}, ${sql.lit(OTHER_VALUE_BYTES)})`,
      ),
      sql.lit(others * OTHER_VALUE_BYTES),
    ];
    const { bytes } = await db
      .selectFrom(table)
      .select(sql<number | string | null>`sum(${sql.join(perRow, sql` + `)})`.as('bytes'))
      .where('scope', '=', scope)
      .executeTakeFirstOrThrow();
    // PostgreSQL sums in bigint or numeric, which pg hands over as text.
    yield { table, bytes: Number(bytes ?? 0) };
  }
}

/**
 * Every row of one table in one scope, in key order, `pageSize` rows at a time, so a caller can
 * stop (or count) before the whole table is in memory.
 */
export async function* pagesOfScope<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  pageSize = 1_000,
): AsyncGenerator<ScopedRow<T>[]> {
  const key = SCOPED_ENTITIES[table].key as string;
  let after: unknown;
  for (;;) {
    const rows = (await db
      .selectFrom(table as ScopedTable)
      .selectAll()
      .where('scope', '=', scope)
      .$if(after !== undefined, (q) => q.where(sql.ref(key), '>', after))
      .orderBy(sql.ref(key))
      .limit(pageSize)
      .execute()) as ScopedRow<T>[];
    if (rows.length > 0) yield rows;
    if (rows.length < pageSize) return;
    after = (rows.at(-1) as Record<string, unknown>)[key];
  }
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

/** The scope's rows of `table` whose `column` is one of `values`. */
export async function rowsOfScopeIn<T extends ScopedTable>(
  db: Db,
  table: T,
  scope: string,
  column: Column<T>,
  values: readonly string[],
): Promise<ScopedRow<T>[]> {
  const rows: ScopedRow<T>[] = [];
  for (const batch of batches(values, PARAMETERS_PER_STATEMENT)) {
    const page = await db
      .selectFrom(table as ScopedTable)
      .selectAll()
      .where('scope', '=', scope)
      .where(sql.ref(column), 'in', batch)
      .execute();
    rows.push(...(page as ScopedRow<T>[]));
  }
  return rows;
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

/** Whether any scoped table holds a row of the scope (one indexed probe per table). */
export async function scopeHoldsRows(db: Db, scope: string): Promise<boolean> {
  for (const table of SCOPED_TABLES) {
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

/** Deletes every row of the scope, children before parents; returns how many per table. */
export async function deleteScopeRows(db: Db, scope: string): Promise<Record<ScopedTable, number>> {
  const deleted = {} as Record<ScopedTable, number>;
  for (const table of DELETE_ORDER) {
    const result = await db.deleteFrom(table).where('scope', '=', scope).executeTakeFirst();
    deleted[table] = Number(result.numDeletedRows);
  }
  return deleted;
}
