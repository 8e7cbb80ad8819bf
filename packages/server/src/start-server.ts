import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { startBackgroundSweep } from './background-sweep.js';
import { MIN_ADMIN_KEY_LENGTH } from './domain/auth/admin.js';
import { AUTH_MODES, type AuthMode, DEFAULT_AUTH_MODE } from './domain/auth/mode.js';
import { FaultRules } from './domain/faults.js';
import { validateScopeName } from './domain/scope.js';
import { ScopeClocks } from './domain/scope-clocks.js';
import { ClaimReplays } from './domain/tasks/claim-replays.js';
import { createApp } from './http/app.js';
import { validCorsOrigin } from './http/middleware/browser-origin.js';
import { isLoopbackHost } from './http/middleware/loopback-host.js';
import { createLogger, type Logger, type LogLevel } from './logger.js';
import { type ScopeTtlRule, validScopeTtl } from './scope-ttl.js';
import { migrations } from './store/migrations/index.js';
import { migrate } from './store/migrator.js';
import { openStore, type Store } from './store/store.js';
import { SERVER_VERSION } from './version.js';

export interface ServerOptions {
  /** TCP port; 0 picks a free one. Default 8787. */
  port?: number;
  /** Interface to bind. Default 127.0.0.1. */
  host?: string;
  /** `:memory:`, a SQLite file path, or a `postgres://` URL. Default `:memory:`. */
  database?: string;
  /** Seconds between lease sweeps. Default 15. */
  leaseSweepSeconds?: number;
  /** Scope for requests that name none. Off by default: such requests get a 400. */
  defaultScope?: string;
  /** Largest request body in bytes. Default 1 MiB. */
  maxBodyBytes?: number;
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
  logLevel?: LogLevel;
  logger?: Logger;
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

/** Opens the database, applies migrations, and serves the API until `close()`. */
export async function startServer(options: ServerOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(options.logLevel ?? 'info');
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
  const store = await openStore(options.database ?? ':memory:');
  try {
    await migrate(store, migrations);
  } catch (error) {
    await store.close();
    throw error;
  }
  const testMode = options.testMode ?? false;
  const services = {
    store,
    clocks: new ScopeClocks(),
    faults: testMode ? new FaultRules() : undefined,
    claimReplays: new ClaimReplays(),
  };
  const app = createApp(
    services,
    {
      defaultScope,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
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
  const server = await new Promise<ReturnType<typeof serve>>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port: options.port ?? 8787, hostname: host }, () =>
      resolve(s),
    );
    s.once('error', reject);
  }).catch(async (error: unknown) => {
    await store.close();
    throw error;
  });
  const sweeper = startBackgroundSweep(services, options.leaseSweepSeconds ?? 15, logger, scopeTtl);
  const { port } = server.address() as AddressInfo;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  logger.info({ url, dialect: store.dialect, testMode, auth }, 'octopoid server listening');

  let closing: Promise<void> | undefined;
  const close = () => {
    closing ??= (async () => {
      services.faults?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        if ('closeIdleConnections' in server) server.closeIdleConnections();
      });
      await sweeper.stop();
      await store.close();
    })();
    return closing;
  };
  return { url, port, store, close, [Symbol.asyncDispose]: close };
}
