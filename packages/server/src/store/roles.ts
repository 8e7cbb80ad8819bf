import type { Selectable } from 'kysely';
import { type Page, type RowPage, selectPage } from './listing.js';
import type { RoleTable } from './schema.js';
import type { Db } from './store.js';

export type RoleRow = Selectable<RoleTable>;

export function findRole(db: Db, scope: string, name: string) {
  return db
    .selectFrom('roles')
    .selectAll()
    .where('scope', '=', scope)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** The scope's roles by name; only one orchestrator's when `orchestratorId` is given. */
export function selectRoles(db: Db, scope: string, orchestratorId?: string) {
  return db
    .selectFrom('roles')
    .selectAll()
    .where('scope', '=', scope)
    .$if(orchestratorId !== undefined, (q) => q.where('orchestrator_id', '=', orchestratorId ?? ''))
    .orderBy('name')
    .execute();
}

/** One page of the scope's roles, by name. */
export function selectRolePage(db: Db, scope: string, page: Page): Promise<RowPage<RoleRow>> {
  return selectPage(
    db.selectFrom('roles').where('scope', '=', scope),
    (q) => q.selectAll().orderBy('name'),
    page,
    ['name', 'description', 'claims_from', 'orchestrator_id'],
  );
}

/** Inserts each role, or replaces what an existing one of that name says (keeping created_at). */
export async function upsertRoles(db: Db, rows: RoleRow[]): Promise<void> {
  if (rows.length === 0) return;
  await db
    .insertInto('roles')
    .values(rows)
    .onConflict((oc) =>
      oc.columns(['scope', 'name']).doUpdateSet((eb) => ({
        description: eb.ref('excluded.description'),
        claims_from: eb.ref('excluded.claims_from'),
        orchestrator_id: eb.ref('excluded.orchestrator_id'),
      })),
    )
    .execute();
}
