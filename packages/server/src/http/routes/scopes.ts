import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { ScopeName, ScopePurged } from '@octopoid/api';
import { purgeScope } from '../../domain/scopes/purge.js';
import type { AppEnv } from '../env.js';
import { errors, ok } from '../openapi.js';

const tags = ['scopes'];
const ScopeParam = z.object({ scope: ScopeName.openapi({ param: { name: 'scope', in: 'path' } }) });

const routes = {
  purge: createRoute({
    method: 'delete',
    path: '/scopes/{scope}',
    tags,
    summary: 'Delete every entity of a scope in one transaction',
    request: { params: ScopeParam },
    responses: { 200: ok(ScopePurged, 'What was deleted'), ...errors(404) },
  }),
};

export function scopeRoutes() {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.purge, async (c) => {
    const deleted = await purgeScope(c.var.ctx);
    return c.json({ scope: c.var.ctx.scope, deleted }, 200);
  });
  return app;
}
