import { z } from '@hono/zod-openapi';
import {
  ERROR_CODES,
  MAX_ID_LENGTH,
  MAX_INT,
  MAX_JSON_TEXT_DEPTH,
  MAX_LIST_LENGTH,
  MAX_TIMESTAMP_MS,
  MIN_TIMESTAMP_MS,
  SCOPE_NAME_PATTERN,
} from './constants.js';

export const ScopeName = z
  .string()
  .regex(SCOPE_NAME_PATTERN, 'must be 1-128 characters of letters, digits and ._:-')
  .openapi({ example: 'test-run-42' });

/**
 * Whether `id`, put in a URL path segment, reaches the server unchanged. URL parsing removes the
 * dot segments `.` and `..` (WHATWG URL standard, "single-dot" and "double-dot path segment"), so
 * such ids could be created but never addressed.
 */
export function roundTripsInUrlPath(id: string): boolean {
  const segment = encodeURIComponent(id);
  return new URL(`http://host/ids/${segment}`).pathname === `/ids/${segment}`;
}

/** Client-chosen entity ids travel in URL paths, so they may not hold separators or spaces. */
export const EntityId = z
  .string()
  .min(1)
  .max(MAX_ID_LENGTH)
  .regex(/^[^\s/?#%\\]+$/, 'must not contain whitespace or / ? # % \\')
  .refine(roundTripsInUrlPath, 'must survive a URL path unchanged (not . or ..)');

/**
 * An ISO-8601 timestamp input with a `Z` or a numeric offset (RFC 3339), normalised to UTC with
 * milliseconds (`2026-01-01T05:00:00.000Z`). Its UTC instant must lie in the years 0001–9999, the
 * range both this fixed-width form and PostgreSQL's `timestamptz` parsing share; beyond it
 * `toISOString()` switches to six-digit years (`+010000-…`).
 */
export const TimestampInput = z.iso
  .datetime({ offset: true })
  .transform((value, ctx) => {
    const ms = Date.parse(value);
    if (Number.isNaN(ms) || ms < MIN_TIMESTAMP_MS || ms > MAX_TIMESTAMP_MS) {
      ctx.addIssue({ code: 'custom', message: 'must lie in the years 0001-9999 once in UTC' });
      return z.NEVER;
    }
    return new Date(ms).toISOString();
  })
  .openapi({ example: '2026-01-01T00:00:00Z', description: 'ISO-8601, years 0001-9999 in UTC' });

/** ISO-8601 UTC timestamp with milliseconds and `Z`, as every timestamp the server emits. */
export const Timestamp = z.string().openapi({ example: '2026-01-01T00:00:00.000Z' });

/** Task and draft flags travel as the integers 0/1; clients may send booleans. */
export const Flag = z.union([z.literal(0), z.literal(1)]);
export const FlagInput = z
  .union([z.boolean(), z.literal(0), z.literal(1)])
  .transform((value) => (value ? 1 : 0) as 0 | 1);

/** Whether a JSON value nests arrays/objects deeper than `maxDepth`; walks without recursion. */
export function nestsDeeperThan(value: unknown, maxDepth: number): boolean {
  let level: unknown[] = [value];
  for (let depth = 0; level.length > 0; depth++) {
    const containers = level.filter((item) => typeof item === 'object' && item !== null);
    if (containers.length > 0 && depth >= maxDepth) return true;
    level = containers.flatMap((item) => Object.values(item as object));
  }
  return false;
}

/** A column holding JSON as text: clients may send the text or the value itself. */
export function jsonTextInput<T extends z.ZodType>(shape: T, description: string) {
  return z
    .union([z.string(), shape])
    .transform((value, ctx) => {
      if (typeof value !== 'string') return JSON.stringify(value);
      try {
        const json: unknown = JSON.parse(value);
        if (nestsDeeperThan(json, MAX_JSON_TEXT_DEPTH)) {
          ctx.addIssue({
            code: 'custom',
            message: `must not nest deeper than ${MAX_JSON_TEXT_DEPTH} levels`,
          });
          return z.NEVER;
        }
        const parsed = shape.safeParse(json);
        if (parsed.success) return value;
      } catch {
        // reported below
      }
      ctx.addIssue({ code: 'custom', message: `must be ${description} or its JSON text` });
      return z.NEVER;
    })
    .openapi({ description: `${description}, or its JSON encoding as a string` });
}

/** A whole number an integer column can hold: 0 to `MAX_INT`. */
export const Count = z
  .number()
  .int('must be an integer')
  .min(0, 'must be at least 0')
  .max(MAX_INT, `must be at most ${MAX_INT}`);

/**
 * An opaque text column: a string is stored as given, any other JSON value as its JSON text.
 * Null and absence pass through, so callers add `.nullish()`-like handling themselves.
 */
export function opaqueJsonText(description: string) {
  return z
    .unknown()
    .transform((value) =>
      value === undefined || value === null || typeof value === 'string'
        ? value
        : JSON.stringify(value),
    )
    .openapi({ description: `${description}: text, or any JSON value (stored as its JSON text)` });
}

/** An optional field that v1 clients may also send as null, which counts as absent. */
export function nullAsAbsent<T extends z.ZodType>(schema: T) {
  return schema.nullish().transform((value) => value ?? undefined);
}

/** An optional text field with a default: null counts as absent, as v1 clients send it. */
export function textOrDefault(text: z.ZodString, fallback: string) {
  return text
    .nullish()
    .transform((value) => value ?? fallback)
    .openapi({ description: `Default '${fallback}'` });
}

/**
 * A whole number in a query string, in plain decimal digits: `Number()` (and so `z.coerce`) would
 * also read `0x10`, `1e2`, ` 7` and an empty value, which is input changed rather than refused.
 * Numbers are taken as they are, for callers that build queries from typed values.
 */
function queryInteger(min: number, max: number) {
  return z
    .union(
      [
        z.number(),
        z
          .string()
          .regex(/^\d{1,16}$/, 'must be an integer in decimal digits')
          .transform(Number),
      ],
      { error: `must be an integer from ${min} to ${max}, in decimal digits` },
    )
    .pipe(
      z
        .number({ error: 'must be an integer' })
        .int('must be an integer')
        .min(min, `must be at least ${min}`)
        .max(max, `must be at most ${max}`),
    );
}

export const Limit = queryInteger(1, 500).default(50);
export const Offset = queryInteger(0, MAX_INT).default(0);

/**
 * The page of a list the v1 API answered whole (orchestrators, roles, flows, a task's history):
 * the largest page unless `limit` asks for less, so a client that never pages still gets every
 * row of a list of up to 500, and `total` tells it when there are more.
 */
export const WholeListPage = z.object({
  limit: queryInteger(1, 500).default(500),
  offset: Offset,
});

/**
 * Largest page any list answers with, in characters of JSON (about): a page whose rows would
 * pass it ends early, holding at least one row, and its `limit` says how many rows it holds.
 */
export const MAX_LIST_BYTES = 8 * 1024 * 1024;

/** A list page's `limit`: the page size asked for, or the rows given when the size budget ended it. */
export const PageLimit = z
  .number()
  .int()
  .openapi({
    description: `The page size asked for, or the rows given when the page reached ${MAX_LIST_BYTES} characters of JSON`,
  });

/**
 * The paging fields every list answer carries beside its rows: the count of every matching row,
 * the page's offset and its `limit` (see `PageLimit`). Spread into each list's object schema.
 */
export const PAGE_FIELDS = {
  total: z.number().int(),
  offset: z.number().int(),
  limit: PageLimit,
};

/** A comma-separated list in a query string: `queue=incoming,claimed`. */
export const CommaList = z
  .string()
  .transform((value) =>
    value
      .split(',')
      .map((part) => part.trim())
      .filter((part) => part.length > 0),
  )
  .pipe(z.array(z.string()).max(MAX_LIST_LENGTH, `must list at most ${MAX_LIST_LENGTH} values`));

export const ErrorCode = z.enum(ERROR_CODES);
export type ErrorCode = z.infer<typeof ErrorCode>;

export const ErrorDetail = z.object({
  field: z.string().optional(),
  reason: z.string(),
});
export type ErrorDetail = z.infer<typeof ErrorDetail>;

export const ErrorBody = z
  .object({
    error: z.string(),
    code: ErrorCode,
    details: z.array(ErrorDetail).optional(),
  })
  .openapi('Error');
export type ErrorBody = z.infer<typeof ErrorBody>;

export const DeletedBody = z.object({ message: z.string() }).passthrough();
