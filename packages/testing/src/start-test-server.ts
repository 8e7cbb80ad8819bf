import type { LogLevel, ServerOptions } from '@octopoid/server';
import { loadServer } from './server-module.js';
import { startSubprocessServer } from './subprocess-server.js';

export type AuthMode = NonNullable<ServerOptions['auth']>;

/**
 * How long test servers keep an idle connection, in ms. A test worker on a loaded machine can
 * stall for seconds (transforms, GC) past the moment its HTTP client meant to drop an idle
 * connection; a server closing idle connections after the production default (5 s) could then
 * close one just as the client reuses it ("other side closed"). At 60 s the client drops first.
 */
export const TEST_KEEP_ALIVE_MS = 60_000;

export interface TestServerOptions {
  /** `:memory:` (default), a SQLite file, or a `postgres://` URL. */
  database?: string;
  /**
   * `in-process` (default) runs `startServer()` in this process; `subprocess` spawns the
   * `octopoid-server` CLI exactly as shipped (its built `dist/`), to test the binary itself.
   */
  mode?: 'in-process' | 'subprocess';
  /** In-process only. Default `silent`: test output stays readable. */
  logLevel?: LogLevel;
  /** Seconds between lease sweeps. Default 1. */
  leaseSweepSeconds?: number;
  /** API key checks: `off`, `optional` (default) or `required`. */
  auth?: AuthMode;
  /** Resolve by-id requests naming no scope from the id (v1 clients). */
  legacyUnscopedIds?: boolean;
  /** `auth: 'required'` only: key-less registrations may create new, empty scopes. */
  openRegistration?: boolean;
}

/** A running server in test mode; `await using` closes it at the end of the block. */
export interface TestServer {
  /** Base URL on a free loopback port, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts the real server, with the real migrations and test mode on, on a free loopback port. */
export async function startTestServer(options: TestServerOptions = {}): Promise<TestServer> {
  const database = options.database ?? ':memory:';
  const leaseSweepSeconds = options.leaseSweepSeconds ?? 1;
  const auth = options.auth ?? 'optional';
  const legacyUnscopedIds = options.legacyUnscopedIds ?? false;
  const openRegistration = options.openRegistration ?? false;
  if (options.mode === 'subprocess') {
    return startSubprocessServer({
      database,
      leaseSweepSeconds,
      auth,
      legacyUnscopedIds,
      openRegistration,
      keepAliveTimeoutMs: TEST_KEEP_ALIVE_MS,
    });
  }
  const server = await (await loadServer()).startServer({
    port: 0,
    host: '127.0.0.1',
    database,
    testMode: true,
    auth,
    legacyUnscopedIds,
    openRegistration,
    logLevel: options.logLevel ?? 'silent',
    leaseSweepSeconds,
    keepAliveTimeoutMs: TEST_KEEP_ALIVE_MS,
  });
  return { url: server.url, close: server.close, [Symbol.asyncDispose]: server.close };
}
