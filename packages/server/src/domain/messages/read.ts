import type { MessageListQuery, MessagePageQuery } from '@octopoid/api';
import { selectMessages } from '../../store/messages.js';
import type { ScopeContext } from '../context.js';

export function listMessages(ctx: ScopeContext, query: MessageListQuery) {
  return ctx.store.snapshot((db) => selectMessages(db, ctx.scope, query, query));
}

/**
 * A task's messages in the scope. As in the v1 API the task is not looked up: messages outlive
 * a deleted task, and may name one the server never held (an empty list then).
 */
export function listTaskMessages(ctx: ScopeContext, taskId: string, page: MessagePageQuery) {
  return ctx.store.snapshot((db) => selectMessages(db, ctx.scope, { task_id: taskId }, page));
}
