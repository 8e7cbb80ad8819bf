import type { Message, MessageCreateInput, MessageList } from '@octopoid/api';
import type { Transport } from '../transport.js';

export interface MessagePage {
  limit?: number;
  offset?: number;
}

export interface MessageListFilters extends MessagePage {
  task_id?: string;
  to_actor?: string;
  type?: string;
  /** A message id: that message and every reply below it. */
  thread_id?: string;
  /** Only messages nobody has replied to. */
  unreplied?: boolean;
}

export class MessagesResource {
  constructor(private readonly transport: Transport) {}

  create(body: MessageCreateInput): Promise<Message> {
    return this.transport.request('POST', '/api/v1/messages', { body });
  }

  /** One page of the scope's messages, oldest first, with its total. */
  page(filters: MessageListFilters = {}): Promise<MessageList> {
    return this.transport.request('GET', '/api/v1/messages', { query: { ...filters } });
  }

  async list(filters: MessageListFilters = {}): Promise<Message[]> {
    return (await this.page(filters)).messages;
  }

  /** One page of a task's messages, oldest first; empty for a task id with no messages. */
  forTask(taskId: string, page: MessagePage = {}): Promise<MessageList> {
    return this.transport.request('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}/messages`, {
      query: { ...page },
    });
  }
}
