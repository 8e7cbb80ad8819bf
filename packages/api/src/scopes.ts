import { z } from '@hono/zod-openapi';

export const ScopePurged = z
  .object({
    scope: z.string(),
    deleted: z.record(z.string(), z.number().int()).openapi({
      description: 'Rows deleted per entity table',
    }),
  })
  .openapi('ScopePurged');
export type ScopePurged = z.infer<typeof ScopePurged>;
