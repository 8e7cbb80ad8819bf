import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Publishes a `change` event of the request's scope after each write that succeeded (2xx), so
 * every write route is covered without each one remembering to. Runs after the scope
 * middleware; a request it refused never reaches here.
 */
export function changeEvents(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (READS.has(c.req.method) || c.res.status >= 300) return;
    const { events, clocks } = c.var.ctx;
    const scope = c.var.ctx.scope;
    events.publish({ scope, method: c.req.method, path: c.req.path, at: clocks.nowIso(scope) });
  };
}
