import type { OpenAPIHono, z } from '@hono/zod-openapi';
import { ErrorBody } from '@octopoid/api';
import type { AppEnv } from './env.js';

export type OpenApiDocument = ReturnType<OpenAPIHono['getOpenAPI31Document']>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Invalid request: the body names the offending fields',
  401: 'Missing or invalid API key',
  403: 'The API key belongs to another scope',
  404: 'Not found in this scope',
  409: 'Conflict: the state or version does not allow this',
  413: 'Request body too large',
  415: 'Body is not JSON',
  422: "The Idempotency-Key names another claimant's claim",
  429: 'Claim limit reached',
};

const errorResponse = (status: number, schema: unknown) => ({
  description: DESCRIPTIONS[status] ?? 'Error',
  content: { 'application/json': { schema } },
});

/** The error responses a route can answer, all with the one error body. */
export function errors(...statuses: (keyof typeof DESCRIPTIONS)[]) {
  return Object.fromEntries(
    [400, ...statuses].map((status) => [status, errorResponse(status, ErrorBody)]),
  );
}

export function ok<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } } as const;
}

export function jsonBody<T extends z.ZodType>(schema: T, required = true) {
  return { content: { 'application/json': { schema } }, required } as const;
}

export const HTTP_METHODS = [
  'get',
  'put',
  'post',
  'delete',
  'options',
  'head',
  'patch',
  'trace',
] as const;

/**
 * The OpenAPI 3.1 document of every route registered on `app`, as served at `/openapi.json`.
 * Errors that middleware answers before a route runs are added here, once, rather than in every
 * route: each route under `apiPrefix` can answer 400 (no or bad scope), 401 (unknown API key) and
 * 403 (a key of another scope), and each route taking a body 413 (too large) and 415 (not JSON).
 */
export function openApiDocument(
  app: OpenAPIHono<AppEnv>,
  apiPrefix: string,
  version: string,
): OpenApiDocument {
  const document = app.getOpenAPI31Document({
    openapi: '3.1.0',
    info: {
      title: 'Octopoid server',
      version,
      description:
        'Scoped task queue for AI-agent orchestrators. Every /api/v1 request names a scope.',
    },
  });
  const errorSchema = { $ref: '#/components/schemas/Error' };
  document.components ??= {};
  document.components.securitySchemes = {
    apiKey: {
      type: 'http',
      scheme: 'bearer',
      description:
        "The scope's API key (oct_…), issued by its first orchestrator registration; or the " +
        "server's admin key. Optional unless the server runs with --auth required.",
    },
  };
  for (const [path, item] of Object.entries(document.paths ?? {})) {
    if (!path.startsWith(`${apiPrefix}/`)) continue;
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      // `{}` keeps key-less requests valid, as every mode but `required` allows them.
      operation.security = [{ apiKey: [] }, {}];
      const statuses = [400, 401, 403, ...(operation.requestBody ? [413, 415] : [])];
      operation.responses ??= {};
      for (const status of statuses) {
        operation.responses[status] ??= errorResponse(status, errorSchema);
      }
    }
  }
  return document;
}
