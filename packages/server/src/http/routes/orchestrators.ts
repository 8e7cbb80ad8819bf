import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  ApiKeyRotated,
  HeartbeatRecorded,
  Orchestrator,
  OrchestratorHeartbeat,
  OrchestratorList,
  OrchestratorListQuery,
  OrchestratorPatch,
  OrchestratorRegister,
  OrchestratorRegistered,
  ScopeName,
} from '@octopoid/api';
import { rotateApiKey } from '../../domain/auth/rotate.js';
import { recordHeartbeat, setOrchestratorStatus } from '../../domain/orchestrators/liveness.js';
import { getOrchestrator, listOrchestrators } from '../../domain/orchestrators/read.js';
import { registerOrchestrator } from '../../domain/orchestrators/register.js';
import { toOrchestrator } from '../../domain/orchestrators/wire.js';
import type { AppEnv } from '../env.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const addressesOrchestrator = routeFacts({ addresses: { entity: 'orchestrators', param: 'id' } });

const tags = ['orchestrators'];
const OrchestratorId = z.object({
  id: z
    .string()
    .min(1)
    .openapi({ param: { name: 'id', in: 'path' } }),
});

const routes = {
  register: createRoute({
    method: 'post',
    path: '/orchestrators/register',
    middleware: routeFacts({ auth: 'open-registration' }),
    tags,
    summary: 'Register an orchestrator (or re-register it); the scope’s first gets its API key',
    request: { body: jsonBody(OrchestratorRegister) },
    responses: {
      201: ok(OrchestratorRegistered, 'Registered for the first time'),
      200: ok(OrchestratorRegistered, 'Registered again: the fields sent were updated'),
      ...errors(401, 403, 409),
    },
  }),
  heartbeat: createRoute({
    method: 'post',
    path: '/orchestrators/{id}/heartbeat',
    middleware: addressesOrchestrator,
    tags,
    summary: 'Record a heartbeat now (server clock)',
    request: { params: OrchestratorId, body: jsonBody(OrchestratorHeartbeat, false) },
    responses: { 200: ok(HeartbeatRecorded, 'The new heartbeat time'), ...errors(404) },
  }),
  list: createRoute({
    method: 'get',
    path: '/orchestrators',
    tags,
    summary: 'The scope’s orchestrators, most recent heartbeat first',
    request: { query: OrchestratorListQuery },
    responses: { 200: ok(OrchestratorList, 'Every matching orchestrator'), ...errors() },
  }),
  get: createRoute({
    method: 'get',
    path: '/orchestrators/{id}',
    middleware: addressesOrchestrator,
    tags,
    summary: 'Get an orchestrator',
    request: { params: OrchestratorId },
    responses: { 200: ok(Orchestrator, 'The orchestrator'), ...errors(404) },
  }),
  update: createRoute({
    method: 'patch',
    path: '/orchestrators/{id}',
    middleware: addressesOrchestrator,
    tags,
    summary: 'Set an orchestrator’s status',
    request: { params: OrchestratorId, body: jsonBody(OrchestratorPatch) },
    responses: { 200: ok(Orchestrator, 'The orchestrator'), ...errors(404) },
  }),
  rotateKey: createRoute({
    method: 'post',
    path: '/orchestrators/scopes/{scope}/rotate-key',
    middleware: routeFacts({ scope: { param: 'scope' } }),
    tags: ['auth'],
    summary: 'Replace the scope’s API key; needs the current one, which stops working at once',
    request: {
      params: z.object({ scope: ScopeName.openapi({ param: { name: 'scope', in: 'path' } }) }),
    },
    responses: { 200: ok(ApiKeyRotated, 'The new key, shown once'), ...errors(401, 403, 404) },
  }),
};

export function orchestratorRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.register, async (c) => {
    const { orchestrator, created, apiKey } = await registerOrchestrator(
      c.get('ctx'),
      c.req.valid('json'),
      c.get('caller'),
    );
    const { id, registered_at, status } = toOrchestrator(orchestrator);
    const body = {
      orchestrator_id: id,
      registered_at,
      status,
      ...(apiKey ? { api_key: apiKey } : {}),
    };
    return created ? c.json(body, 201) : c.json(body, 200);
  });

  app.openapi(routes.heartbeat, async (c) => {
    const orchestrator = await recordHeartbeat(c.get('ctx'), c.req.valid('param').id);
    return c.json({ success: true as const, last_heartbeat: orchestrator.last_heartbeat }, 200);
  });

  app.openapi(routes.list, async (c) => {
    const query = c.req.valid('query');
    const { rows, total, limit } = await listOrchestrators(c.get('ctx'), query);
    return c.json(
      { orchestrators: rows.map(toOrchestrator), total, offset: query.offset, limit },
      200,
    );
  });

  app.openapi(routes.get, async (c) =>
    c.json(toOrchestrator(await getOrchestrator(c.get('ctx'), c.req.valid('param').id)), 200),
  );

  app.openapi(routes.update, async (c) => {
    const { id } = c.req.valid('param');
    const { status } = c.req.valid('json');
    return c.json(toOrchestrator(await setOrchestratorStatus(c.get('ctx'), id, status)), 200);
  });

  app.openapi(routes.rotateKey, async (c) => {
    const apiKey = await rotateApiKey(c.get('ctx'), c.get('caller'));
    return c.json({ api_key: apiKey, scope: c.get('ctx').scope }, 200);
  });

  return app;
}
