import { API_KEY_PATTERN, type OrchestratorRegisterInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import type { RunningServer, ServerOptions } from '@octopoid/server';
import {
  expect,
  type InProcessServer,
  startInProcessServer,
  startPrivateServer,
  type TestDatabase,
} from '@octopoid/testing/vitest';

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

/** `required` mode with the admin key; `options` override these. */
const requiredMode = (options: Omit<ServerOptions, 'database'>) => ({
  auth: 'required' as const,
  adminKey: ADMIN_KEY,
  ...options,
});

/**
 * Runs `check` against a server of its own in `required` mode with the admin key, on the
 * project's backend; `options` override the defaults. Closes the server, and drops its database
 * unless `database` was given.
 */
export async function withRequiredServer(
  options: Omit<ServerOptions, 'database'>,
  check: (server: RunningServer) => Promise<void>,
  database?: TestDatabase,
): Promise<void> {
  await using server = await startPrivateServer(requiredMode(options), database);
  await check(server);
}

/**
 * `withRequiredServer` answering in process (see `startInProcessServer`), for checks of who may
 * do what, which the middleware and the routes answer without needing a socket.
 */
export async function withRequiredApp(
  options: Omit<ServerOptions, 'database'>,
  check: (server: InProcessServer) => Promise<void>,
  database?: TestDatabase,
): Promise<void> {
  await using server = await startInProcessServer(requiredMode(options), database);
  await check(server);
}
