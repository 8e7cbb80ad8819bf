import { z } from '@hono/zod-openapi';
import {
  jsonTextInput,
  Limit,
  Offset,
  opaqueJsonText,
  PAGE_FIELDS,
  ScopeName,
  Timestamp,
  TimestampInput,
  textOrDefault,
} from './common.js';
import { ACTION_STATUSES } from './constants.js';

/**
 * Glossary: an action is a proposal bound to an entity (a task, project, draft, or anything a
 * client names). A human executes it (`execute_requested`); the handler that carries it out
 * reports `completed` or `failed`.
 */
export const ActionStatus = z.enum(ACTION_STATUSES);
export type ActionStatus = z.infer<typeof ActionStatus>;

const jsonText = (description: string) => z.string().nullable().openapi({ description });

export const Action = z
  .object({
    id: z.string().openapi({ example: 'act-1767225600000-k3x9qz' }),
    scope: z.string(),
    entity_type: z.string(),
    entity_id: z.string(),
    action_type: z.string(),
    label: z.string(),
    description: z.string().nullable(),
    status: ActionStatus,
    proposed_by: z.string(),
    proposed_at: Timestamp,
    executed_at: Timestamp.nullable(),
    expires_at: Timestamp.nullable(),
    result: z.string().nullable().openapi({ description: 'Opaque text (objects as JSON text)' }),
    metadata: jsonText('JSON object as text'),
    action_data: jsonText('JSON object as text, e.g. button definitions'),
  })
  .openapi('Action');
export type Action = z.infer<typeof Action>;

/** `result` is opaque text; any other JSON value is stored as its JSON encoding. */
const ActionResultInput = opaqueJsonText('The outcome');

export const ActionCreate = z
  .object({
    entity_type: z.string().min(1).max(64).openapi({ description: 'e.g. task, project, draft' }),
    entity_id: z.string().min(1).max(200).openapi({
      description: 'A reference only: the entity is not looked up (it may live elsewhere)',
    }),
    label: z.string().min(1).max(1000),
    proposed_by: textOrDefault(z.string().min(1).max(200), 'unknown'),
    action_type: textOrDefault(z.string().min(1).max(128), 'proposal'),
    description: z.string().nullish(),
    expires_at: TimestampInput.nullish(),
    metadata: jsonTextInput(z.unknown(), 'any JSON value').nullish(),
    action_data: jsonTextInput(z.unknown(), 'any JSON value, e.g. {buttons: [...]}').nullish(),
  })
  .openapi('ActionCreate');
export type ActionCreate = z.infer<typeof ActionCreate>;
export type ActionCreateInput = z.input<typeof ActionCreate>;

export const ActionPatch = z
  .object({ status: ActionStatus.optional(), result: ActionResultInput.optional() })
  .openapi('ActionPatch');
export type ActionPatch = z.infer<typeof ActionPatch>;
export type ActionPatchInput = z.input<typeof ActionPatch>;

/** The body of complete and fail: what the handler reports. */
export const ActionOutcome = z
  .object({ result: ActionResultInput.optional() })
  .openapi('ActionOutcome');
export type ActionOutcome = z.infer<typeof ActionOutcome>;
export type ActionOutcomeInput = z.input<typeof ActionOutcome>;

export const ActionListQuery = z.object({
  scope: ScopeName.optional(),
  entity_type: z.string().optional(),
  entity_id: z.string().optional(),
  status: z.string().optional().openapi({
    description: 'One status; a value outside the enum matches nothing',
  }),
  limit: Limit,
  offset: Offset,
});
export type ActionListQuery = z.infer<typeof ActionListQuery>;

export const ActionList = z
  .object({
    actions: z.array(Action),
    ...PAGE_FIELDS,
  })
  .openapi('ActionList');
export type ActionList = z.infer<typeof ActionList>;
