import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';

/** The path of the first string holding U+0000 inside a JSON value, if any. */
export function findNul(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (typeof value !== 'object' || value === null) return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = findNul(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Refuses U+0000 anywhere in the request's text. PostgreSQL cannot store it in a text column, so
 * it would otherwise fail deep in a write; SQLite would store text PostgreSQL cannot copy.
 */
export function nulFree(): MiddlewareHandler {
  return async (c, next) => {
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const field =
      findNul(c.req.path, 'path') ?? findNul(c.req.queries(), 'query') ?? findNul(body, '');
    if (field !== undefined) {
      throw ApiError.invalid(field || 'body', 'must not contain the NUL character (U+0000)');
    }
    return next();
  };
}
