import type { Selectable } from 'kysely';
import type { ClaimReplayTable } from './schema.js';
import type { Db } from './store.js';

export type ClaimReplayRow = Selectable<ClaimReplayTable>;

/** The claim remembered for the scope's idempotency key, expired or not; undefined for none. */
export function findClaimReplay(
  db: Db,
  scope: string,
  key: string,
): Promise<ClaimReplayRow | undefined> {
  return db
    .selectFrom('claim_replays')
    .selectAll()
    .where('scope', '=', scope)
    .where('idempotency_key', '=', key)
    .executeTakeFirst();
}

/**
 * Remembers a claim under its key. A key of the scope that is remembered already (its claim has
 * expired or moved on, as the caller checked) is taken over; a key another transaction is
 * remembering at the same moment fails with a unique violation, for the caller to read that one.
 */
export async function rememberClaim(
  db: Db,
  row: ClaimReplayRow,
  replaces: ClaimReplayRow | undefined,
): Promise<void> {
  if (replaces === undefined) {
    await db.insertInto('claim_replays').values(row).execute();
    return;
  }
  await db
    .updateTable('claim_replays')
    .set({
      task_id: row.task_id,
      lease_token: row.lease_token,
      created_at: row.created_at,
      expires_at: row.expires_at,
    })
    .where('scope', '=', row.scope)
    .where('idempotency_key', '=', row.idempotency_key)
    .execute();
}

/** Deletes the remembered claims that expired before `now` (ISO-8601); returns how many. */
export async function deleteExpiredClaimReplays(db: Db, now: string): Promise<number> {
  const result = await db
    .deleteFrom('claim_replays')
    .where('expires_at', '<', now)
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
