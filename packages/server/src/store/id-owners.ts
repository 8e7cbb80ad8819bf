import { type Kysely, sql } from 'kysely';
import type { Database } from './schema.js';

/** The column that names an entity inside its scope, per table a request path can address. */
const KEY_COLUMNS = {
  tasks: 'id',
  projects: 'id',
  drafts: 'id',
  orchestrators: 'id',
  actions: 'id',
  messages: 'id',
  flows: 'name',
  roles: 'name',
} as const satisfies Partial<Record<keyof Database, string>>;

export type AddressableEntity = keyof typeof KEY_COLUMNS;

/** Draft ids are integers; anything else (or out of range) can name no draft. */
const DRAFT_ID = /^[0-9]{1,9}$/;

/**
 * How many scopes hold an entity with this key, one of them, and whether `preferred` (the
 * server's default scope, when it has one) is among them. Primary keys start with the scope, so
 * each scope holds at most one row per key and the row count is the scope count.
 */
export async function scopesHolding(
  db: Kysely<Database>,
  entity: AddressableEntity,
  key: string,
  preferred?: string,
): Promise<{ count: number; scope: string | undefined; preferredHolds: boolean }> {
  if (entity === 'drafts' && !DRAFT_ID.test(key)) {
    return { count: 0, scope: undefined, preferredHolds: false };
  }
  const value = entity === 'drafts' ? Number(key) : key;
  const { rows } = await sql<{
    n: number | string;
    scope: string | null;
    preferred: number | string | null;
  }>`
    select count(*) as n, min(scope) as scope,
      sum(case when scope = ${preferred ?? null} then 1 else 0 end) as preferred
    from ${sql.table(entity)}
    where ${sql.ref(KEY_COLUMNS[entity])} = ${value}`.execute(db);
  const row = rows[0];
  return {
    count: Number(row?.n ?? 0),
    scope: row?.scope ?? undefined,
    preferredHolds: Number(row?.preferred ?? 0) > 0,
  };
}
