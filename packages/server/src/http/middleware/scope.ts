import type { MiddlewareHandler } from 'hono';
import { resolveScope } from '../../domain/scope.js';
import type { AppEnv } from '../env.js';

const SCOPE_PATH = /^\/api\/v1\/scopes\/([^/]+)/;

/** Routes under `/api/v1/scopes/:scope` name their scope in the path. */
function scopeInPath(path: string): string | undefined {
  const match = SCOPE_PATH.exec(path);
  return match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
}

/** Resolves the request's scope from every source it names and binds the services to it. */
export function scope(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const resolved = resolveScope({
      path: scopeInPath(c.req.path),
      query: c.req.query('scope'),
      body: (body as { scope?: unknown } | undefined)?.scope as string | undefined,
      header: c.req.header('x-octopoid-scope'),
      fallback: c.get('options').defaultScope,
    });
    c.set('ctx', { ...c.get('services'), scope: resolved });
    return next();
  };
}
