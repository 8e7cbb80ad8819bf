export { describe, expect, type OctopoidFixtures, test } from './fixtures.js';
export { assertLoopbackUrl } from './remote-guard.js';
export { scopeForTest } from './scope-name.js';
export { startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
