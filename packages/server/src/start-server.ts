import type { Server as HttpServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { startBackgroundSweep } from './background-sweep.js';
import { DatabaseClock } from './database-clock.js';
import { MIN_ADMIN_KEY_LENGTH } from './domain/auth/admin.js';
import { AUTH_MODES, type AuthMode, DEFAULT_AUTH_MODE } from './domain/auth/mode.js';
import type { Services } from './domain/context.js';
import { FaultRules } from './domain/faults.js';
import { validateScopeName } from './domain/scope.js';
import { ScopeClocks } from './domain/scope-clocks.js';
import { DEFAULT_STREAM_LIMITS, ScopeEvents, type StreamLimits } from './domain/scope-events.js';
import { DEFAULT_MAX_SCOPE_COPY_BYTES } from './domain/scopes/copy-budget.js';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './domain/tasks/attempts.js';
import { ClaimWaiters } from './domain/tasks/claim-waiters.js';
import { createApp } from './http/app.js';
import { validCorsOrigin } from './http/middleware/browser-origin.js';
import { isLoopbackHost } from './http/middleware/loopback-host.js';
import { DEFAULT_HTTP_TIMEOUTS, type HttpTimeouts, nodeServerOptions } from './http-timeouts.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { PostgresWakeups } from './postgres-wakeups.js';
import { type ScopeTtlRule, validScopeTtl } from './scope-ttl.js';
import { DatabaseUnavailableError } from './store/errors.js';
import {
  type DatabaseLocation,
  DatabaseLocationError,
  describeDatabaseLocation,
  parseDatabaseLocation,
} from './store/location.js';
import { migrate } from './store/migrator.js';
import { openStore } from './store/open.js';
import { prepareSqliteFile } from './store/sqlite-file.js';
import type { Store } from './store/store.js';
import { SERVER_VERSION } from './version.js';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8787. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /**
   * `:memory:`, a SQLite file path, `sqlite:PATH`, or a `postgres://` URL (see
   * `parseDatabaseLocation`), or such a location already parsed. Default `:memory:`.
   */
  database?: string | DatabaseLocation;
  /** Create a SQLite file's missing folder instead of refusing to start. Default false. */
  createDatabaseDir?: boolean;
  /** PostgreSQL only: connections this instance may hold at once (1–1000). Default 10. */
  postgresPoolSize?: number;
  /**
   * How often a scope with waiting claims (`wait_seconds`) is re-tried without a wake-up, in ms:
   * tasks that become claimable by time alone (a backoff ending) wait at most this long. Default
   * 1000.
   */
  claimRecheckMs?: number;
  /** Seconds between lease sweeps. Default 15. */
  leaseSweepSeconds?: number;
  /** Scope for requests that name none. Off by default: such requests get a 400. */
  defaultScope?: string;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
  /** How many arrays/objects a JSON body may nest; deeper is a 400. Default 32. */
  maxJsonDepth?: number;
  /** Event streams (`GET /api/v1/events`) open at once on this server; more get a 429. Default 1000. */
  maxEventStreams?: number;
  /** Event streams open at once per scope; more get a 429. Default 32. */
  maxEventStreamsPerScope?: number;
  /**
   * The most row text one clone or merge reads, in bytes; a larger scope is refused with a 413.
   * Bounds how long one clone or merge holds a SQLite server. Default 32 MiB.
   */
  maxScopeCopyBytes?: number;
  /**
   * From a request's first byte until its headers are complete, in ms; a slower client gets a
   * 408 and is disconnected (slowloris). Default 10,000.
   */
  headersTimeoutMs?: number;
  /**
   * From a request's first byte until its body is complete, in ms; a slower client gets a 408
   * and is disconnected. Answering time is not counted (a long-poll claim waits after its body
   * arrived). At least `headersTimeoutMs`. Default 30,000.
   */
  requestTimeoutMs?: number;
  /** How long an idle keep-alive connection waits for its next request, in ms. Default 5,000. */
  keepAliveTimeoutMs?: number;
  /** Mounts `/api/v1/test/*` (per-scope fault rules and clocks). Never on a shared server. */
  testMode?: boolean;
  /** How API keys are checked: `off`, `optional` (default) or `required`; see `AuthMode`. */
  auth?: AuthMode;
  /**
   * Resolve a by-id request that names no scope to the one scope holding that id (409 when
   * several do), as v1 clients send DELETE and body-less POSTs without a scope. Off by default.
   */
  legacyUnscopedIds?: boolean;
  /**
   * A bearer token (at least 32 characters) that may act on every scope: the scope list, clone
   * and merge, which `required` mode otherwise refuses. Keep it out of command lines and logs.
   */
  adminKey?: string;
  /**
   * `required` mode only: let a key-less registration create a new, empty scope and receive its
   * key. Off by default, so only the admin key creates scopes on a server that requires keys.
   */
  openRegistration?: boolean;
  /**
   * Browser origins (`https://app.example.com`) allowed to call the server cross-origin. None by
   * default: a request with another `Origin` is refused with 403.
   * @throws TypeError at start when a value is not an origin (`*` included).
   */
  corsOrigins?: readonly string[];
  /**
   * Scopes matching a rule's pattern (`*` = any characters) are purged in the background once
   * they have seen no activity for `ttlMs`; checked on every sweep. The first matching rule wins.
   */
  scopeTtl?: ScopeTtlRule[];
  /**
   * Claims a task may take before it moves to `failed` (history `attempts_exhausted`), unless
   * the task sets its own `max_attempts`. Default 5.
   */
  maxAttempts?: number;
  /**
   * Backoff after a task's first failed attempt, in seconds; it doubles with every further
   * attempt, up to one hour. Default 10.
   */
  retryBackoffSeconds?: number;
  /**
   * The instance's own clock, in milliseconds since the epoch (default `Date.now`). On
   * PostgreSQL it only measures intervals: leases follow the database's clock (see
   * `DatabaseClock`). Tests pass a skewed one to prove that.
   */
  instanceClock?: () => number;
  logLevel?: LogLevel;
  logger?: Logger;
}

/**
 * `value` when it is an integer from `min` to `max`.
 *
 * @throws TypeError naming the option, its range and the value given.
 */
function integerOption(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new TypeError(`${name} must be an integer from ${min} to ${max}; got ${String(value)}`);
  }
  return value;
}

function retryPolicy(options: ServerOptions): RetryPolicy {
  const { maxAttempts = DEFAULT_RETRY_POLICY.maxAttempts } = options;
  const backoffSeconds = options.retryBackoffSeconds ?? DEFAULT_RETRY_POLICY.backoffBaseMs / 1000;
  integerOption('maxAttempts', maxAttempts, 1, 1000);
  if (!Number.isFinite(backoffSeconds) || backoffSeconds < 0 || backoffSeconds > 3600) {
    throw new TypeError(`retryBackoffSeconds must be from 0 to 3600; got ${backoffSeconds}`);
  }
  return { ...DEFAULT_RETRY_POLICY, maxAttempts, backoffBaseMs: backoffSeconds * 1000 };
}

/** The open-stream limits of `GET /api/v1/events`, from the options or their defaults. */
function streamLimits(options: ServerOptions): StreamLimits {
  const {
    maxEventStreams: perServer = DEFAULT_STREAM_LIMITS.perServer,
    maxEventStreamsPerScope: perScope = DEFAULT_STREAM_LIMITS.perScope,
  } = options;
  for (const [name, max] of Object.entries({
    maxEventStreams: perServer,
    maxEventStreamsPerScope: perScope,
  })) {
    if (!Number.isInteger(max) || max < 1) {
      throw new TypeError(`${name} must be a positive integer; got ${max}`);
    }
  }
  return { perServer, perScope };
}

/** The HTTP timeouts of the options, or their defaults. */
function httpTimeouts(options: ServerOptions): HttpTimeouts {
  const {
    headersTimeoutMs = DEFAULT_HTTP_TIMEOUTS.headersTimeoutMs,
    requestTimeoutMs = DEFAULT_HTTP_TIMEOUTS.requestTimeoutMs,
    keepAliveTimeoutMs = DEFAULT_HTTP_TIMEOUTS.keepAliveTimeoutMs,
  } = options;
  integerOption('headersTimeoutMs', headersTimeoutMs, 1, MAX_TIMEOUT_MS);
  integerOption('requestTimeoutMs', requestTimeoutMs, headersTimeoutMs, MAX_TIMEOUT_MS);
  integerOption('keepAliveTimeoutMs', keepAliveTimeoutMs, 1, MAX_TIMEOUT_MS);
  return { headersTimeoutMs, requestTimeoutMs, keepAliveTimeoutMs };
}

export interface RunningServer {
  /** Base URL, e.g. `http://127.0.0.1:8787`. */
  url: string;
  port: number;
  store: Store;
  /** Stops accepting requests, finishes in-flight ones, stops the sweep, closes the database. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * A server's application on its open database, answering requests handed to it without a socket
 * (see `createServerApp`).
 */
export interface ServerApp {
  /**
   * Answers one request exactly as the listening server would, middleware included. `Host` is
   * read from the request's headers: a request built from a URL alone carries none.
   */
  fetch(request: Request): Response | Promise<Response>;
  store: Store;
  /** Ends every hold (fault delays, event streams, waiting claims) and closes the database. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The largest TCP port. */
const MAX_PORT = 65_535;

/** The longest HTTP timeout: one hour, in ms. */
const MAX_TIMEOUT_MS = 3_600_000;

/** What `openServer` built: the application on its open database, serving no socket yet. */
interface OpenedServer {
  app: ReturnType<typeof createApp>;
  services: Services;
  store: Store;
  logger: Logger;
  host: string;
  port: number;
  location: DatabaseLocation;
  testMode: boolean;
  auth: AuthMode;
  scopeTtl: ScopeTtlRule[];
  timeouts: HttpTimeouts;
  /** Reads the database's clock again (see `DatabaseClock`). */
  syncClock(): Promise<void>;
  /** Ends every hold (fault delays, event streams, waiting claims), so in-flight requests finish. */
  endHolds(): void;
  /** Stops the PostgreSQL wake-ups and closes the database. */
  closeDatabase(): Promise<void>;
}

/**
 * Checks the options, opens the database, applies migrations and builds the application: all
 * of a server but its socket and its background sweep.
 */
async function openServer(options: ServerOptions): Promise<OpenedServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
  const port = options.port ?? 8787;
  integerOption('port', port, 0, MAX_PORT);
  const defaultScope =
    options.defaultScope === undefined
      ? undefined
      : validateScopeName(options.defaultScope, 'defaultScope');
  const auth = options.auth ?? DEFAULT_AUTH_MODE;
  if (options.adminKey !== undefined && options.adminKey.length < MIN_ADMIN_KEY_LENGTH) {
    throw new TypeError(`adminKey must be at least ${MIN_ADMIN_KEY_LENGTH} characters`);
  }
  if (!AUTH_MODES.includes(auth)) {
    throw new TypeError(`auth must be one of ${AUTH_MODES.join(', ')}; got ${String(auth)}`);
  }
  const scopeTtl = (options.scopeTtl ?? []).map(validScopeTtl);
  const corsOrigins = (options.corsOrigins ?? []).map(validCorsOrigin);
  const host = options.host ?? '127.0.0.1';
  const retry = retryPolicy(options);
  const { postgresPoolSize, claimRecheckMs } = options;
  if (postgresPoolSize !== undefined) integerOption('postgresPoolSize', postgresPoolSize, 1, 1000);
  const streams = streamLimits(options);
  const timeouts = httpTimeouts(options);
  if (claimRecheckMs !== undefined) integerOption('claimRecheckMs', claimRecheckMs, 1, 3_600_000);
  const maxScopeCopyBytes = integerOption(
    'maxScopeCopyBytes',
    options.maxScopeCopyBytes ?? DEFAULT_MAX_SCOPE_COPY_BYTES,
    1,
    Number.MAX_SAFE_INTEGER,
  );
  const database = options.database ?? ':memory:';
  const location =
    typeof database === 'string' ? parseDatabaseLocation(database, 'database') : database;
  if (location.kind === 'sqlite-file') {
    prepareSqliteFile(location.path, options.createDatabaseDir ?? false, {
      source: 'database',
      createDirHint: 'createDatabaseDir: true',
    });
  }
  const store = await openStore(location, { postgresPoolSize });
  const clock = new DatabaseClock(store, options.instanceClock);
  try {
    await migrate(store);
    await clock.sync();
  } catch (error) {
    await store.close();
    if (error instanceof DatabaseUnavailableError) {
      // Name the database (password masked), as every other refusal at start does.
      throw new DatabaseLocationError(
        `database ${describeDatabaseLocation(location)}: ${error.message}`,
        { cause: error },
      );
    }
    throw error;
  }
  const testMode = options.testMode ?? false;
  const claimWaiters = new ClaimWaiters(options.claimRecheckMs);
  let wakeups: PostgresWakeups | undefined;
  if (location.kind === 'postgres') {
    try {
      wakeups = await PostgresWakeups.start(
        location.url,
        (scope) => claimWaiters.wake(scope),
        logger,
      );
    } catch (error) {
      await store.close();
      throw error;
    }
  }
  const events = new ScopeEvents(streams);
  events.observe(({ scope }) => {
    claimWaiters.wake(scope);
    wakeups?.announce(scope);
  });
  const services: Services = {
    store,
    events,
    claimWaiters,
    clocks: new ScopeClocks(clock.now),
    retry,
    faults: testMode ? new FaultRules() : undefined,
    maxScopeCopyBytes,
  };
  const app = createApp(
    services,
    {
      defaultScope,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      maxJsonDepth: options.maxJsonDepth,
      version: SERVER_VERSION,
      testMode,
      auth,
      adminKey: options.adminKey,
      openRegistration: options.openRegistration ?? false,
      corsOrigins,
      loopbackOnly: isLoopbackHost(host),
      legacyUnscopedIds: options.legacyUnscopedIds ?? false,
    },
    logger,
  );
  return {
    app,
    services,
    store,
    logger,
    host,
    port,
    location,
    testMode,
    auth,
    scopeTtl,
    timeouts,
    syncClock: () => clock.sync(),
    endHolds: () => {
      services.faults?.close();
      services.events.close();
      claimWaiters.close();
    },
    closeDatabase: async () => {
      await wakeups?.close();
      await store.close();
    },
  };
}

/**
 * Opens the database, applies migrations, and serves the API until `close()`. Options that
 * cannot work are refused before the database is created or touched.
 *
 * @throws TypeError for an invalid option (port outside 0–65535, short admin key, unknown auth
 *   mode, bad scope name or time-to-live rule, an event-stream limit that is not a positive
 *   integer, an HTTP timeout outside 1 ms–1 h or a request timeout below the headers timeout).
 * @throws DatabaseLocationError for a database location that is not an accepted form, a SQLite
 *   file that cannot be written or whose folder is missing, or a file that is not a database.
 * @throws MigrationDriftError when the database's recorded migrations differ from the shipped ones.
 */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const opened = await openServer(options);
  const { app, services, store, logger, host, port } = opened;
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve(
      {
        fetch: app.fetch,
        port,
        hostname: host,
        serverOptions: nodeServerOptions(opened.timeouts),
      },
      () => resolve(s),
    );
    // Every header is parsed, bounded by the header size limit (16 KiB): Node's default count
    // keeps the first 2,000 and drops the rest without a word, `Content-Encoding` and `Origin`
    // among them.
    (s as HttpServer).maxHeadersCount = 0;
    s.once('error', reject);
  }).catch(async (error: NodeJS.ErrnoException) => {
    await opened.closeDatabase();
    throw new Error(`cannot listen on ${host}:${port}: ${error.message}`, {
      cause: error,
    });
  });
  const sweeper = startBackgroundSweep(
    services,
    options.leaseSweepSeconds ?? 15,
    logger,
    opened.scopeTtl,
    opened.syncClock,
  );
  const { port: boundPort } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${boundPort}`;
  logger.info(
    {
      url,
      dialect: store.dialect,
      database: describeDatabaseLocation(opened.location),
      testMode: opened.testMode,
      auth: opened.auth,
    },
    'octopoid server listening',
  );

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      opened.endHolds();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await sweeper.stop();
      await opened.closeDatabase();
    })();
    return closing;
  };
  return { url, port: boundPort, store, close, [Symbol.asyncDispose]: close };
}

/**
 * The server of `startServer(options)` without its socket and its background sweep: the same
 * checks, database, migrations, middleware and routes, answering the requests handed to
 * `fetch`. For tests of the HTTP layer that need no socket, or to mount the API in another
 * server. `port` and the HTTP timeouts are checked but unused; `host` still decides the `Host`
 * check (loopback only).
 *
 * @throws as `startServer`, except for the socket.
 */
export async function createServerApp(options: ServerOptions = {}): Promise<ServerApp> {
  const opened = await openServer(options);
  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      opened.endHolds();
      await opened.closeDatabase();
    })();
    return closing;
  };
  return { fetch: opened.app.fetch, store: opened.store, close, [Symbol.asyncDispose]: close };
}
