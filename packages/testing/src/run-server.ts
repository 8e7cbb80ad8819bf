import { assertLoopbackUrl } from './remote-guard.js';
import { startTestServer } from './start-test-server.js';

/** The server one test run talks to. */
export interface RunServer {
  url: string;
  /** Where the in-process server keeps its data; `null` for a server the run did not start. */
  database: string | null;
  close(): Promise<void>;
}

/** Environment variables the kit reads; see docs/testing.md. */
export interface TestKitEnv {
  OCTOPOID_TEST_SERVER_URL?: string | undefined;
  OCTOPOID_TEST_ALLOW_REMOTE?: string | undefined;
  OCTOPOID_TEST_DATABASE?: string | undefined;
  OCTOPOID_TEST_SERVER_MODE?: string | undefined;
}

const HEALTH_TIMEOUT_MS = 5_000;
const MODES = ['in-process', 'subprocess'] as const;

async function assertHealthy(url: string): Promise<void> {
  const health = await fetch(new URL('/api/health', url), {
    signal: AbortSignal.timeout(HEALTH_TIMEOUT_MS),
  }).catch((error: unknown) => {
    throw new Error(`OCTOPOID_TEST_SERVER_URL ${url} does not answer`, { cause: error });
  });
  if (!health.ok) throw new Error(`OCTOPOID_TEST_SERVER_URL ${url}: /api/health answered ${health.status}`);
}

/**
 * Reuses `OCTOPOID_TEST_SERVER_URL` (loopback only unless `OCTOPOID_TEST_ALLOW_REMOTE=1`, and
 * only once it answers its health check), or starts a test server on `OCTOPOID_TEST_DATABASE`
 * (default `:memory:`) the way `OCTOPOID_TEST_SERVER_MODE` says (default `in-process`).
 */
export async function serverForRun(env: TestKitEnv): Promise<RunServer> {
  const existing = env.OCTOPOID_TEST_SERVER_URL;
  if (existing) {
    assertLoopbackUrl(existing, env.OCTOPOID_TEST_ALLOW_REMOTE === '1');
    await assertHealthy(existing);
    return { url: existing.replace(/\/+$/, ''), database: null, close: async () => {} };
  }
  const mode = env.OCTOPOID_TEST_SERVER_MODE ?? 'in-process';
  if (!MODES.includes(mode as (typeof MODES)[number])) {
    throw new Error(`OCTOPOID_TEST_SERVER_MODE must be ${MODES.join(' or ')}, not ${mode}`);
  }
  const database = env.OCTOPOID_TEST_DATABASE || ':memory:';
  const server = await startTestServer({ database, mode: mode as (typeof MODES)[number] });
  return { url: server.url, database, close: server.close };
}
