import type { Context, MiddlewareHandler } from 'hono';
import { resolveScope } from '../../domain/scope.js';
import { ApiError } from '../../errors.js';
import { scopesHolding } from '../../store/id-owners.js';
import type { AppEnv } from '../env.js';
import { addressedEntity, factsOf, scopeInPath } from '../route-facts.js';

/**
 * For a by-id request that names no scope (the v1 Python client sends none on DELETE and
 * body-less POSTs): the server's default scope when it holds that id (requests naming no scope
 * work there, so what they created there is found there first), else the one scope holding it.
 * Several → 409; none → 404, unless the server has a default scope; `undefined` when the path
 * addresses no entity.
 */
async function scopeHoldingAddressedId(c: Context<AppEnv>): Promise<string | undefined> {
  const addressed = addressedEntity(c);
  if (!addressed) return undefined;
  const { entity, id } = addressed;
  const { defaultScope } = c.get('options');
  const { count, scope, preferredHolds } = await scopesHolding(
    c.get('services').store.db,
    entity,
    id,
    defaultScope,
  );
  if (preferredHolds) return defaultScope;
  if (count > 1) {
    throw new ApiError('ambiguous', `${count} scopes hold ${entity}/${id}: name the scope`, [
      { field: 'scope', reason: `required: ${count} scopes hold this id` },
    ]);
  }
  if (scope === undefined && !defaultScope) {
    throw new ApiError('not_found', `no scope holds ${entity}/${id}`);
  }
  return scope;
}

/** `?scope=` given once, or repeated with one value; repeated with different values is a 400. */
function scopeInQuery(c: Context<AppEnv>): string | undefined {
  const values = new Set(c.req.queries('scope') ?? []);
  if (values.size > 1) {
    throw new ApiError('scope_mismatch', `?scope= names ${values.size} different scopes`, [
      { field: 'query.scope', reason: 'given more than once with different values' },
    ]);
  }
  return values.values().next().value;
}

/** Resolves the request's scope from every source it names and binds the services to it. */
export function scope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (factsOf(c).scope === 'none') return next();
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const sources = {
      path: scopeInPath(c),
      query: scopeInQuery(c),
      body: (body as { scope?: unknown } | undefined)?.scope,
      header: c.req.header('x-octopoid-scope'),
      apiKey: c.get('caller').apiKey?.scope,
    };
    const namesNone = Object.values(sources).every(
      (v) => v === undefined || v === null || v === '',
    );
    const options = c.get('options');
    const legacyScope =
      namesNone && options.legacyUnscopedIds ? await scopeHoldingAddressedId(c) : undefined;
    const resolved = resolveScope({ ...sources, fallback: legacyScope ?? options.defaultScope });
    c.set('ctx', { ...c.get('services'), scope: resolved });
    return next();
  };
}
