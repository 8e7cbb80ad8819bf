import { ApiError } from '../../errors.js';
import { findProject, type ProjectRow } from '../../store/projects.js';
import type { Db } from '../../store/store.js';

/** The project a task names in `project_id`; it must exist in the task's scope. */
export async function referencedProject(
  db: Db,
  scope: string,
  projectId: string,
): Promise<ProjectRow> {
  const project = await findProject(db, scope, projectId);
  if (!project) throw ApiError.invalid('project_id', `no project ${projectId} in this scope`);
  return project;
}
