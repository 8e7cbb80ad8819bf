import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  Draft,
  DraftCreate,
  DraftDeleted,
  DraftId,
  DraftList,
  DraftListQuery,
  DraftPatch,
} from '@octopoid/api';
import { createDraft } from '../../domain/drafts/create.js';
import { getDraft, listDrafts } from '../../domain/drafts/read.js';
import { removeDraft } from '../../domain/drafts/remove.js';
import { patchDraft } from '../../domain/drafts/update.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesDraft = routeFacts({ addresses: { entity: 'drafts', param: 'id' } });

const tags = ['drafts'];
const DraftIdParam = z.object({
  id: DraftId.openapi({ param: { name: 'id', in: 'path' }, example: '12' }),
});

const routes = {
  list: createRoute({
    method: 'get',
    path: '/drafts',
    tags,
    summary: 'List the scope’s drafts, newest first',
    request: { query: DraftListQuery },
    responses: { 200: ok(DraftList, 'A page of drafts'), ...errors() },
  }),
  create: createRoute({
    method: 'post',
    path: '/drafts',
    tags,
    summary: 'Create a draft; its id is the scope’s next integer',
    request: { body: jsonBody(DraftCreate) },
    responses: { 201: ok(Draft, 'The created draft'), ...errors(413, 415) },
  }),
  get: createRoute({
    method: 'get',
    path: '/drafts/{id}',
    middleware: addressesDraft,
    tags,
    summary: 'Get a draft',
    request: { params: DraftIdParam },
    responses: { 200: ok(Draft, 'The draft'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/drafts/{id}',
    middleware: addressesDraft,
    tags,
    summary: 'Edit a draft',
    request: { params: DraftIdParam, body: jsonBody(DraftPatch) },
    responses: { 200: ok(Draft, 'The updated draft'), ...errors(404) },
  }),
  remove: createRoute({
    method: 'delete',
    path: '/drafts/{id}',
    middleware: addressesDraft,
    tags,
    summary: 'Delete a draft',
    request: { params: DraftIdParam },
    responses: { 200: ok(DraftDeleted, 'Deleted'), ...errors(404) },
  }),
};

export function draftRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listDrafts(c.get('ctx'), query);
    return c.json({ drafts: rows, total, offset: query.offset, limit }, 200);
  });

  app.openapi(routes.create, async (c) =>
    c.json(await createDraft(c.get('ctx'), c.req.valid('json')), 201),
  );

  app.openapi(routes.get, async (c) =>
    c.json(await getDraft(c.get('ctx'), c.req.valid('param').id), 200),
  );

  app.openapi(routes.update, async (c) =>
    c.json(await patchDraft(c.get('ctx'), c.req.valid('param').id, c.req.valid('json')), 200),
  );

  app.openapi(routes.remove, async (c) => {
    const { id } = c.req.valid('param');
    await removeDraft(c.get('ctx'), id);
    return c.json({ message: `draft ${id} deleted`, draft_id: id }, 200);
  });

  return app;
}
