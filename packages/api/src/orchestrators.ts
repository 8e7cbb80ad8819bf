import { z } from '@hono/zod-openapi';
import { ApiKey } from './auth.js';
import {
  CommaList,
  jsonTextInput,
  PAGE_FIELDS,
  ScopeName,
  Timestamp,
  WholeListPage,
} from './common.js';
import { ORCHESTRATOR_STATUSES, STALE_HEARTBEAT_SECONDS } from './constants.js';

/**
 * Glossary: an orchestrator is one machine running agents for a scope. Its id is
 * `<cluster>-<machine_id>`; it stays `active` while it heartbeats and turns `offline` after
 * {@link STALE_HEARTBEAT_SECONDS} without one. `maintenance` is set by an operator.
 */
export const OrchestratorStatus = z.enum(ORCHESTRATOR_STATUSES);
export type OrchestratorStatus = z.infer<typeof OrchestratorStatus>;

/** Parts of the id, which travels in URL paths: no separators or spaces. */
const IdPart = z
  .string()
  .min(1)
  .max(100)
  .regex(/^[^\s/?#%\\]+$/, 'must not contain whitespace or / ? # % \\');

export const Orchestrator = z
  .object({
    id: z.string().openapi({ example: 'prod-machine-7' }),
    scope: z.string(),
    cluster: z.string(),
    machine_id: z.string(),
    repo_url: z.string().nullable(),
    hostname: z.string().nullable(),
    version: z.string().nullable(),
    capabilities: z.string().nullable().openapi({ description: 'JSON value as text' }),
    status: OrchestratorStatus,
    registered_at: Timestamp,
    last_heartbeat: Timestamp,
  })
  .openapi('Orchestrator');
export type Orchestrator = z.infer<typeof Orchestrator>;

export const OrchestratorRegister = z
  .object({
    cluster: IdPart,
    machine_id: IdPart,
    repo_url: z.string().max(2000).nullish(),
    hostname: z.string().max(255).nullish(),
    version: z.string().max(100).nullish(),
    capabilities: jsonTextInput(z.unknown(), 'any JSON value, usually an object').nullish(),
  })
  .openapi('OrchestratorRegister');
export type OrchestratorRegister = z.infer<typeof OrchestratorRegister>;

export const OrchestratorRegistered = z
  .object({
    orchestrator_id: z.string(),
    registered_at: Timestamp.openapi({ description: 'When the orchestrator first registered' }),
    status: OrchestratorStatus,
    api_key: ApiKey.optional().openapi({
      description: "Only on the scope's first registration: the scope's new API key",
    }),
  })
  .openapi('OrchestratorRegistered');
export type OrchestratorRegistered = z.infer<typeof OrchestratorRegistered>;

/** Clients may send `{timestamp}`; it is ignored, the server's clock is used. */
export const OrchestratorHeartbeat = z.object({}).openapi('OrchestratorHeartbeat');

export const HeartbeatRecorded = z
  .object({ success: z.literal(true), last_heartbeat: Timestamp })
  .openapi('HeartbeatRecorded');
export type HeartbeatRecorded = z.infer<typeof HeartbeatRecorded>;

export const OrchestratorListQuery = WholeListPage.extend({
  scope: ScopeName.optional(),
  cluster: z.string().optional(),
  status: CommaList.optional().openapi({
    description: 'Comma-separated statuses; a value outside the enum matches nothing',
    example: 'active,maintenance',
  }),
});
export type OrchestratorListQuery = z.infer<typeof OrchestratorListQuery>;

export const OrchestratorList = z
  .object({
    orchestrators: z.array(Orchestrator),
    ...PAGE_FIELDS,
  })
  .openapi('OrchestratorList');
export type OrchestratorList = z.infer<typeof OrchestratorList>;

export const OrchestratorPatch = z
  .object({ status: OrchestratorStatus })
  .openapi('OrchestratorPatch');
export type OrchestratorPatch = z.infer<typeof OrchestratorPatch>;

export type OrchestratorRegisterInput = z.input<typeof OrchestratorRegister>;
