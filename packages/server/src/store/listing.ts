import { type SelectQueryBuilder, sql } from 'kysely';
import { rowsWithinBudget } from './page-budget.js';

export interface Page {
  limit: number;
  offset: number;
}

/** One page of rows, the count of every matching row, and the page's `limit` as answered. */
export interface RowPage<Row> {
  rows: Row[];
  total: number;
  /** `Page.limit`, or the rows given when the response-size budget ended the page early. */
  limit: number;
}

/** Narrows a list query by `column = value` for every filter that was given. */
export function whereEquals<DB, TB extends keyof DB, O>(
  query: SelectQueryBuilder<DB, TB, O>,
  filters: Record<string, string | number | undefined>,
): SelectQueryBuilder<DB, TB, O> {
  return Object.entries(filters).reduce(
    (narrowed, [column, value]) =>
      value === undefined ? narrowed : narrowed.where(sql.ref(column), '=', value),
    query,
  );
}

/** Characters held by `columns` of a row, NULL counting as none (`length` counts characters on both backends). */
const textLength = (columns: readonly string[]) =>
  sql<number | string>`${sql.join(
    columns.map((column) => sql`coalesce(length(${sql.ref(column)}), 0)`),
    sql` + `,
  )}`;

/**
 * One page of a filtered query's rows, in `order`, with the count of every matching row; run it
 * in `Store.snapshot` so the reads agree. `textColumns` are the row's columns of unbounded text:
 * their lengths are read first, and only the leading rows within the response-size budget
 * (`rowsWithinBudget`) are then read whole, so no page of large rows is ever held in memory.
 */
export async function selectPage<DB, TB extends keyof DB, Row>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  ordered: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, Row>,
  page: Page,
  textColumns: readonly string[],
): Promise<RowPage<Row>> {
  const [sizes, count] = await Promise.all([
    ordered(filtered)
      .clearSelect()
      .select(textLength(textColumns).as('row_chars'))
      .$castTo<{ row_chars: number | string }>()
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countMatching(filtered),
  ]);
  const fit = rowsWithinBudget(sizes.map((row) => Number(row.row_chars)));
  const rows = fit === 0 ? [] : await ordered(filtered).limit(fit).offset(page.offset).execute();
  return { rows, total: count, limit: fit < sizes.length ? fit : page.limit };
}

/** How many rows `filtered` matches (a list's `total`). */
export async function countMatching<DB, TB extends keyof DB, O>(
  filtered: SelectQueryBuilder<DB, TB, O>,
): Promise<number> {
  const { total } = await filtered
    .select(sql`count(*)`.as('total'))
    // PostgreSQL counts in bigint, which pg hands over as text.
    .$castTo<{ total: number | string }>()
    .executeTakeFirstOrThrow();
  return Number(total);
}
