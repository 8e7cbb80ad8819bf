export type * from '@octopoid/api';
export { OctopoidConnectionError, OctopoidError, OctopoidTimeoutError } from './errors.js';
export type { TaskListFilters } from './resources/tasks.js';
export { OctopoidSDK, type OctopoidSDKOptions } from './sdk.js';
export type { Fetch, TransportOptions } from './transport.js';
