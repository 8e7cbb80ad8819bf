import { z } from '@hono/zod-openapi';

/**
 * Glossary of the scope event stream (`GET /api/v1/events`, server-sent events):
 * - `ready`: the first event, naming the scope the stream is bound to (a key's scope when the
 *   request named none).
 * - `change`: a write of the scope succeeded; `method` and `path` name the request. Readers
 *   re-read what they show rather than patching it from the event.
 * The stream is not in the OpenAPI document (an endless body has no schema there); these
 * schemas type its events for the server and its readers.
 */

/** Data of the `ready` event. */
export const ScopeReadyEvent = z.object({ scope: z.string() });
export type ScopeReadyEvent = z.infer<typeof ScopeReadyEvent>;

/** Data of a `change` event. */
export const ScopeChangeEvent = z.object({
  scope: z.string(),
  method: z.string().openapi({ example: 'POST' }),
  path: z.string().openapi({ example: '/api/v1/tasks/t-1/submit' }),
  at: z.string().openapi({ description: 'Server time of the change, ISO-8601 UTC' }),
});
export type ScopeChangeEvent = z.infer<typeof ScopeChangeEvent>;
