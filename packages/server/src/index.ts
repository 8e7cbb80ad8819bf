export { ScopeClocks } from './domain/scope-clocks.js';
export { ApiError } from './errors.js';
export { createApp } from './http/app.js';
export type { Logger, LogLevel } from './logger.js';
export {
  createServerApp,
  type RunningServer,
  type ServerApp,
  type ServerOptions,
  startServer,
} from './start-server.js';
export {
  type DatabaseLocation,
  DatabaseLocationError,
  describeDatabaseLocation,
  parseDatabaseLocation,
} from './store/location.js';
export { MigrationDriftError } from './store/migrator.js';
export { SERVER_VERSION } from './version.js';
