import { ApiError } from '../../errors.js';
import { deleteTask } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { releaseDependents } from './dependents.js';
import { loadTask } from './write.js';

/**
 * Deletes a task with its history; tasks it blocked are released rather than stranded.
 * @throws `ApiError` 404 when the task is not in the scope
 */
export function removeTask(ctx: ScopeContext, id: string): Promise<void> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    await loadTask(ctx, tx, id);
    await tx
      .deleteFrom('task_history')
      .where('scope', '=', ctx.scope)
      .where('task_id', '=', id)
      .execute();
    if (!(await deleteTask(tx, ctx.scope, id))) throw ApiError.notFound('task', id);
    await releaseDependents(tx, ctx.scope, id, now, 'blocker_deleted');
  });
}
