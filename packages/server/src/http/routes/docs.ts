import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { renderDocsPage } from '../docs-page.js';
import type { AppEnv } from '../env.js';
import type { OpenApiDocument } from '../openapi.js';

const tags = ['server'];

const routes = {
  document: createRoute({
    method: 'get',
    path: '/openapi.json',
    tags,
    summary: 'This API as an OpenAPI 3.1 document',
    responses: {
      200: {
        description: 'The OpenAPI document',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
  }),
  page: createRoute({
    method: 'get',
    path: '/docs',
    tags,
    summary: 'This API as a self-contained HTML page',
    responses: {
      200: {
        description: 'The API reference: every route and schema',
        content: { 'text/html': { schema: z.string() } },
      },
    },
  }),
};

/** Nothing on the page may load from elsewhere: no script at all, styles inline only. */
const PAGE_POLICY = "default-src 'none'; style-src 'unsafe-inline'";

/** `/openapi.json` and `/docs`, both rendered from the document `document()` builds. */
export function docsRoutes(document: () => OpenApiDocument) {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(routes.document, (c) => c.json(document(), 200));
  app.openapi(routes.page, (c) => {
    c.header('content-security-policy', PAGE_POLICY);
    return c.html(renderDocsPage(document()), 200);
  });
  return app;
}
