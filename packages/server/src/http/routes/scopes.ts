import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import {
  ScopeClone,
  ScopeCloned,
  ScopeList,
  ScopeListQuery,
  ScopeMerge,
  ScopeMergeRefused,
  ScopeMergeReport,
  ScopeName,
  ScopePurged,
  ScopeSummary,
} from '@octopoid/api';
import type { Context } from 'hono';
import { cloneScope } from '../../domain/scopes/clone.js';
import { MergeRefused, mergeScope } from '../../domain/scopes/merge.js';
import { purgeScope } from '../../domain/scopes/purge.js';
import { getScope, listScopes } from '../../domain/scopes/summary.js';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';
import { errorBody } from '../error-response.js';
import { publishChange } from '../middleware/change-events.js';
import { errors, jsonBody, ok } from '../openapi.js';
import { routeFacts } from '../route-facts.js';

const SCOPE_IN_PATH = routeFacts({ scope: { param: 'scope' } });

const tags = ['scopes'];
const ScopeParam = z.object({ scope: ScopeName.openapi({ param: { name: 'scope', in: 'path' } }) });

const routes = {
  list: createRoute({
    method: 'get',
    path: '/scopes',
    middleware: routeFacts({ scope: 'none' }),
    tags,
    summary: 'Every scope that holds any entity, with counts and times (names no scope)',
    request: { query: ScopeListQuery },
    responses: { 200: ok(ScopeList, 'A page of the scopes, by name'), ...errors(403) },
  }),
  get: createRoute({
    method: 'get',
    path: '/scopes/{scope}',
    middleware: SCOPE_IN_PATH,
    tags,
    summary: "One scope's entity counts and times",
    request: { params: ScopeParam },
    responses: { 200: ok(ScopeSummary, 'The scope'), ...errors(404) },
  }),
  purge: createRoute({
    method: 'delete',
    path: '/scopes/{scope}',
    middleware: routeFacts({ scope: { param: 'scope' }, faultFree: true }),
    tags,
    summary: 'Delete every entity of a scope in one transaction',
    request: { params: ScopeParam },
    responses: { 200: ok(ScopePurged, 'What was deleted'), ...errors(404) },
  }),
  clone: createRoute({
    method: 'post',
    path: '/scopes/{scope}/clone',
    middleware: SCOPE_IN_PATH,
    tags,
    summary: 'Copy every entity (API keys aside) into an empty scope, keeping every id',
    request: { params: ScopeParam, body: jsonBody(ScopeClone) },
    responses: { 201: ok(ScopeCloned, 'What was copied'), ...errors(403, 404, 409, 413) },
  }),
  merge: createRoute({
    method: 'post',
    path: '/scopes/{scope}/merge',
    middleware: SCOPE_IN_PATH,
    tags,
    summary: "Move a child scope's work into a parent scope in one transaction",
    request: { params: ScopeParam, body: jsonBody(ScopeMerge) },
    responses: {
      200: ok(ScopeMergeReport, 'What moved, what conflicted and how it was resolved'),
      ...errors(403, 404, 413),
      409: ok(ScopeMergeRefused, 'Conflicts refused the merge; nothing was written'),
    },
  }),
};

/**
 * Listing, cloning and merging reach beyond the one scope a key grants, so a server that
 * requires keys allows them only with its admin key.
 */
function assertMaySpanScopes(c: Context<AppEnv>): void {
  if (c.get('caller').mode === 'required' && !c.get('caller').admin) {
    throw new ApiError(
      'forbidden',
      'this request spans scopes: a server requiring API keys allows it only with its admin key',
      [{ field: 'header.authorization', reason: 'a scope key cannot act on other scopes' }],
    );
  }
}

export function scopeRoutes() {
  const app = new OpenAPIHono<AppEnv>();

  app.openapi(routes.list, async (c) => {
    assertMaySpanScopes(c);
    const query = c.req.valid('query');
    const { scopes, total } = await listScopes(c.get('services'), query);
    return c.json({ scopes, total, offset: query.offset, limit: query.limit }, 200);
  });

  app.openapi(routes.get, async (c) => c.json(await getScope(c.get('ctx')), 200));

  app.openapi(routes.purge, async (c) => {
    const deleted = await purgeScope(c.get('ctx'));
    return c.json({ scope: c.get('ctx').scope, deleted }, 200);
  });

  app.openapi(routes.clone, async (c) => {
    assertMaySpanScopes(c);
    const cloned = await cloneScope(c.get('ctx'), c.req.valid('json').to);
    publishChange(c, cloned.to);
    return c.json(cloned, 201);
  });

  app.openapi(routes.merge, async (c) => {
    assertMaySpanScopes(c);
    try {
      const input = c.req.valid('json');
      const report = await mergeScope(c.get('ctx'), input);
      if (!input.dryRun) publishChange(c, input.into);
      return c.json(report, 200);
    } catch (error) {
      if (!(error instanceof MergeRefused)) throw error;
      return c.json({ ...errorBody(error), report: error.report }, 409);
    }
  });

  return app;
}
