import { z } from '@hono/zod-openapi';
import { Limit, Offset, PAGE_FIELDS, ScopeName, Timestamp } from './common.js';

/** A message on a task's thread. Append-only: never edited, never deleted on its own. */
export const Message = z
  .object({
    id: z.string().openapi({ example: 'msg-1767225600000-k3x9qz' }),
    scope: z.string(),
    task_id: z.string(),
    from_actor: z.string(),
    to_actor: z.string().nullable(),
    type: z.string().openapi({ description: 'Free text, e.g. comment, question, force_queue' }),
    content: z.string(),
    parent_message_id: z.string().nullable(),
    created_at: Timestamp,
  })
  .openapi('Message');
export type Message = z.infer<typeof Message>;

const Actor = z.string().min(1).max(200);

/**
 * Longest message `content`, in characters (UTF-16 code units, as JavaScript counts). Messages
 * are notes between actors; long output belongs in a task's content or the repository.
 */
export const MAX_MESSAGE_CONTENT_LENGTH = 65_536;

export const MessageCreate = z
  .object({
    task_id: z.string().min(1).max(200).openapi({
      description: 'A task id; not looked up (messages outlive their task)',
    }),
    from_actor: Actor,
    type: z.string().min(1).max(128),
    content: z.string().min(1).max(MAX_MESSAGE_CONTENT_LENGTH),
    to_actor: Actor.nullish(),
    parent_message_id: z.string().min(1).max(200).nullish().openapi({
      description: 'A message of this scope on the same task',
    }),
  })
  .openapi('MessageCreate');
export type MessageCreate = z.infer<typeof MessageCreate>;
export type MessageCreateInput = z.input<typeof MessageCreate>;

export const MessagePageQuery = z.object({
  scope: ScopeName.optional(),
  limit: Limit,
  offset: Offset,
});
export type MessagePageQuery = z.infer<typeof MessagePageQuery>;

export const MessageListQuery = MessagePageQuery.extend({
  task_id: z.string().optional(),
  to_actor: z.string().optional(),
  type: z.string().optional(),
  thread_id: z.string().optional().openapi({
    description: 'A message id: that message and every reply below it',
  }),
  unreplied: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .optional()
    .openapi({ description: 'true: only messages nobody has replied to' }),
});
export type MessageListQuery = z.infer<typeof MessageListQuery>;

export const MessageList = z
  .object({
    messages: z.array(Message),
    ...PAGE_FIELDS,
  })
  .openapi('MessageList');
export type MessageList = z.infer<typeof MessageList>;
