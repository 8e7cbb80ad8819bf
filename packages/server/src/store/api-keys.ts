import type { Selectable } from 'kysely';
import type { ApiKeyTable } from './schema.js';
import type { Db } from './store.js';

export type ApiKeyRow = Selectable<ApiKeyTable>;

export function findApiKey(db: Db, keyHash: string): Promise<ApiKeyRow | undefined> {
  return db.selectFrom('api_keys').selectAll().where('key_hash', '=', keyHash).executeTakeFirst();
}

/**
 * Stores the scope's key unless the scope has one already; true when this call stored it. A
 * concurrent first registration waits on the unique scope and then does nothing, so exactly one
 * key is ever issued per scope and the loser sees `false` instead of a constraint error.
 */
export async function insertApiKeyIfAbsent(db: Db, row: ApiKeyRow): Promise<boolean> {
  const inserted = await db
    .insertInto('api_keys')
    .values(row)
    .onConflict((oc) => oc.column('scope').doNothing())
    .returning('scope')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Swaps the scope's key for a new one; false when `oldHash` is no longer the scope's key. */
export async function replaceApiKey(
  db: Db,
  scope: string,
  oldHash: string,
  newHash: string,
  now: string,
): Promise<boolean> {
  const result = await db
    .updateTable('api_keys')
    .set({ key_hash: newHash, created_at: now, last_used_at: null })
    .where('scope', '=', scope)
    .where('key_hash', '=', oldHash)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

export async function touchApiKey(db: Db, keyHash: string, now: string): Promise<void> {
  await db
    .updateTable('api_keys')
    .set({ last_used_at: now })
    .where('key_hash', '=', keyHash)
    .execute();
}
