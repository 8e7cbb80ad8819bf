import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Decodes as `Request.text()` does: invalid bytes become U+FFFD, a leading BOM is dropped. */
const UTF8 = new TextDecoder();

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/** Whether the request sends a JSON body: a JSON `Content-Type` on a method other than GET/HEAD. */
export function isJsonBody(c: Context): boolean {
  const type = c.req.header('content-type');
  return (
    c.req.method !== 'GET' && c.req.method !== 'HEAD' && type !== undefined && JSON_TYPE.test(type)
  );
}

/**
 * Parses a JSON body once, before scope resolution and validation, from the bytes `bodyLimit`
 * read. An empty body counts as `{}` (existing clients send body-less POSTs); malformed JSON or
 * a non-object body is a 400. Later readers get this one parse: the scope and input-check
 * middleware from Hono's body cache, the route's validator from `c.req.json()`.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isJsonBody(c)) return next();
    const bytes = c.get('body');
    const text = bytes ? UTF8.decode(bytes) : '';
    let body: unknown = {};
    if (text.trim() !== '') {
      try {
        body = JSON.parse(text);
      } catch {
        throw new ApiError('malformed_json', 'request body is not valid JSON');
      }
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      throw new ApiError('validation_failed', 'request body must be a JSON object', [
        { field: 'body', reason: 'must be a JSON object' },
      ]);
    }
    const parsed = Promise.resolve(body);
    c.req.bodyCache.json = parsed;
    // Hono's own `json()` parses the cached text again on every call, whatever the cache holds.
    c.req.json = <T>() => parsed as Promise<T>;
    return next();
  };
}
