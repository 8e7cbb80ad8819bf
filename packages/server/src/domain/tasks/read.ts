import type { TaskListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { selectHistory } from '../../store/history.js';
import type { Page } from '../../store/listing.js';
import { findTask, type TaskOrder } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { listTaskPage } from './list.js';

/**
 * One task of the scope.
 * @throws `ApiError` 404 when the task is not in the scope
 */
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

/**
 * A page of the scope's tasks, filtered, sorted and trimmed to the fields the query asks for.
 * @throws `ApiError` 400 `validation_failed` for a cursor this server did not give or made for
 *   another sort, `fields` with `omit`, or `offset` with a cursor
 */
export function listTasks(ctx: ScopeContext, query: TaskListQuery) {
  return listTaskPage(ctx, query, SORT_ORDER[query.sort ?? 'newest'], query);
}

/**
 * One page of a task's history, oldest first, with the count of every entry.
 * @throws `ApiError` 404 when the task is not in the scope
 */
export async function getTaskHistory(ctx: ScopeContext, id: string, page: Page) {
  await getTask(ctx, id);
  return ctx.store.snapshot((db) => selectHistory(db, ctx.scope, id, page));
}
