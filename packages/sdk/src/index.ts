export type * from '@octopoid/api';
export { OctopoidConnectionError, OctopoidError, OctopoidTimeoutError } from './errors.js';
export type { ActionListFilters } from './resources/actions.js';
export type { DraftListFilters } from './resources/drafts.js';
export type { FlowListPage } from './resources/flows.js';
export type { MessageListFilters, MessagePage } from './resources/messages.js';
export type { OrchestratorListFilters } from './resources/orchestrators.js';
export type { ProjectListFilters, ProjectTasksPage } from './resources/projects.js';
export type { RoleListPage } from './resources/roles.js';
export type { ScopeListPage } from './resources/scopes.js';
export type { TaskHistoryPage, TaskListFilters } from './resources/tasks.js';
export type {
  ClockDuration,
  ClockResource,
  FaultRuleSpec,
  FaultsResource,
  TestModeResource,
} from './resources/test-mode.js';
export { OctopoidSDK, type OctopoidSDKOptions } from './sdk.js';
export type { CallOptions, Fetch, TransportOptions } from './transport.js';
