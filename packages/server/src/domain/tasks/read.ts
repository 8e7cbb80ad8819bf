import type { TaskListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { listHistory } from '../../store/history.js';
import { findTask, listTasks } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';

export async function getTask(ctx: ScopeContext, id: string) {
  const task = await findTask(ctx.store.db, ctx.scope, id);
  if (!task) throw ApiError.notFound('task', id);
  return task;
}

export function findTasks(ctx: ScopeContext, query: TaskListQuery) {
  return listTasks(
    ctx.store.db,
    ctx.scope,
    query,
    query.sort === 'priority' ? 'priority' : 'newest',
    query,
  );
}

export async function getTaskHistory(ctx: ScopeContext, id: string) {
  await getTask(ctx, id);
  return listHistory(ctx.store.db, ctx.scope, id);
}
