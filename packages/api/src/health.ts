import { z } from '@hono/zod-openapi';

export const Health = z
  .object({
    status: z.enum(['healthy', 'unhealthy']),
    version: z.string(),
    timestamp: z.string(),
    // `read-only`: the database answers but would refuse writes (the server is not ready).
    database: z.enum(['connected', 'read-only', 'disconnected']),
    dialect: z.enum(['sqlite', 'postgres']),
  })
  .openapi('Health');
export type Health = z.infer<typeof Health>;

export const ServerInfo = z
  .object({ name: z.string(), version: z.string(), endpoints: z.array(z.string()) })
  .openapi('ServerInfo');
export type ServerInfo = z.infer<typeof ServerInfo>;
