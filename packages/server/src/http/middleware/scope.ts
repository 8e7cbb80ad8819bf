import type { MiddlewareHandler } from 'hono';
import { resolveScope } from '../../domain/scope.js';
import type { AppEnv } from '../env.js';

/** Resolves the request's scope from every source it names and binds the services to it. */
export function scope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const resolved = resolveScope({
      query: c.req.query('scope'),
      body: (body as { scope?: unknown } | undefined)?.scope as string | undefined,
      header: c.req.header('x-octopoid-scope'),
      fallback: c.get('options').defaultScope,
    });
    c.set('ctx', { ...c.get('services'), scope: resolved });
    return next();
  };
}
