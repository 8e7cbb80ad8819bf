import { type Selectable, sql, type Updateable } from 'kysely';
import { type Page, selectPage, whereEquals } from './listing.js';
import type { DraftTable } from './schema.js';
import type { Db } from './store.js';

export type DraftRow = Selectable<DraftTable>;
export type DraftChanges = Updateable<DraftTable>;

/**
 * The id the scope's next draft gets: one more than its highest. The scope's allocation is held
 * until the transaction ends, so two writers never pick the same id: SQLite write transactions
 * are serial already; PostgreSQL takes an advisory lock per scope.
 */
export async function nextDraftId(db: Db, scope: string): Promise<number> {
  if (db.capabilities.rowLocks) {
    await sql`select pg_advisory_xact_lock(hashtext('drafts'), hashtext(${scope}))`.execute(db);
  }
  const row = await db
    .selectFrom('drafts')
    .select((eb) => eb.fn.max('id').as('highest'))
    .where('scope', '=', scope)
    .executeTakeFirst();
  return Number(row?.highest ?? 0) + 1;
}

export function insertDraft(db: Db, row: DraftRow): Promise<DraftRow> {
  return db.insertInto('drafts').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findDraft(db: Db, scope: string, id: number) {
  return db
    .selectFrom('drafts')
    .selectAll()
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
}

export function updateDraft(db: Db, scope: string, id: number, changes: DraftChanges) {
  return db
    .updateTable('drafts')
    .set(changes)
    .where('scope', '=', scope)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteDraft(db: Db, scope: string, id: number): Promise<boolean> {
  const result = await db
    .deleteFrom('drafts')
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface DraftFilters {
  status?: string | undefined;
  author?: string | undefined;
  domain?: string | undefined;
  linked_task_id?: string | undefined;
  linked_project_id?: string | undefined;
}

/** One page of the scope's drafts, newest first. */
export function selectDrafts(db: Db, scope: string, filters: DraftFilters, page: Page) {
  return selectPage(
    whereEquals(db.selectFrom('drafts').where('scope', '=', scope), {
      status: filters.status,
      author: filters.author,
      domain: filters.domain,
      linked_task_id: filters.linked_task_id,
      linked_project_id: filters.linked_project_id,
    }),
    (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
    page,
    ['tags'],
  );
}
