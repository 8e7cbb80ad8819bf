import { type ClockResource, type FaultsResource, OctopoidSDK } from '@octopoid/sdk';
import { test as base, inject } from 'vitest';
import { keptScopeMessage } from './kept-scope.js';
import { scopeForTest } from './scope-name.js';

/** The test-mode controls of the test's own scope. */
export interface TestScope {
  /** The scope's name, the one `scopedSdk` sends. */
  name: string;
  /** Fault rules: matching requests of this scope answer an error, or are delayed. */
  faults: FaultsResource;
  /** This scope's clock: advancing it expires this scope's leases and no one else's. */
  clock: ClockResource;
}

export interface OctopoidFixtures {
  /** Base URL of the run's server. */
  serverUrl: string;
  /** A client bound to a fresh scope of its own. Purged after a passing test; kept after a failing one. */
  scopedSdk: OctopoidSDK;
  /** Fault rules and the clock of `scopedSdk`'s scope. */
  scope: TestScope;
}

function runServerUrl(): string {
  const url = inject('octopoidServerUrl');
  if (!url) {
    throw new Error(
      "no Octopoid server for this run: add '@octopoid/testing/global-setup' to test.globalSetup in your vitest config",
    );
  }
  return url;
}

export const test = base.extend<OctopoidFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  serverUrl: async ({}, use) => {
    await use(runServerUrl());
  },
  scopedSdk: async ({ serverUrl, task }, use) => {
    const scope = scopeForTest(task.name);
    const sdk = new OctopoidSDK({ serverUrl, scope });
    await use(sdk);
    if (task.result?.state === 'fail') {
      const data = inject('octopoidKeptData') ?? { until: 'server-stops' };
      console.error(keptScopeMessage({ scope, testName: task.name, serverUrl, data }));
    } else {
      await sdk.scopes.purge();
    }
  },
  scope: async ({ scopedSdk, task }, use) => {
    const { faults, clock } = scopedSdk.testMode;
    await use({ name: scopedSdk.scope as string, faults, clock });
    if (task.result?.state === 'fail') {
      // A kept scope is there to be looked at; armed rules would answer the inspection instead.
      // The test has failed already, so an unreachable server here adds nothing worth reporting.
      await faults.clear().catch(() => 0);
    }
  },
});

export { describe, expect } from 'vitest';
