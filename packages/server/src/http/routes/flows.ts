import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Flow, FlowDeleted, FlowList, FlowListQuery, FlowName, FlowRegister } from '@octopoid/api';
import { getFlow, listFlows, registerFlow, removeFlow } from '../../domain/flows.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesFlow = routeFacts({ addresses: { entity: 'flows', param: 'name' } });

const tags = ['flows'];
const FlowNameParam = z.object({
  name: FlowName.openapi({ param: { name: 'name', in: 'path' }, example: 'default' }),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/flows',
    tags,
    summary: 'The scope’s flows, by name',
    request: { query: FlowListQuery },
    responses: {
      200: ok(FlowList, 'A page of the scope’s flows (every flow, up to 500)'),
      ...errors(),
    },
  }),
  register: createRoute({
    method: 'put',
    path: '/flows/{name}',
    middleware: addressesFlow,
    tags,
    summary: 'Register a flow, or replace its definition',
    request: { params: FlowNameParam, body: jsonBody(FlowRegister) },
    responses: { 200: ok(Flow, 'The stored flow'), ...errors(413, 415) },
  }),
  get: createRoute({
    method: 'get',
    path: '/flows/{name}',
    middleware: addressesFlow,
    tags,
    summary: 'Get a flow',
    request: { params: FlowNameParam },
    responses: { 200: ok(Flow, 'The flow'), ...errors(404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/flows/{name}',
    middleware: addressesFlow,
    tags,
    summary: 'Delete a flow; its tasks fall back to the built-in default flow',
    request: { params: FlowNameParam },
    responses: { 200: ok(FlowDeleted, 'Deleted'), ...errors(404) },
  }),
};

export function flowRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listFlows(c.get('ctx'), query);
    return c.json({ flows: rows, total, offset: query.offset, limit }, 200);
  });

  app.openapi(routes.register, async (c) => {
    const { name } = c.req.valid('param');
    return c.json(await registerFlow(c.get('ctx'), name, c.req.valid('json')), 200);
  });

  app.openapi(routes.get, async (c) =>
    c.json(await getFlow(c.get('ctx'), c.req.valid('param').name), 200),
  );

  app.openapi(routes.remove, async (c) => {
    const { name } = c.req.valid('param');
    await removeFlow(c.get('ctx'), name);
    return c.json({ message: `flow ${name} deleted`, name, scope: c.get('ctx').scope }, 200);
  });

  return app;
}
