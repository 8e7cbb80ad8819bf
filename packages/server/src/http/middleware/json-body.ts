import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;

/**
 * Reads a JSON body once, before scope resolution and validation. An empty body counts as `{}`
 * (existing clients send body-less POSTs); malformed JSON or a non-object body is a 400.
 */
export function jsonBody(): MiddlewareHandler {
  return async (c, next) => {
    const type = c.req.header('content-type');
    if (c.req.method === 'GET' || c.req.method === 'HEAD' || !type || !JSON_TYPE.test(type)) {
      return next();
    }
    const text = await c.req.text();
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
    // Later readers take the body from Hono's body cache. Its `json()` parses the cached text
    // when there is one, so an empty body's text goes: `json()` then serialises the `{}` it
    // counts for.
    c.req.bodyCache.json = Promise.resolve(body);
    if (text.trim() === '') delete c.req.bodyCache.text;
    return next();
  };
}
