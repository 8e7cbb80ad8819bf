import type { Selectable, Updateable } from 'kysely';
import { instant } from './instants.js';
import { type Page, type RowPage, selectPage } from './listing.js';
import type { OrchestratorTable } from './schema.js';
import type { Db } from './store.js';

export type OrchestratorRow = Selectable<OrchestratorTable>;
export type OrchestratorChanges = Updateable<OrchestratorTable>;

export function findOrchestrator(db: Db, scope: string, id: string) {
  return db
    .selectFrom('orchestrators')
    .selectAll()
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
}

/** Inserts the row unless the scope already has that id; the inserted row, or undefined. */
export function insertOrchestratorIfAbsent(db: Db, row: OrchestratorRow) {
  return db
    .insertInto('orchestrators')
    .values(row)
    .onConflict((oc) => oc.columns(['scope', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Updates one orchestrator; `where` narrows the match further (e.g. to its cluster). */
export function updateOrchestrator(
  db: Db,
  scope: string,
  id: string,
  changes: OrchestratorChanges,
  where: Partial<Pick<OrchestratorRow, 'cluster' | 'machine_id'>> = {},
) {
  return db
    .updateTable('orchestrators')
    .set(changes)
    .where('scope', '=', scope)
    .where('id', '=', id)
    .$if(where.cluster !== undefined, (q) => q.where('cluster', '=', where.cluster ?? ''))
    .$if(where.machine_id !== undefined, (q) => q.where('machine_id', '=', where.machine_id ?? ''))
    .returningAll()
    .executeTakeFirst();
}

/** Sets the heartbeat; an offline orchestrator becomes active, any other keeps its status. */
export function updateHeartbeat(db: Db, scope: string, id: string, now: string) {
  return db
    .updateTable('orchestrators')
    .set((eb) => ({
      last_heartbeat: now,
      status: eb.case().when('status', '=', 'offline').then('active').else(eb.ref('status')).end(),
    }))
    .where('scope', '=', scope)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export interface OrchestratorFilters {
  cluster?: string | undefined;
  status?: string[] | undefined;
}

/** The scope's orchestrators, most recent heartbeat first. */
export function selectOrchestrators(
  db: Db,
  scope: string,
  filters: OrchestratorFilters,
  page: Page,
): Promise<RowPage<OrchestratorRow>> {
  return selectPage(
    db
      .selectFrom('orchestrators')
      .where('scope', '=', scope)
      .$if(filters.cluster !== undefined, (q) => q.where('cluster', '=', filters.cluster ?? ''))
      .$if(!!filters.status?.length, (q) => q.where('status', 'in', filters.status ?? [])),
    (q) => q.selectAll().orderBy('last_heartbeat', 'desc').orderBy('id'),
    page,
    ['cluster', 'machine_id', 'repo_url', 'hostname', 'version', 'capabilities'],
  );
}

/**
 * Marks offline the active orchestrators whose last heartbeat is older than `cutoff`, in one
 * scope or in every scope; returns how many.
 */
export async function markOfflineBefore(
  db: Db,
  cutoff: string,
  where: { scope?: string },
): Promise<number> {
  const { dialect } = db.capabilities;
  const result = await db
    .updateTable('orchestrators')
    .set({ status: 'offline' })
    .where('status', '=', 'active')
    .where((eb) => eb(instant(dialect, eb.ref('last_heartbeat')), '<', instant(dialect, cutoff)))
    .$if(where.scope !== undefined, (q) => q.where('scope', '=', where.scope ?? ''))
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/** The scopes holding at least one active orchestrator. */
export async function scopesWithActiveOrchestrators(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom('orchestrators')
    .select('scope')
    .distinct()
    .where('status', '=', 'active')
    .execute();
  return rows.map((row) => row.scope);
}
