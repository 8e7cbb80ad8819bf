import { z } from '@hono/zod-openapi';
import {
  jsonTextInput,
  opaqueJsonText,
  PAGE_FIELDS,
  ScopeName,
  Timestamp,
  WholeListPage,
} from './common.js';
import { MAX_LIST_LENGTH } from './constants.js';
import { QueueName } from './tasks.js';

export const FlowName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,128}$/, 'must be 1-128 characters of letters, digits and _.:-');

/** `from` and `to` are interpreted; other keys (agent, runs, conditions) are stored as given. */
export const FlowTransition = z
  .looseObject({ from: QueueName, to: QueueName })
  .openapi('FlowTransition');
export type FlowTransition = z.infer<typeof FlowTransition>;

const States = z
  .array(QueueName)
  .max(MAX_LIST_LENGTH)
  .min(1, 'must name at least one queue')
  .refine((states) => new Set(states).size === states.length, 'must not repeat a queue');

/**
 * States and transitions arrive as arrays (or their JSON text) and are stored as JSON text.
 * `child_flow` is the flow of a project's child tasks: clients send it as an object
 * (`{transitions: [...]}`), stored as its JSON text and never interpreted; text is kept as given.
 */
export const FlowRegister = z
  .object({
    states: jsonTextInput(States, 'a non-empty array of distinct queue names'),
    transitions: jsonTextInput(
      z.array(FlowTransition).max(MAX_LIST_LENGTH),
      'an array of {from, to} objects',
    ).default('[]'),
    description: z.string().max(10000).nullish(),
    child_flow: opaqueJsonText('The flow of child tasks, e.g. {"transitions": [...]}').optional(),
  })
  .openapi('FlowRegister');
export type FlowRegister = z.infer<typeof FlowRegister>;

export const Flow = z
  .object({
    name: z.string(),
    scope: z.string(),
    states: z.string().openapi({ description: 'JSON array of queue names as text' }),
    transitions: z.string().openapi({ description: 'JSON array of {from, to, …} as text' }),
    description: z.string().nullable(),
    child_flow: z.string().nullable().openapi({ description: 'As sent: JSON text or a name' }),
    registered_at: Timestamp,
    updated_at: Timestamp,
  })
  .openapi('Flow');
export type Flow = z.infer<typeof Flow>;

export const FlowListQuery = WholeListPage.extend({ scope: ScopeName.optional() });
export type FlowListQuery = z.infer<typeof FlowListQuery>;

export const FlowList = z
  .object({
    flows: z.array(Flow),
    ...PAGE_FIELDS,
  })
  .openapi('FlowList');
export type FlowList = z.infer<typeof FlowList>;

export const FlowDeleted = z
  .object({ message: z.string(), name: z.string(), scope: ScopeName })
  .openapi('FlowDeleted');
export type FlowDeleted = z.infer<typeof FlowDeleted>;

export type FlowRegisterInput = z.input<typeof FlowRegister>;
