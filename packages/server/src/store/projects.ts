import type { Selectable, Updateable } from 'kysely';
import { type Page, selectPage, whereEquals } from './listing.js';
import type { ProjectTable } from './schema.js';
import type { Db } from './store.js';

export type ProjectRow = Selectable<ProjectTable>;
export type ProjectChanges = Updateable<ProjectTable>;

/** Inserts the project, or returns `undefined` when the scope already has one with its id. */
export function insertProject(db: Db, row: ProjectRow): Promise<ProjectRow | undefined> {
  return db
    .insertInto('projects')
    .values(row)
    .onConflict((oc) => oc.columns(['scope', 'id']).doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** `forUpdate`: the caller will write the row in this transaction; it is locked where the database locks rows. */
export function findProject(db: Db, scope: string, id: string, { forUpdate = false } = {}) {
  return db
    .selectFrom('projects')
    .selectAll()
    .where('scope', '=', scope)
    .where('id', '=', id)
    .$if(forUpdate && db.capabilities.rowLocks, (q) => q.forUpdate())
    .executeTakeFirst();
}

/** Updates a project the caller has found (and locked) in the same transaction. */
export function updateProject(db: Db, scope: string, id: string, changes: ProjectChanges) {
  return db
    .updateTable('projects')
    .set(changes)
    .where('scope', '=', scope)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export async function deleteProject(db: Db, scope: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('projects')
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** How many of the scope's tasks name the project. */
export async function countProjectTasks(db: Db, scope: string, id: string): Promise<number> {
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number | string>().as('n'))
    .where('scope', '=', scope)
    .where('project_id', '=', id)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

export interface ProjectFilters {
  status?: string | undefined;
  created_by?: string | undefined;
}

/** One page of the scope's projects, newest first. */
export function selectProjects(db: Db, scope: string, filters: ProjectFilters, page: Page) {
  return selectPage(
    whereEquals(db.selectFrom('projects').where('scope', '=', scope), {
      status: filters.status,
      created_by: filters.created_by,
    }),
    (q) => q.selectAll().orderBy('created_at', 'desc').orderBy('id', 'desc'),
    page,
    ['description'],
  );
}
