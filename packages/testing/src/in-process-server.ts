import { OctopoidSDK } from '@octopoid/sdk';
import type { ServerApp, ServerOptions } from '@octopoid/server';
import { onTestDatabase } from './private-server.js';
import { loadServer } from './server-module.js';
import type { TestDatabase } from './test-database.js';

/**
 * A server of one test's own that answers in process, without a socket: `fetch` hands the
 * request to the application the server's own `createApp` builds, middleware included.
 */
export interface InProcessServer {
  /** A loopback base URL that no socket serves; requests to it go through `fetch`. */
  url: string;
  /**
   * A fetch (same arguments and answer as `globalThis.fetch`) that the application answers,
   * for the SDK's `fetch` option or raw requests. A request without `Host` gets the URL's, as a
   * client sending it over a socket would add.
   */
  fetch: typeof globalThis.fetch;
  /** A client of `scope` (of no scope when omitted) on this server, sending through `fetch`. */
  sdk(scope?: string): OctopoidSDK;
  store: ServerApp['store'];
  database: TestDatabase;
  /** Closes the application and drops a database it created. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** The base URL of in-process servers: loopback, so the server's `Host` check lets it through. */
const IN_PROCESS_URL = 'http://127.0.0.1';

/**
 * Builds a server of the test's own on the backend the vitest project runs on, as
 * `startPrivateServer` does, but answering in process: for tests of answers given before or
 * without the network (middleware refusals, validation), where a socket adds nothing but races.
 * `options` are `startServer`'s (default: no logs). Without `database`, a fresh one is created
 * and dropped on `close()`.
 *
 * @throws whatever `createServerApp` throws for invalid options; the created database is dropped.
 */
export async function startInProcessServer(
  options: Omit<ServerOptions, 'database'> = {},
  database?: TestDatabase,
): Promise<InProcessServer> {
  const {
    started: app,
    own,
    close,
  } = await onTestDatabase<ServerApp>(database, async (url) =>
    (await loadServer()).createServerApp({ logLevel: 'silent', ...options, database: url }),
  );
  const fetch: typeof globalThis.fetch = async (input, init) => {
    const request = new Request(input, init);
    if (!request.headers.has('host')) request.headers.set('host', new URL(request.url).host);
    return app.fetch(request);
  };
  return {
    url: IN_PROCESS_URL,
    fetch,
    sdk: (scope) =>
      new OctopoidSDK({ serverUrl: IN_PROCESS_URL, fetch, ...(scope ? { scope } : {}) }),
    store: app.store,
    database: own,
    close,
    [Symbol.asyncDispose]: close,
  };
}
