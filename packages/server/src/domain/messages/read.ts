import type { MessageListQuery, MessagePageQuery } from '@octopoid/api';
import { listMessages } from '../../store/messages.js';
import type { ScopeContext } from '../context.js';
import { assertTaskExists } from './task-reference.js';

export function findMessages(ctx: ScopeContext, query: MessageListQuery) {
  return ctx.store.snapshot((db) => listMessages(db, ctx.scope, query, query));
}

/** A task's messages; unlike the v1 server, a task unknown in the scope is a 404. */
export async function findTaskMessages(ctx: ScopeContext, taskId: string, page: MessagePageQuery) {
  await assertTaskExists(ctx.store.db, ctx.scope, taskId, 'path.id');
  return ctx.store.snapshot((db) => listMessages(db, ctx.scope, { task_id: taskId }, page));
}
