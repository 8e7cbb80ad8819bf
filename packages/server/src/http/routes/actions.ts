import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  Action,
  ActionCreate,
  ActionList,
  ActionListQuery,
  ActionOutcome,
  ActionPatch,
} from '@octopoid/api';
import { createAction } from '../../domain/actions/create.js';
import { getAction, listActions } from '../../domain/actions/read.js';
import {
  completeAction,
  executeAction,
  failAction,
  patchAction,
} from '../../domain/actions/transitions.js';
import type { ActionRow } from '../../store/actions.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesAction = routeFacts({ addresses: { entity: 'actions', param: 'id' } });

const tags = ['actions'];
const ActionId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

/** Statuses are written only from the enum, so the stored text is always one of them. */
const toAction = (row: ActionRow) => row as Action;

const outcome = (path: 'complete' | 'fail', summary: string) =>
  createRoute({
    method: 'post',
    path: `/actions/{id}/${path}`,
    middleware: addressesAction,
    tags,
    summary,
    request: { params: ActionId, body: jsonBody(ActionOutcome, false) },
    responses: { 200: ok(Action, 'The action'), ...errors(404, 409) },
  });

const routes = {
  create: createRoute({
    method: 'post',
    path: '/actions',
    tags,
    summary: 'Propose an action on an entity',
    request: { body: jsonBody(ActionCreate) },
    responses: { 201: ok(Action, 'The proposed action'), ...errors(413, 415) },
  }),
  list: createRoute({
    method: 'get',
    path: '/actions',
    tags,
    summary: 'List the scope’s unexpired actions, newest first',
    request: { query: ActionListQuery },
    responses: { 200: ok(ActionList, 'A page of actions'), ...errors() },
  }),
  get: createRoute({
    method: 'get',
    path: '/actions/{id}',
    middleware: addressesAction,
    tags,
    summary: 'Get an action, expired or not',
    request: { params: ActionId },
    responses: { 200: ok(Action, 'The action'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/actions/{id}',
    middleware: addressesAction,
    tags,
    summary: 'Set an action’s status or result directly',
    request: { params: ActionId, body: jsonBody(ActionPatch) },
    responses: { 200: ok(Action, 'The action'), ...errors(404) },
  }),
  execute: createRoute({
    method: 'post',
    path: '/actions/{id}/execute',
    middleware: addressesAction,
    tags,
    summary: 'Approve a live proposal for execution',
    request: { params: ActionId },
    responses: { 200: ok(Action, 'The action, now execute_requested'), ...errors(404, 409) },
  }),
  complete: outcome('complete', 'Report an executed action completed'),
  fail: outcome('fail', 'Report an executed action failed'),
};

export function actionRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.create, async (c) =>
    c.json(toAction(await createAction(c.get('ctx'), c.req.valid('json'))), 201),
  );

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listActions(c.get('ctx'), query);
    return c.json({ actions: rows.map(toAction), total, offset: query.offset, limit }, 200);
  });

  app.openapi(routes.get, async (c) =>
    c.json(toAction(await getAction(c.get('ctx'), c.req.valid('param').id)), 200),
  );

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param');
    return c.json(toAction(await patchAction(c.get('ctx'), id, c.req.valid('json'))), 200);
  });

  app.openapi(routes.execute, async (c) =>
    c.json(toAction(await executeAction(c.get('ctx'), c.req.valid('param').id)), 200),
  );

  for (const [route, finish] of [
    [routes.complete, completeAction],
    [routes.fail, failAction],
  ] as const) {
    app.openapi(route, async (c) => {
      const { id } = c.req.valid('param');
      return c.json(toAction(await finish(c.get('ctx'), id, c.req.valid('json'))), 200);
    });
  }

  return app;
}
