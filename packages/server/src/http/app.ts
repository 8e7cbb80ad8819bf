import { OpenAPIHono } from '@hono/zod-openapi';
import type { Services } from '../domain/context.js';
import type { Logger } from '../logger.js';
import type { AppEnv, AppOptions } from './env.js';
import { handleError, notFoundRoute, validationError } from './error-response.js';
import { authenticate } from './middleware/auth.js';
import { bodyLimit } from './middleware/body-limit.js';
import { browserOrigin } from './middleware/browser-origin.js';
import { changeEvents } from './middleware/change-events.js';
import { durableResponses } from './middleware/durable-responses.js';
import { faults } from './middleware/faults.js';
import { inputCheck } from './middleware/input-check.js';
import { jsonBody } from './middleware/json-body.js';
import { loopbackHost } from './middleware/loopback-host.js';
import { scope } from './middleware/scope.js';
import { openApiDocument } from './openapi.js';
import { actionRoutes } from './routes/actions.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { docsRoutes } from './routes/docs.js';
import { draftRoutes } from './routes/drafts.js';
import { eventRoutes } from './routes/events.js';
import { flowRoutes } from './routes/flows.js';
import { healthRoutes } from './routes/health.js';
import { messageRoutes } from './routes/messages.js';
import { orchestratorRoutes } from './routes/orchestrators.js';
import { projectRoutes } from './routes/projects.js';
import { roleRoutes } from './routes/roles.js';
import { schedulerRoutes } from './routes/scheduler.js';
import { scopeRoutes } from './routes/scopes.js';
import { taskRoutes } from './routes/tasks.js';
import { testModeRoutes } from './routes/test-mode.js';

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
  if (options.loopbackOnly) app.use('*', loopbackHost());
  app.use('*', browserOrigin(options.corsOrigins ?? []));
  app.use('*', async (c, next) => {
    c.set('services', services);
    c.set('options', options);
    await next();
  });
  app.use(
    `${API_PREFIX}/*`,
    bodyLimit(options.maxBodyBytes),
    authenticate(),
    jsonBody(),
    inputCheck(),
    scope(),
    changeEvents(),
    // Inside changeEvents: the flush comes before a write is announced to event streams and
    // long-poll waiters, so nothing a power loss could undo is shown or claimed elsewhere.
    durableResponses(),
  );
  const faultRules = options.testMode ? services.faults : undefined;
  if (faultRules) app.use(`${API_PREFIX}/*`, faults(faultRules));

  const api = new OpenAPIHono<AppEnv>({ defaultHook: app.defaultHook });
  api.route('/', taskRoutes());
  api.route('/', scopeRoutes());
  api.route('/', messageRoutes());
  api.route('/', actionRoutes());
  api.route('/', projectRoutes());
  api.route('/', draftRoutes());
  api.route('/', flowRoutes());
  api.route('/', schedulerRoutes());
  api.route('/', orchestratorRoutes());
  api.route('/', roleRoutes());
  api.route('/', eventRoutes());
  if (faultRules) api.route('/', testModeRoutes(faultRules));
  app.route(API_PREFIX, api);
  app.route('/', dashboardRoutes());
  app.route(
    '/',
    healthRoutes(() => endpointList(app)),
  );

  app.route(
    '/',
    docsRoutes(() => openApiDocument(app, API_PREFIX, options.version)),
  );
  return app;
}

function endpointList(app: OpenAPIHono<AppEnv>): string[] {
  const seen = new Set<string>();
  for (const route of app.routes) {
    if (route.method !== 'ALL') seen.add(`${route.method} ${route.path}`);
  }
  return [...seen].sort();
}
