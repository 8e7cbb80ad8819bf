import { createRoute, OpenAPIHono } from '@hono/zod-openapi';
import { Health, ServerInfo } from '@octopoid/api';
import type { AppEnv } from '../env.js';
import { ok } from '../openapi.js';

const routes = {
  health: createRoute({
    method: 'get',
    path: '/api/health',
    tags: ['server'],
    summary: 'Liveness and database status (no scope, no auth)',
    responses: {
      200: ok(Health, 'Healthy'),
      503: ok(Health, 'The database does not answer or refuses writes'),
    },
  }),
  info: createRoute({
    method: 'get',
    path: '/',
    tags: ['server'],
    summary: 'Server name, version and endpoints',
    responses: { 200: ok(ServerInfo, 'Server information') },
  }),
};

export function healthRoutes(endpoints: () => string[]) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.health, async (c) => {
    const { store } = c.get('services');
    const database = await store.ping();
    const ready = database === 'connected';
    const body = {
      status: ready ? ('healthy' as const) : ('unhealthy' as const),
      version: c.get('options').version,
      timestamp: new Date().toISOString(),
      database,
      dialect: store.dialect,
    };
    return ready ? c.json(body, 200) : c.json(body, 503);
  });
  app.openapi(routes.info, (c) =>
    c.json(
      { name: 'octopoid-server', version: c.get('options').version, endpoints: endpoints() },
      200,
    ),
  );
  return app;
}
