import type { Context, MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

const READS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** Publishes a `change` event of `scope` (the request's own by default) for this request. */
export function publishChange(c: Context<AppEnv>, scope = c.get('ctx').scope): void {
  const { events, clocks } = c.get('services');
  events.publish({ scope, method: c.req.method, path: c.req.path, at: clocks.nowIso(scope) });
}

/**
 * Publishes a `change` event of the request's scope after each write that succeeded (2xx), so
 * every write route is covered without each one remembering to. Runs after the scope
 * middleware; a request it refused never reaches here. Routes that also write another scope
 * (clone, merge) publish that one themselves.
 */
export function changeEvents(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    if (!READS.has(c.req.method) && c.res.status < 300) publishChange(c);
  };
}
