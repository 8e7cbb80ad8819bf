import { type SelectQueryBuilder, sql } from 'kysely';

export interface Page {
  limit: number;
  offset: number;
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

/**
 * One page of a filtered query's rows, in `order`, with the count of every matching row; run it
 * in `Store.snapshot` so the two agree.
 */
export async function selectPage<DB, TB extends keyof DB, Row>(
  filtered: SelectQueryBuilder<DB, TB, object>,
  ordered: (query: SelectQueryBuilder<DB, TB, object>) => SelectQueryBuilder<DB, TB, Row>,
  page: Page,
): Promise<{ rows: Row[]; total: number }> {
  const [rows, count] = await Promise.all([
    ordered(filtered).limit(page.limit).offset(page.offset).execute(),
    filtered
      .select(sql`count(*)`.as('total'))
      // PostgreSQL counts in bigint, which pg hands over as text.
      .$castTo<{ total: number | string }>()
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(count.total) };
}
