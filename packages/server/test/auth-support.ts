import { API_KEY_PATTERN, type OrchestratorRegisterInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { type RunningServer, type ServerOptions, startServer } from '@octopoid/server';
import { createFreshPostgresDatabase, expect, FRESH_POSTGRES } from '@octopoid/testing/vitest';
import { inject } from 'vitest';

/** A registration body for machine `machineId` of cluster `prod`; `extra` overrides fields. */
export const machine = (
  machineId: string,
  extra: Partial<OrchestratorRegisterInput> = {},
): OrchestratorRegisterInput => ({
  cluster: 'prod',
  machine_id: machineId,
  repo_url: 'https://example.com/repo.git',
  ...extra,
});

/**
 * Registers the scope's first orchestrator (`prod-<machineId>`), which issues the scope's key;
 * resolves the key and a client of the same scope that sends it.
 */
export async function registerFirst(
  sdk: OctopoidSDK,
  machineId = 'm1',
): Promise<{ apiKey: string; keyed: OctopoidSDK }> {
  const registered = await sdk.orchestrators.register(machine(machineId));
  expect(registered.api_key).toMatch(API_KEY_PATTERN);
  const apiKey = registered.api_key as string;
  return { apiKey, keyed: sdk.withApiKey(apiKey) };
}

export const bearer = (apiKey: string) => ({ authorization: `Bearer ${apiKey}` });

export const ADMIN_KEY = 'admin-0123456789abcdef0123456789abcdef';

const POSTGRES_ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * A database on the storage backend of the running vitest project: `:memory:` for SQLite, a
 * fresh PostgreSQL database (dropped by `drop`) for the `postgres` project.
 */
export async function projectDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  if (inject('octopoidDatabase') !== FRESH_POSTGRES)
    return { url: ':memory:', drop: async () => {} };
  return createFreshPostgresDatabase(POSTGRES_ADMIN_URL);
}

/**
 * Runs `check` against a server of its own in `required` mode with the admin key, on the
 * project's backend; `options` override the defaults. Closes the server and drops the database.
 */
export async function withRequiredServer(
  options: Omit<ServerOptions, 'database'>,
  check: (server: RunningServer) => Promise<void>,
  database?: { url: string; drop(): Promise<void> },
): Promise<void> {
  const db = database ?? (await projectDatabase());
  const server = await startServer({
    port: 0,
    auth: 'required',
    adminKey: ADMIN_KEY,
    logLevel: 'silent',
    ...options,
    database: db.url,
  });
  try {
    await check(server);
  } finally {
    await server.close();
    if (!database) await db.drop();
  }
}
