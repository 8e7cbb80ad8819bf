/**
 * The kit for vitest: the `test` fixtures (`scopedSdk`, `scope`, `serverUrl`) with `describe` and
 * `expect`, plus everything of the package root, so a test file needs one import. Its
 * `globalSetup` is `@octopoid/testing/global-setup`.
 */
export { describe, expect, type OctopoidFixtures, type TestScope, test } from './fixtures.js';
export * from './index.js';
