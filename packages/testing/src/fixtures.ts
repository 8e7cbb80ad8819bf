import { type ClockResource, type FaultsResource, OctopoidSDK } from '@octopoid/sdk';
import { test as base, inject, type RunnerTestCase } from 'vitest';
import { bindExpectToTest } from './bound-expect.js';
import { type KeptScopeMeta, keptScopeMeta } from './kept-scope.js';
import { RequestTracker } from './request-tracker.js';
import { scopeForTest, type TestIdentity } from './scope-name.js';
import { attemptVerdict } from './verdict.js';
import { bindTestDeadline } from './wait-for.js';

declare module '@vitest/runner' {
  interface TaskMeta {
    /** Set on a failed test whose scope the kit kept: where and how to look at it. */
    octopoid?: KeptScopeMeta;
  }
}

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
  /**
   * A client bound to a fresh scope of its own. Purged when the test passes (by vitest's final
   * verdict: `test.fails`, retries and `onTestFinished` hooks count); kept, with its fault rules
   * and clock cleared, when it fails.
   */
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

function identityOf(task: RunnerTestCase): Required<TestIdentity> {
  const describePath: string[] = [];
  for (let suite = task.suite; suite && suite !== task.file; suite = suite.suite) {
    if (suite.name) describePath.unshift(suite.name);
  }
  return { file: task.file.name, describePath, name: task.name };
}

/** Leaves a kept scope as its test left its data, without the test-mode state that would answer an inspection. */
async function disarm(sdk: OctopoidSDK): Promise<void> {
  // The test has failed already; a server without test mode (or gone) adds nothing worth reporting.
  await Promise.allSettled([sdk.testMode.faults.clear(), sdk.testMode.clock.reset()]);
}

/**
 * Reports a kept scope under its own test: in `task.meta.octopoid` (the JSON reporter's `meta`)
 * and as a note among the test's errors (the default reporter prints them under the test).
 */
function reportKept(task: RunnerTestCase, meta: KeptScopeMeta): void {
  task.meta.octopoid = meta;
  task.result?.errors?.push({ name: 'OctopoidKeptScope', message: meta.message, stack: '' });
}

export const test = base.extend<OctopoidFixtures>({
  // biome-ignore lint/correctness/noEmptyPattern: vitest reads a fixture's dependencies from this pattern
  serverUrl: async ({}, use) => {
    await use(runServerUrl());
  },
  scopedSdk: async ({ serverUrl, task, onTestFinished }, use) => {
    const identity = identityOf(task);
    const scope = scopeForTest(identity);
    const requests = new RequestTracker();
    const sdk = new OctopoidSDK({ serverUrl, scope, fetch: requests.fetch });
    bindTestDeadline(sdk, Date.now(), task.timeout);
    // Registered before the test's own hooks, so it runs after them (vitest runs them as a stack).
    onTestFinished(async () => {
      await requests.settle();
      const cleanup = new OctopoidSDK({ serverUrl, scope });
      if (attemptVerdict(task) !== 'failed') {
        await cleanup.scopes.purge();
        return;
      }
      await disarm(cleanup);
      const testName = [identity.file, ...identity.describePath, identity.name].join(' > ');
      const data = inject('octopoidKeptData') ?? { until: 'server-stops' };
      reportKept(task, keptScopeMeta({ scope, testName, serverUrl, data }));
    });
    await use(sdk);
  },
  scope: async ({ scopedSdk }, use) => {
    const { faults, clock } = scopedSdk.testMode;
    await use({ name: scopedSdk.scope as string, faults, clock });
  },
});

bindExpectToTest(test);

export { describe } from 'vitest';
export { expect } from './bound-expect.js';
