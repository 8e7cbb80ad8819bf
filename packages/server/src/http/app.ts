import { OpenAPIHono } from '@hono/zod-openapi';
import { bodyLimit } from 'hono/body-limit';
import { cors } from 'hono/cors';
import type { Services } from '../domain/context.js';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import type { AppEnv, AppOptions } from './env.js';
import { handleError, notFoundRoute, validationError } from './errors.js';
import { jsonBody } from './middleware/json-body.js';
import { scope } from './middleware/scope.js';
import { healthRoutes } from './routes/health.js';
import { scopeRoutes } from './routes/scopes.js';
import { taskRoutes } from './routes/tasks.js';

export const API_PREFIX = '/api/v1';

/** Builds the HTTP application: middleware, every route, the OpenAPI document, error handling. */
export function createApp(services: Services, options: AppOptions, logger: Logger) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationError(result.error, result.target);
    },
  });
  app.onError(handleError(logger));
  app.notFound(notFoundRoute);
  app.use('*', cors());
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('options', options);
    await next();
  });
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit({
      maxSize: options.maxBodyBytes,
      onError: () => {
        throw new ApiError(
          413,
          'payload_too_large',
          `request body exceeds ${options.maxBodyBytes} bytes`,
        );
      },
    }),
    jsonBody(),
    scope(),
  );

  const api = new OpenAPIHono<AppEnv>({ defaultHook: app.defaultHook });
  api.route('/', taskRoutes());
  api.route('/', scopeRoutes());
  app.route(API_PREFIX, api);
  app.route(
    '/',
    healthRoutes(() => endpointList(app)),
  );

  app.doc31('/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Octopoid server',
      version: options.version,
      description:
        'Scoped task queue for AI-agent orchestrators. Every /api/v1 request names a scope.',
    },
  });
  return app;
}

function endpointList(app: OpenAPIHono<AppEnv>): string[] {
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method !== 'ALL') seen.add(`${route.method} ${route.path}`);
  }
  return [...seen].sort();
}
