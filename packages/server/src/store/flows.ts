import type { Selectable } from 'kysely';
import { type Page, type RowPage, selectPage } from './listing.js';
import type { FlowTable } from './schema.js';
import type { Db } from './store.js';

export type FlowRow = Selectable<FlowTable>;

export function findFlow(db: Db, scope: string, name: string) {
  return db
    .selectFrom('flows')
    .selectAll()
    .where('scope', '=', scope)
    .where('name', '=', name)
    .executeTakeFirst();
}

/** Every flow of the scope, by name. */
export function selectFlows(db: Db, scope: string): Promise<FlowRow[]> {
  return db.selectFrom('flows').selectAll().where('scope', '=', scope).orderBy('name').execute();
}

/** One page of the scope's flows, by name. */
export function selectFlowPage(db: Db, scope: string, page: Page): Promise<RowPage<FlowRow>> {
  return selectPage(
    db.selectFrom('flows').where('scope', '=', scope),
    (q) => q.selectAll().orderBy('name'),
    page,
    ['name', 'states', 'transitions', 'description', 'child_flow'],
  );
}

/** Inserts the flow, or replaces its definition while keeping its first `registered_at`. */
export function upsertFlow(db: Db, row: FlowRow): Promise<FlowRow> {
  return db
    .insertInto('flows')
    .values(row)
    .onConflict((oc) =>
      oc.columns(['scope', 'name']).doUpdateSet((eb) => ({
        states: eb.ref('excluded.states'),
        transitions: eb.ref('excluded.transitions'),
        description: eb.ref('excluded.description'),
        child_flow: eb.ref('excluded.child_flow'),
        updated_at: eb.ref('excluded.updated_at'),
      })),
    )
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteFlow(db: Db, scope: string, name: string): Promise<boolean> {
  const result = await db
    .deleteFrom('flows')
    .where('scope', '=', scope)
    .where('name', '=', name)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}
