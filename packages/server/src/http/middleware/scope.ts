import type { Context, MiddlewareHandler } from 'hono';
import { resolveScope } from '../../domain/scope.js';
import { ApiError } from '../../errors.js';
import { type AddressableEntity, scopesHolding } from '../../store/id-owners.js';
import type { AppEnv } from '../env.js';

const SCOPE_PATH = /^\/api\/v1\/(?:orchestrators\/)?scopes\/([^/]+)/;

/** `/api/v1/<collection>/<id>…`, except the collection's own verbs that look like ids. */
const byId = (collection: AddressableEntity, ...verbs: string[]) =>
  new RegExp(`^/api/v1/${collection}/${verbs.map((verb) => `(?!${verb}(?:/|$))`).join('')}([^/]+)`);

/** Paths that address one entity, looked up when a legacy client names no scope. */
const ADDRESSED_BY_ID: readonly [RegExp, AddressableEntity][] = [
  [byId('tasks', 'claim'), 'tasks'],
  [byId('projects'), 'projects'],
  [byId('drafts'), 'drafts'],
  [byId('orchestrators', 'register', 'scopes'), 'orchestrators'],
  [byId('actions'), 'actions'],
  [byId('messages'), 'messages'],
  [byId('flows'), 'flows'],
  [byId('roles', 'register'), 'roles'],
];

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Routes under `/api/v1/scopes/:scope` (and key rotation) name their scope in the path. */
function scopeInPath(path: string): string | undefined {
  const segment = SCOPE_PATH.exec(path)?.[1];
  return segment === undefined ? undefined : decodeSegment(segment);
}

/**
 * For a by-id request that names no scope (the v1 Python client sends none on DELETE and
 * body-less POSTs): the server's default scope when it holds that id (requests naming no scope
 * work there, so what they created there is found there first), else the one scope holding it.
 * Several → 409; none → 404, unless the server has a default scope; `undefined` when the path
 * addresses no entity.
 */
async function scopeHoldingAddressedId(c: Context<AppEnv>): Promise<string | undefined> {
  for (const [pattern, entity] of ADDRESSED_BY_ID) {
    const segment = pattern.exec(c.req.path)?.[1];
    if (segment === undefined) continue;
    const id = decodeSegment(segment);
    const { defaultScope } = c.var.options;
    const { count, scope, preferredHolds } = await scopesHolding(
      c.var.services.store.db,
      entity,
      id,
      defaultScope,
    );
    if (preferredHolds) return defaultScope;
    if (count > 1) {
      throw new ApiError(409, 'ambiguous', `${count} scopes hold ${entity}/${id}: name the scope`, [
        { field: 'scope', reason: `required: ${count} scopes hold this id` },
      ]);
    }
    if (scope === undefined && !defaultScope) {
      throw new ApiError(404, 'not_found', `no scope holds ${entity}/${id}`);
    }
    return scope;
  }
  return undefined;
}

/** `?scope=` given once, or repeated with one value; repeated with different values is a 400. */
function scopeInQuery(c: Context<AppEnv>): string | undefined {
  const values = new Set(c.req.queries('scope') ?? []);
  if (values.size > 1) {
    throw new ApiError(400, 'scope_mismatch', `?scope= names ${values.size} different scopes`, [
      { field: 'query.scope', reason: 'given more than once with different values' },
    ]);
  }
  return values.values().next().value;
}

/** The scope list names no scope: it is the one `/api/v1` route served without one. */
const SCOPE_LIST_PATH = '/api/v1/scopes';

/** Resolves the request's scope from every source it names and binds the services to it. */
export function scope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (c.req.method === 'GET' && c.req.path === SCOPE_LIST_PATH) return next();
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const sources = {
      path: scopeInPath(c.req.path),
      query: scopeInQuery(c),
      body: (body as { scope?: unknown } | undefined)?.scope,
      header: c.req.header('x-octopoid-scope'),
      apiKey: c.var.caller.apiKey?.scope,
    };
    const namesNone = Object.values(sources).every(
      (v) => v === undefined || v === null || v === '',
    );
    const legacyScope =
      namesNone && c.var.options.legacyUnscopedIds ? await scopeHoldingAddressedId(c) : undefined;
    const resolved = resolveScope({
      ...sources,
      fallback: legacyScope ?? c.var.options.defaultScope,
    });
    c.set('ctx', { ...c.var.services, scope: resolved });
    return next();
  };
}
