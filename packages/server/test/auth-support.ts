import { API_KEY_PATTERN, type OrchestratorRegisterInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { expect } from '@octopoid/testing/vitest';

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
