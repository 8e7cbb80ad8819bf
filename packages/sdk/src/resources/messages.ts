import type { Message, MessageCreateInput, MessageList } from '@octopoid/api';
import type { CallOptions, Transport } from '../transport.js';

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

  create(body: MessageCreateInput, options?: CallOptions): Promise<Message> {
    return this.transport.request('POST', '/api/v1/messages', { signal: options?.signal, body });
  }

  /** One page of the scope's messages, oldest first, with its total. */
  page(filters: MessageListFilters = {}, options?: CallOptions): Promise<MessageList> {
    return this.transport.request('GET', '/api/v1/messages', {
      signal: options?.signal,
      query: { ...filters },
    });
  }

  async list(filters: MessageListFilters = {}, options?: CallOptions): Promise<Message[]> {
    return (await this.page(filters, options)).messages;
  }

  /** One page of a task's messages, oldest first; empty for a task id with no messages. */
  forTask(taskId: string, page: MessagePage = {}, options?: CallOptions): Promise<MessageList> {
    return this.transport.request('GET', `/api/v1/tasks/${encodeURIComponent(taskId)}/messages`, {
      signal: options?.signal,
      query: { ...page },
    });
  }
}
