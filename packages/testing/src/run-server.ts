import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { KeptData } from './kept-scope.js';
import { type KeptServer, startKeptServer } from './kept-server.js';
import { createFreshPostgresDatabase } from './postgres.js';
import { assertLoopbackUrl } from './remote-guard.js';
import { startTestServer, type TestServer } from './start-test-server.js';

/** The server one test run talks to. */
export interface RunServer {
  url: string;
  /** The database of a server the run started; `null` for `OCTOPOID_TEST_SERVER_URL`. */
  database: string | null;
  /** How long the scope of a failed test stays to be looked at. */
  keptData: KeptData;
  close(): Promise<void>;
  /**
   * Closes the run's server but leaves its data, served by a detached server on the same URL, for
   * inspection after the run (`OCTOPOID_KEEP_SERVER=1`). `undefined` for a server the run did
   * not start, which stays up anyway.
   */
  keepForInspection(): Promise<KeptServer | undefined>;
}

/** Environment variables the kit reads; see docs/testing.md. */
export interface TestKitEnv {
  OCTOPOID_TEST_SERVER_URL?: string | undefined;
  OCTOPOID_TEST_ALLOW_REMOTE?: string | undefined;
  OCTOPOID_TEST_DATABASE?: string | undefined;
  OCTOPOID_TEST_POSTGRES_URL?: string | undefined;
  OCTOPOID_TEST_SERVER_MODE?: string | undefined;
  OCTOPOID_KEEP_SERVER?: string | undefined;
}

/**
 * `OCTOPOID_TEST_DATABASE=postgres:fresh`: a fresh database on `OCTOPOID_TEST_POSTGRES_URL`,
 * dropped after the run. Written like a URL so it can never be taken for a SQLite file name.
 */
export const FRESH_POSTGRES = 'postgres:fresh';
/** The PostgreSQL server `postgres:fresh` creates databases on unless `OCTOPOID_TEST_POSTGRES_URL` names another. */
export const DEFAULT_POSTGRES_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
const HEALTH_TIMEOUT_MS = 5_000;
const MODES = ['in-process', 'subprocess'] as const;
type Mode = (typeof MODES)[number];

async function assertHealthy(url: string): Promise<void> {
  const health = await fetch(new URL('/api/health', url), {
    signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new Error(`OCTOPOID_TEST_SERVER_URL ${url} does not answer`, { cause: error });
  });
  if (!health.ok) {
    throw new Error(`OCTOPOID_TEST_SERVER_URL ${url}: /api/health answered ${health.status}`);
  }
}

async function startOnFreshPostgres(adminUrl: string, mode: Mode): Promise<RunServer> {
  const fresh = await createFreshPostgresDatabase(adminUrl);
  let server: TestServer;
  try {
    server = await startTestServer({ database: fresh.url, mode });
  } catch (error) {
    await fresh.drop();
    throw error;
  }
  const close = async () => {
    await server.close();
    await fresh.drop();
  };
  const keepForInspection = async () => {
    await server.close();
    await fresh.keep();
    return startKeptServer(server.url, fresh.url);
  };
  return {
    url: server.url,
    database: fresh.url,
    keptData: { until: 'run-ends' },
    close,
    keepForInspection,
  };
}

/**
 * The run's server: `OCTOPOID_TEST_SERVER_URL` if set (loopback only unless
 * `OCTOPOID_TEST_ALLOW_REMOTE=1`, and only once it answers its health check); otherwise a test
 * server started the way `OCTOPOID_TEST_SERVER_MODE` says (default `in-process`) on `database`,
 * else `OCTOPOID_TEST_DATABASE`, else `:memory:` (a temporary SQLite file with
 * `OCTOPOID_KEEP_SERVER=1`, so that the data can outlive the run).
 */
export async function serverForRun(env: TestKitEnv, database?: string): Promise<RunServer> {
  const existing = env.OCTOPOID_TEST_SERVER_URL;
  if (existing) {
    assertLoopbackUrl(existing, env.OCTOPOID_TEST_ALLOW_REMOTE === '1');
    await assertHealthy(existing);
    const url = existing.replace(/\/+$/, '');
    return {
      url,
      database: null,
      keptData: { until: 'server-stops' },
      close: async () => {},
      keepForInspection: async () => undefined,
    };
  }
  const mode = env.OCTOPOID_TEST_SERVER_MODE ?? 'in-process';
  if (!MODES.includes(mode as Mode)) {
    throw new Error(`OCTOPOID_TEST_SERVER_MODE must be ${MODES.join(' or ')}, not ${mode}`);
  }
  const location = database || env.OCTOPOID_TEST_DATABASE || ':memory:';
  if (/^postgres(ql)?$/i.test(location)) {
    throw new Error(
      `the test database "${location}" names a backend, not a database; use ${FRESH_POSTGRES} ` +
        'for a fresh PostgreSQL database, or a postgres:// URL',
    );
  }
  if (location === FRESH_POSTGRES) {
    return startOnFreshPostgres(
      env.OCTOPOID_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL,
      mode as Mode,
    );
  }
  // Data that must outlive the run cannot stay in memory: it goes to a temporary SQLite file.
  const served =
    location === ':memory:' && env.OCTOPOID_KEEP_SERVER === '1'
      ? join(await mkdtemp(join(tmpdir(), 'octopoid-run-')), 'octopoid.db')
      : location;
  const server = await startTestServer({ database: served, mode: mode as Mode });
  const keptData: KeptData =
    location === ':memory:' ? { until: 'run-ends' } : { until: 'deleted', database: location };
  const keepForInspection = async () => {
    await server.close();
    return startKeptServer(server.url, served);
  };
  return { url: server.url, database: served, keptData, close: server.close, keepForInspection };
}
