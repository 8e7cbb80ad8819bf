import type { z } from '@hono/zod-openapi';
import { ErrorBody } from '@octopoid/api';

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: the body names the offending fields',
  401: 'Missing or invalid API key',
  403: 'The API key belongs to another scope',
  404: 'Not found in this scope',
  409: 'Conflict: the state or version does not allow this',
  413: 'Request body too large',
  415: 'Body is not JSON',
  429: 'Claim limit reached',
};

/** The error responses a route can answer, all with the one error body. */
export function errors(...statuses: (keyof typeof DESCRIPTIONS)[]) {
  return Object.fromEntries(
    [400, ...statuses].map((status) => [
      status,
      {
        description: DESCRIPTIONS[status] ?? 'Error',
        content: { 'application/json': { schema: ErrorBody } },
      },
    ]),
  );
}

export function ok<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { content: { 'application/json': { schema } }, required } as const;
}
