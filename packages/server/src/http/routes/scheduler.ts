import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { SchedulerPoll, SchedulerPollQuery } from '@octopoid/api';
import { pollScheduler } from '../../domain/scheduler/poll.js';
import type { AppEnv } from '../env.js';
import { errors, ok } from '../openapi.js';

const routes = {
  poll: createRoute({
    method: 'get',
    path: '/scheduler/poll',
    tags: ['scheduler'],
    summary: 'Queue counts, review work, registration and flows of the scope in one call',
    request: { query: SchedulerPollQuery },
    responses: { 200: ok(SchedulerPoll, 'The scope’s scheduler state'), ...errors() },
  }),
};

export function schedulerRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.poll, async (c) =>
    c.json(await pollScheduler(c.get('ctx'), c.req.valid('query').orchestrator_id), 200),
  );
  return app;
}
