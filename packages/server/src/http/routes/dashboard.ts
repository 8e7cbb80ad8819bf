import { readFile } from 'node:fs/promises';
import { serveStatic } from '@hono/node-server/serve-static';
import { type Context, Hono } from 'hono';
import { ApiError } from '../../errors.js';
import { PACKAGE_ROOT } from '../../package-root.js';
import type { AppEnv } from '../env.js';

/** Where the dashboard package's build writes: `dist/ui` of this package, from `src` or `dist`. */
const UI_ROOT = `${PACKAGE_ROOT}dist/ui/`;

/** The page loads only its own bundle and talks only to this server. */
const PAGE_POLICY =
  "default-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

async function indexPage(): Promise<string> {
  try {
    return await readFile(`${UI_ROOT}index.html`, 'utf8');
  } catch {
    throw new ApiError(
      'service_unavailable',
      'the dashboard is not built: run `npm run build` (npm install runs it too)',
    );
  }
}

/** `/ui`: the dashboard's page and its hashed assets, built by `packages/dashboard`. */
export function dashboardRoutes() {
  const app = new Hono<AppEnv>();
  app.use(
    '/ui/assets/*',
    serveStatic({ root: UI_ROOT, rewriteRequestPath: (path) => path.replace(/^\/ui/, '') }),
  );
  const page = async (c: Context<AppEnv>) => {
    c.header('content-security-policy', PAGE_POLICY);
    c.header('cache-control', 'no-cache');
    return c.html(await indexPage());
  };
  app.get('/ui', page);
  app.get('/ui/', page);
  return app;
}
