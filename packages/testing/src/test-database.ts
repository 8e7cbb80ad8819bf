import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createFreshPostgresDatabase } from './postgres.js';
import { DEFAULT_POSTGRES_URL, FRESH_POSTGRES, type TestKitEnv } from './run-server.js';

/** The storage backend a database location is on. */
export type Backend = 'sqlite' | 'postgres';

/** A database of one test's own; `await using` drops it at the end of the block. */
export interface TestDatabase {
  backend: Backend;
  /** `:memory:`, a SQLite file path, or a `postgres://` URL: a server's `database` option. */
  url: string;
  /** Drops it: the PostgreSQL database, or the SQLite file's folder. Idempotent. */
  drop(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface TestDatabaseOptions {
  /**
   * On SQLite, a file in a new temporary folder instead of `:memory:`, so that a second server
   * (a restart) finds the data. PostgreSQL databases always outlive their server until dropped.
   */
  persistent?: boolean;
}

/** The backend of a run's database location (`postgres:fresh`, a `postgres://` URL, or SQLite). */
export function backendOf(location: string | undefined): Backend {
  if (location === FRESH_POSTGRES || /^postgres(ql)?:\/\//i.test(location ?? '')) return 'postgres';
  return 'sqlite';
}

/**
 * Creates an empty database of a test's own on the backend of `runLocation` (the run's database
 * location, as in `provide: { octopoidDatabase }` or `OCTOPOID_TEST_DATABASE`): a fresh PostgreSQL
 * database on `OCTOPOID_TEST_POSTGRES_URL` (default the local server) when the run is on
 * PostgreSQL, else SQLite. Never the run's own database: a private server shares no state.
 *
 * @throws Error when the run is on PostgreSQL and its server cannot be reached.
 */
export async function createTestDatabase(
  runLocation: string | undefined,
  env: TestKitEnv,
  options: TestDatabaseOptions = {},
): Promise<TestDatabase> {
  if (backendOf(runLocation) === 'postgres') {
    const fresh = await createFreshPostgresDatabase(
      env.OCTOPOID_TEST_POSTGRES_URL || DEFAULT_POSTGRES_URL,
    );
    return disposable('postgres', fresh.url, fresh.drop);
  }
  if (!options.persistent) return disposable('sqlite', ':memory:', async () => {});
  const dir = await mkdtemp(join(tmpdir(), 'octopoid-test-'));
  return disposable('sqlite', join(dir, 'octopoid.db'), () =>
    rm(dir, { recursive: true, force: true }),
  );
}

function disposable(backend: Backend, url: string, remove: () => Promise<void>): TestDatabase {
  let dropped: Promise<void> | undefined;
  const drop = () => {
    dropped ??= remove();
    return dropped;
  };
  return { backend, url, drop, [Symbol.asyncDispose]: drop };
}
