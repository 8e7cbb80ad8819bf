import type { TaskListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { selectHistory } from '../../store/history.js';
import { findTask, type TaskOrder } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { listTaskPage } from './list.js';

export async function getTask(ctx: ScopeContext, id: string) {
  const task = await findTask(ctx.store.db, ctx.scope, id);
  if (!task) throw ApiError.notFound('task', id);
  return task;
}

const SORT_ORDER = {
  newest: 'newest',
  created: 'oldest',
  priority: 'priority',
} as const satisfies Record<NonNullable<TaskListQuery['sort']>, TaskOrder>;

export function listTasks(ctx: ScopeContext, query: TaskListQuery) {
  return listTaskPage(ctx, query, SORT_ORDER[query.sort ?? 'newest'], query);
}

export async function getTaskHistory(ctx: ScopeContext, id: string) {
  await getTask(ctx, id);
  return selectHistory(ctx.store.db, ctx.scope, id);
}
