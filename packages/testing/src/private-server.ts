import type { RunningServer, ServerOptions } from '@octopoid/server';
import { inject } from 'vitest';
import { loadServer } from './server-module.js';
import {
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js';

/** A server of one test's own; `close()` (or `await using`) also drops a database it created. */
export interface PrivateServer extends RunningServer {
  database: TestDatabase;
}

/** The run's database location: the vitest project's `provide`, else `OCTOPOID_TEST_DATABASE`. */
const runLocation = () => inject('octopoidDatabase') || process.env.OCTOPOID_TEST_DATABASE;

/**
 * An empty database of the test's own on the backend the vitest project runs on (see
 * `createTestDatabase`): what a test starting its own servers passes to `startPrivateServer`.
 *
 * @throws Error when the project runs on PostgreSQL and its server cannot be reached.
 */
export function testDatabase(options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  return createTestDatabase(runLocation(), process.env, options);
}

/**
 * Starts a server of the test's own, for options the run's shared server cannot have (auth
 * modes, sweeps, time-to-live rules, legacy ids…), on the backend the vitest project runs on, so
 * that a `postgres` project tests them on PostgreSQL. `options` are `startServer`'s; the defaults
 * are a free loopback port and no logs. Without `database`, a fresh one is created and dropped
 * on `close()`; a given one is left for the caller (e.g. to restart on it).
 *
 * @throws whatever `startServer` throws for invalid options; the created database is dropped.
 */
export async function startPrivateServer(
  options: Omit<ServerOptions, 'database'> = {},
  database?: TestDatabase,
): Promise<PrivateServer> {
  const { started, own, close } = await onTestDatabase(database, async (url) =>
    (await loadServer()).startServer({ port: 0, logLevel: 'silent', ...options, database: url }),
  );
  return { ...started, database: own, close, [Symbol.asyncDispose]: close };
}

/**
 * Runs `start` on `database`, or on a fresh database of the project's backend (`testDatabase`)
 * that is dropped when `start` throws or when what it started is closed. Resolves what `start`
 * resolved, the database, and a `close` that closes it and then drops a database made here.
 *
 * @throws what `start` throws, once a database made here is dropped.
 */
export async function onTestDatabase<T extends { close(): Promise<void> }>(
  database: TestDatabase | undefined,
  start: (url: string) => Promise<T>,
): Promise<{ started: T; own: TestDatabase; close: () => Promise<void> }> {
  const own = database ?? (await testDatabase());
  let started: T;
  try {
    started = await start(own.url);
  } catch (error) {
    if (!database) await own.drop();
    throw error;
  }
  const close = async () => {
    await started.close();
    if (!database) await own.drop();
  };
  return { started, own, close };
}
