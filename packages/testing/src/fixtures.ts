import { OctopoidSDK } from '@octopoid/sdk';
import { test as base, inject } from 'vitest';
import { scopeForTest } from './scope-name.js';

export interface OctopoidFixtures {
  /** Base URL of the run's server. */
  serverUrl: string;
  /** A client bound to a fresh scope of its own. Purged after a passing test; kept after a failing one. */
  scopedSdk: OctopoidSDK;
}

export const test = base.extend<OctopoidFixtures>({
  serverUrl: async ({}, use) => {
    await use(inject('octopoidServerUrl'));
  },
  scopedSdk: async ({ serverUrl, task }, use) => {
    const sdk = new OctopoidSDK({ serverUrl, scope: scopeForTest(task.name) });
    await use(sdk);
    if (task.result?.state === 'fail') {
      console.error(
        `octopoid: kept scope ${sdk.scope} of failed test "${task.name}"; inspect it with\n` +
          `  curl '${serverUrl}/api/v1/tasks?scope=${sdk.scope}'`,
      );
    } else {
      await sdk.scopes.purge();
    }
  },
});

export { describe, expect } from 'vitest';
