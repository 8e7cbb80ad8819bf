import { z } from '@hono/zod-openapi';
import { ScopeName } from './common.js';

export const SchedulerPollQuery = z.object({
  scope: ScopeName.optional(),
  orchestrator_id: z.string().optional(),
});
export type SchedulerPollQuery = z.infer<typeof SchedulerPollQuery>;

export const ProvisionalTaskSummary = z
  .object({
    id: z.string(),
    hooks: z.string().nullable().openapi({ description: 'JSON array of hooks as text' }),
    pr_number: z.number().int().nullable(),
    claimed_by: z.string().nullable(),
  })
  .openapi('ProvisionalTaskSummary');
export type ProvisionalTaskSummary = z.infer<typeof ProvisionalTaskSummary>;

/** Everything a scheduler tick needs from one scope, in one request. */
export const SchedulerPoll = z
  .object({
    queue_counts: z.record(z.string(), z.number().int()).openapi({
      description: 'Tasks per queue: incoming, claimed and provisional always, plus every other',
      example: { incoming: 3, claimed: 1, provisional: 0 },
    }),
    provisional_tasks: z.array(ProvisionalTaskSummary),
    orchestrator_registered: z.boolean().openapi({
      description: 'The orchestrator_id is registered in this scope',
    }),
    scope: z.string(),
    flows: z.record(z.string(), z.object({ states: z.array(z.string()) })).openapi({
      description: 'The scope’s registered flows by name',
    }),
  })
  .openapi('SchedulerPoll');
export type SchedulerPoll = z.infer<typeof SchedulerPoll>;
