import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  Message,
  MessageCreate,
  MessageList,
  MessageListQuery,
  MessagePageQuery,
} from '@octopoid/api';
import { createMessage } from '../../domain/messages/create.js';
import { listMessages, listTaskMessages } from '../../domain/messages/read.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesTask = routeFacts({ addresses: { entity: 'tasks', param: 'id' } });

const tags = ['messages'];

const routes = {
  create: createRoute({
    method: 'post',
    path: '/messages',
    tags,
    summary: 'Append a message to a task’s thread',
    request: { body: jsonBody(MessageCreate) },
    responses: { 201: ok(Message, 'The new message'), ...errors(413, 415) },
  }),
  list: createRoute({
    method: 'get',
    path: '/messages',
    tags,
    summary: 'List the scope’s messages, oldest first',
    request: { query: MessageListQuery },
    responses: { 200: ok(MessageList, 'A page of messages'), ...errors() },
  }),
  forTask: createRoute({
    method: 'get',
    path: '/tasks/{id}/messages',
    middleware: addressesTask,
    tags,
    summary: 'A task’s messages, oldest first',
    request: {
      params: z.object({
        id: z
          .string()
          .min(1)
          .openapi({ param: { name: 'id', in: 'path' } }),
      }),
      query: MessagePageQuery,
    },
    responses: { 200: ok(MessageList, 'A page of the task’s messages'), ...errors() },
  }),
};

export function messageRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.create, async (c) =>
    c.json(await createMessage(c.get('ctx'), c.req.valid('json')), 201),
  );

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listMessages(c.get('ctx'), query);
    return c.json({ messages: rows, total, offset: query.offset, limit }, 200);
  });

  app.openapi(routes.forTask, async (c) => {
    const page = c.req.valid('query');
    const { rows, total, limit } = await listTaskMessages(
      c.get('ctx'),
      c.req.valid('param').id,
      page,
    );
    return c.json({ messages: rows, total, offset: page.offset, limit }, 200);
  });

  return app;
}
