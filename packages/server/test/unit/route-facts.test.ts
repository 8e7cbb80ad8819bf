import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, test } from 'vitest';
import type { AppEnv } from '../../src/http/env.js';
import {
  addressedEntity,
  factsOf,
  type RouteFacts,
  routeFacts,
  scopeInPath,
} from '../../src/http/route-facts.js';

const ok = { 200: { description: 'ok' } };
const TaskId = z.object({ id: z.string() });

/**
 * An app shaped like the server's: a sub-app of routes mounted under `/api/v1`, and middleware
 * on `/api/v1/*` that records what the route facts say about each request.
 */
function appRecordingFacts() {
  const seen: {
    facts?: RouteFacts;
    addressed?: ReturnType<typeof addressedEntity>;
    scope?: string | undefined;
  } = {};
  const app = new OpenAPIHono<AppEnv>();
  app.use('/api/v1/*', async (c, next) => {
    seen.facts = factsOf(c);
    seen.addressed = addressedEntity(c);
    seen.scope = scopeInPath(c);
    await next();
  });
  const routes = new OpenAPIHono<AppEnv>();
  const addressesTask = routeFacts({ addresses: { entity: 'tasks', param: 'id' } });
  // A literal segment is registered before the parameter it would otherwise match, as Hono
  // answers with the first matching route.
  routes.openapi(createRoute({ method: 'post', path: '/tasks/bulk', responses: ok }), (c) =>
    c.text('bulk'),
  );
  routes.openapi(
    createRoute({
      method: 'post',
      path: '/tasks/{id}/submit',
      middleware: addressesTask,
      request: { params: TaskId },
      responses: ok,
    }),
    (c) => c.text('submit'),
  );
  routes.openapi(
    createRoute({
      method: 'get',
      path: '/tasks/{id}',
      middleware: addressesTask,
      request: { params: TaskId },
      responses: ok,
    }),
    (c) => c.text('get'),
  );
  routes.openapi(
    createRoute({
      method: 'delete',
      path: '/scopes/{scope}',
      middleware: routeFacts({ scope: { param: 'scope' }, faultFree: true }),
      request: { params: z.object({ scope: z.string() }) },
      responses: ok,
    }),
    (c) => c.text('purged'),
  );
  app.route('/api/v1', routes);
  return { app, seen };
}

describe('route facts', () => {
  test('a literal route segment (/tasks/bulk) is not an id, though /tasks/{id} exists', async () => {
    const { app, seen } = appRecordingFacts();
    const response = await app.request('/api/v1/tasks/bulk', { method: 'POST' });
    expect(await response.text()).toBe('bulk');
    expect(seen.addressed).toBeUndefined();
    expect(seen.facts).toEqual({});
  });

  test('the route answering names the entity its path addresses, with the decoded id', async () => {
    const { app, seen } = appRecordingFacts();
    expect(await (await app.request('/api/v1/tasks/t%3A1/submit', { method: 'POST' })).text()).toBe(
      'submit',
    );
    expect(seen.addressed).toEqual({ entity: 'tasks', id: 't:1' });
    expect(await (await app.request('/api/v1/tasks/bulk')).text()).toBe('get');
    expect(seen.addressed).toEqual({ entity: 'tasks', id: 'bulk' });
  });

  test('a scope named in the path is read from the parameter the route declares', async () => {
    const { app, seen } = appRecordingFacts();
    await app.request('/api/v1/scopes/run%2042', { method: 'DELETE' });
    expect(seen.scope).toBe('run 42');
    expect(seen.facts).toEqual({ scope: { param: 'scope' }, faultFree: true });
    expect(seen.addressed).toBeUndefined();
  });

  test('a request no route answers has every default', async () => {
    const { app, seen } = appRecordingFacts();
    expect((await app.request('/api/v1/tasks/t-1/unknown', { method: 'POST' })).status).toBe(404);
    expect(seen.facts).toEqual({});
    expect(seen.addressed).toBeUndefined();
    expect(seen.scope).toBeUndefined();
  });
});
