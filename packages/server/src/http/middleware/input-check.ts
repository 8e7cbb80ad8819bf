import type { MiddlewareHandler } from 'hono';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** Default for `maxJsonDepth`: how many arrays and objects a request body may nest. */
export const DEFAULT_MAX_JSON_DEPTH = 32;

/** Why a piece of input cannot be stored as given, and where it is (`flow_overrides.note`). */
export interface InputFault {
  field: string;
  reason: string;
}

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function textFault(text: string): string | undefined {
  if (text.includes('\u0000')) return 'must not contain the NUL character (U+0000)';
  // Storage encodes text as UTF-8, which turns a lone surrogate into U+FFFD.
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate';
  return undefined;
}

function numberFault(value: number): string | undefined {
  if (!Number.isFinite(value)) return 'is out of range';
  if (Number.isInteger(value) && !Number.isSafeInteger(value)) {
    return 'must be between -(2^53-1) and 2^53-1 to be kept exactly';
  }
  return undefined;
}

function keyFault(key: string): string | undefined {
  // JavaScript objects (and so the validators) drop this key: refuse it rather than lose it.
  if (key === '__proto__') return 'is a reserved key';
  return textFault(key);
}

/**
 * The first piece of a JSON value that cannot be stored exactly as given: nesting deeper than
 * `maxDepth` arrays/objects, text with U+0000 or a lone surrogate, a `__proto__` key, a number
 * that is not finite or an integer beyond 2^53. Walks with an explicit stack, so no input can
 * overflow the call stack. `root` prefixes every field name (`query`, `path`, or '' for a body).
 */
export function findInputFault(
  value: unknown,
  root: string,
  maxDepth: number,
): InputFault | undefined {
  const join = (path: string, key: string) => (path ? `${path}.${key}` : key);
  const stack: { value: unknown; path: string; depth: number }[] = [
    { value, path: root, depth: 0 },
  ];
  for (let next = stack.pop(); next; next = stack.pop()) {
    const { value: item, path, depth } = next;
    let reason: string | undefined;
    if (typeof item === 'string') reason = textFault(item);
    else if (typeof item === 'number') reason = numberFault(item);
    else if (typeof item === 'object' && item !== null) {
      if (depth >= maxDepth) reason = `nests deeper than ${maxDepth} levels`;
      else {
        // Children go on the stack last first, so they come off it in document order.
        const keys = Object.keys(item);
        for (let i = keys.length - 1; i >= 0; i--) {
          const key = keys[i] as string;
          const keyReason = Array.isArray(item) ? undefined : keyFault(key);
          if (keyReason) return { field: join(path, key) || 'body', reason: keyReason };
          const child = (item as Record<string, unknown>)[key];
          stack.push({ value: child, path: join(path, key), depth: depth + 1 });
        }
      }
    }
    if (reason) return { field: path || 'body', reason };
  }
  return undefined;
}

/**
 * Refuses, with a 400 naming the field, any request whose path, query or JSON body holds input
 * that storage would change or that is unbounded (see `findInputFault`). PostgreSQL cannot store
 * U+0000 in text at all, so without this it would fail deep in a write.
 */
export function inputCheck(): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const maxDepth = c.get('options').maxJsonDepth ?? DEFAULT_MAX_JSON_DEPTH;
    const body = c.req.bodyCache.json ? await c.req.bodyCache.json : undefined;
    const fault =
      findInputFault(c.req.path, 'path', maxDepth) ??
      findInputFault(c.req.queries(), 'query', maxDepth) ??
      findInputFault(body, '', maxDepth);
    if (fault) throw ApiError.invalid(fault.field, fault.reason);
    return next();
  };
}
