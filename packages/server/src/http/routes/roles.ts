import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { Role, RoleList, RoleListQuery, RoleRegister, RolesRegistered } from '@octopoid/api';
import { getRole, listRoles, registerRoles } from '../../domain/roles.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesRole = routeFacts({ addresses: { entity: 'roles', param: 'name' } });

const tags = ['roles'];

const routes = {
  register: createRoute({
    method: 'post',
    path: '/roles/register',
    tags,
    summary: 'Create or replace roles of the scope on behalf of a registered orchestrator',
    request: { body: jsonBody(RoleRegister) },
    responses: { 200: ok(RolesRegistered, 'That orchestrator’s roles, by name'), ...errors(404) },
  }),
  list: createRoute({
    method: 'get',
    path: '/roles',
    tags,
    summary: 'The scope’s roles, by name',
    request: { query: RoleListQuery },
    responses: {
      200: ok(RoleList, 'A page of the scope’s roles (every role, up to 500)'),
      ...errors(),
    },
  }),
  get: createRoute({
    method: 'get',
    path: '/roles/{name}',
    middleware: addressesRole,
    tags,
    summary: 'Get a role',
    request: {
      params: z.object({
        name: z
          .string()
          .min(1)
          .openapi({ param: { name: 'name', in: 'path' } }),
      }),
    },
    responses: { 200: ok(Role, 'The role'), ...errors(404) },
  }),
};

export function roleRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.register, async (c) =>
    c.json({ roles: await registerRoles(c.get('ctx'), c.req.valid('json')) }, 200),
  );
  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listRoles(c.get('ctx'), query);
    return c.json({ roles: rows, total, offset: query.offset, limit }, 200);
  });
  app.openapi(routes.get, async (c) =>
    c.json(await getRole(c.get('ctx'), c.req.valid('param').name), 200),
  );
  return app;
}
