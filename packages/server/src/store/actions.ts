import type { Selectable, Updateable } from 'kysely';
import { instant } from './instants.js';
import { type Page, type RowPage, selectPage, whereEquals } from './listing.js';
import type { ActionTable } from './schema.js';
import type { Db } from './store.js';

export type ActionRow = Selectable<ActionTable>;
export type ActionChanges = Updateable<ActionTable>;

export function insertAction(db: Db, row: ActionRow): Promise<ActionRow> {
  return db.insertInto('actions').values(row).returningAll().executeTakeFirstOrThrow();
}

/** `forUpdate`: the caller will write the row in this transaction; it is locked where the database locks rows. */
export function findAction(db: Db, scope: string, id: string, { forUpdate = false } = {}) {
  return db
    .selectFrom('actions')
    .selectAll()
    .where('scope', '=', scope)
    .where('id', '=', id)
    .$if(forUpdate && db.capabilities.rowLocks, (q) => q.forUpdate())
    .executeTakeFirst();
}

export function updateAction(
  db: Db,
  scope: string,
  id: string,
  changes: ActionChanges,
): Promise<ActionRow> {
  return db
    .updateTable('actions')
    .set(changes)
    .where('scope', '=', scope)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export interface ActionFilters {
  entity_type?: string | undefined;
  entity_id?: string | undefined;
  status?: string | undefined;
}

/** One page of the scope's actions that have not expired at `now`, newest first. */
export function selectLiveActions(
  db: Db,
  scope: string,
  filters: ActionFilters,
  now: string,
  page: Page,
): Promise<RowPage<ActionRow>> {
  const { dialect } = db.capabilities;
  const live = db
    .selectFrom('actions')
    .where('scope', '=', scope)
    .where((eb) =>
      eb.or([
        eb('expires_at', 'is', null),
        eb(instant(dialect, eb.ref('expires_at')), '>', instant(dialect, now)),
      ]),
    );
  return selectPage(
    whereEquals(live, {
      entity_type: filters.entity_type,
      entity_id: filters.entity_id,
      status: filters.status,
    }),
    (q) => q.selectAll().orderBy('proposed_at', 'desc').orderBy('id', 'desc'),
    page,
    ['label', 'description', 'result', 'metadata', 'action_data'],
  );
}
