import type { MessageCreate } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findMessage, insertMessage, type MessageRow } from '../../store/messages.js';
import type { ScopeContext } from '../context.js';
import { newId } from '../ids.js';

/**
 * Appends a message to a task's thread in the scope. The task is a reference by id that is not
 * looked up, as in the v1 API (messages outlive their task, and may name one held elsewhere).
 * A reply's parent must be a message of the same scope on the same task id, so a thread never
 * crosses tasks or scopes.
 * @throws `ApiError` 400 `validation_failed` when the parent message is not in the scope or is on
 *   another task
 */
export function createMessage(ctx: ScopeContext, input: MessageCreate): Promise<MessageRow> {
  const now = ctx.clocks.now(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    const parentId = input.parent_message_id ?? null;
    if (parentId !== null) {
      const parent = await findMessage(tx, ctx.scope, parentId);
      if (!parent) {
        throw ApiError.invalid('parent_message_id', `no message ${parentId} in this scope`);
      }
      if (parent.task_id !== input.task_id) {
        throw ApiError.invalid(
          'parent_message_id',
          `message ${parentId} belongs to task ${parent.task_id}, not ${input.task_id}`,
        );
      }
    }
    return insertMessage(tx, {
      scope: ctx.scope,
      id: newId('msg', now),
      task_id: input.task_id,
      from_actor: input.from_actor,
      to_actor: input.to_actor ?? null,
      type: input.type,
      content: input.content,
      parent_message_id: parentId,
      created_at: now.toISOString(),
    });
  });
}
