import type { MessageListQuery, MessagePageQuery } from '@octopoid/api';
import { selectMessages } from '../../store/messages.js';
import type { ScopeContext } from '../context.js';

/**
 * A page of the scope's messages, filtered as the query asks.
 * @throws nothing beyond the query's own validation
 */
export function listMessages(ctx: ScopeContext, query: MessageListQuery) {
  return ctx.store.snapshot((db) => selectMessages(db, ctx.scope, query, query));
}

/**
 * A task's messages in the scope. As in the v1 API the task is not looked up: messages outlive
 * a deleted task, and may name one the server never held (an empty list then).
 * @throws `ApiError` 404 when the task is not in the scope
 */
export function listTaskMessages(ctx: ScopeContext, taskId: string, page: MessagePageQuery) {
  return ctx.store.snapshot((db) => selectMessages(db, ctx.scope, { task_id: taskId }, page));
}
