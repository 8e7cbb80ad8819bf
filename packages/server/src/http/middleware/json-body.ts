import type { Context, MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Decodes UTF-8 strictly: invalid bytes throw (never stored as U+FFFD); a leading BOM is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

const JSON_TYPE = /^application\/([\w.-]+\+)?json\b/i;
const CHARSET = /;\s*charset\s*=\s*"?([^";\s]*)"?/i;

/**
 * Checks a JSON `Content-Type`'s `charset`: JSON is UTF-8, so only `utf-8` (or none) is read.
 * @throws `ApiError` 415 `unsupported_media_type` naming `Content-Type` for any other charset
 */
function requireUtf8(type: string): void {
  const charset = CHARSET.exec(type)?.[1]?.toLowerCase();
  if (charset === undefined || charset === 'utf-8' || charset === 'utf8') return;
  throw new ApiError('unsupported_media_type', `send the JSON body as UTF-8, not ${charset}`, [
    { field: 'Content-Type', reason: 'charset must be utf-8 (or left out)' },
  ]);
}

/**
 * The body's text.
 * @throws `ApiError` 400 `malformed_json` naming `body` when the bytes are not valid UTF-8
 */
function utf8Text(bytes: Uint8Array): string {
  try {
    return UTF8.decode(bytes);
  } catch {
    throw new ApiError('malformed_json', 'request body is not valid UTF-8', [
      { field: 'body', reason: 'must be UTF-8 text: it holds bytes that are not' },
    ]);
  }
}

/** Whether the request sends a JSON body: a JSON `Content-Type` on a method other than GET/HEAD. */
export function isJsonBody(c: Context): boolean {
  const type = c.req.header('content-type');
  return (
    c.req.method !== 'GET' && c.req.method !== 'HEAD' && type !== undefined && JSON_TYPE.test(type)
  );
}

/**
 * Parses a JSON body once, before scope resolution and validation, from the bytes `bodyLimit`
 * read. An empty body counts as `{}` (existing clients send body-less POSTs); malformed JSON,
 * bytes that are not UTF-8 or a non-object body is a 400, a charset other than UTF-8 a 415. Later readers get this one parse: the scope and input-check
 * middleware from Hono's body cache, the route's validator from `c.req.json()`.
 */
export function jsonBody(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    if (!isJsonBody(c)) return next();
    requireUtf8(c.req.header('content-type') ?? '');
    const bytes = c.get('body');
    const text = bytes ? utf8Text(bytes) : '';
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
