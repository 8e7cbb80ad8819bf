import type { MiddlewareHandler } from 'hono';
import type { AppEnv } from '../env.js';

/**
 * Holds the answer of every API request that reached its route until the writes committed before
 * it are on stable storage, so no answer acknowledges a write a power loss could take back, nor
 * shows data that could vanish; it runs before the change is announced (`changeEvents`). With
 * SQLite's group commit, the requests answered together share one flush of the log.
 *
 * @throws StorageFlushError (answered 503) when the flush fails.
 */
export function durableResponses(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    await next();
    await c.get('services').store.durable();
  };
}
