export { describe, expect, type OctopoidFixtures, type TestScope, test } from './fixtures.js';
export * from './server.js';
