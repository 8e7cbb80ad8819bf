/**
 * The kit for vitest: the `test` fixtures (`scopedSdk`, `scope`, `serverUrl`) with `describe` and
 * `expect`, servers and databases of a test's own on the project's backend, plus everything of
 * the package root, so a test file needs one import. Its `globalSetup` is
 * `@octopoid/testing/global-setup`.
 */
export { describe, expect, type OctopoidFixtures, type TestScope, test } from './fixtures.js';
export { type InProcessServer, startInProcessServer } from './in-process-server.js';
export * from './index.js';
export { type PrivateServer, startPrivateServer, testDatabase } from './private-server.js';
