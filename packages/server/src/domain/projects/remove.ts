import { ApiError } from '../../errors.js';
import { countProjectTasks, deleteProject, findProject } from '../../store/projects.js';
import type { ScopeContext } from '../context.js';

/** A 409 that also carries the v1 API's `hint` on what to do about it. */
export class ProjectInUseError extends ApiError {
  readonly hint = 'delete the tasks or move them to another project first';

  constructor(id: string, taskCount: number) {
    super('conflict', `project ${id} is referenced by ${taskCount} task(s) of this scope`, [
      { field: 'id', reason: `${taskCount} task(s) reference this project` },
    ]);
  }
}

/**
 * Deletes the project unless a task of the scope still names it.
 * @throws `ApiError` 404 when the project is not in the scope; `ProjectInUseError` (409 `conflict`)
 *   while tasks name it
 */
export function removeProject(ctx: ScopeContext, id: string): Promise<void> {
  return ctx.store.transaction(async (tx) => {
    // The row lock makes a concurrent task insert naming the project wait for this delete.
    if (!(await findProject(tx, ctx.scope, id, ctx.store.supportsRowLocks))) {
      throw ApiError.notFound('project', id);
    }
    const taskCount = await countProjectTasks(tx, ctx.scope, id);
    if (taskCount > 0) throw new ProjectInUseError(id, taskCount);
    await deleteProject(tx, ctx.scope, id);
  });
}
