import type { ProjectListQuery, ProjectTasksQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findProject, selectProjects } from '../../store/projects.js';
import type { ScopeContext } from '../context.js';
import { listTaskPage } from '../tasks/list.js';

/**
 * One project of the scope.
 * @throws `ApiError` 404 when the project is not in the scope
 */
export async function getProject(ctx: ScopeContext, id: string) {
  const project = await findProject(ctx.store.db, ctx.scope, id);
  if (!project) throw ApiError.notFound('project', id);
  return project;
}

/**
 * A page of the scope's projects, filtered as the query asks.
 * @throws nothing beyond the query's own validation
 */
export const listProjects = (ctx: ScopeContext, query: ProjectListQuery) =>
  ctx.store.snapshot((db) => selectProjects(db, ctx.scope, query, query));

/**
 * The project's tasks in this scope, in claim order: highest priority first, then oldest.
 * @throws `ApiError` 404 when the project is not in the scope
 */
export async function getProjectTasks(ctx: ScopeContext, id: string, page: ProjectTasksQuery) {
  await getProject(ctx, id);
  return listTaskPage(ctx, { project_id: id }, 'priority', page);
}
