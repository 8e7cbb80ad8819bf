/**
 * The testing kit without a test runner: servers for a run or a test, scope names, waits, the
 * transport mock. Importable from any script or runner; the vitest fixtures are in
 * `@octopoid/testing/vitest`.
 */
export { everyPage, type ListPage } from './every-page.js';
export { type KeptData, type KeptScope, keptScopeMessage } from './kept-scope.js';
export { type KeptServer, keptServerMessage, startKeptServer } from './kept-server.js';
export {
  createMockFetch,
  type MockCall,
  type MockFetch,
  type MockReply,
  type MockRoute,
  mockReplies,
} from './mock-fetch.js';
export { createFreshPostgresDatabase, type FreshDatabase } from './postgres.js';
export { assertLoopbackUrl } from './remote-guard.js';
export {
  DEFAULT_POSTGRES_URL,
  FRESH_POSTGRES,
  type RunServer,
  serverForRun,
  type TestKitEnv,
} from './run-server.js';
export { scopeForTest } from './scope-name.js';
export { serverBin } from './server-bin.js';
export { startTestServer, type TestServer, type TestServerOptions } from './start-test-server.js';
export {
  type Backend,
  backendOf,
  createTestDatabase,
  type TestDatabase,
  type TestDatabaseOptions,
} from './test-database.js';
export {
  DEFAULT_WAIT_TIMEOUT_MS,
  type WaitForTaskOptions,
  type WaitOptions,
  WaitTimeoutError,
  waitFor,
  waitForQueueCount,
  waitForTask,
} from './wait-for.js';
