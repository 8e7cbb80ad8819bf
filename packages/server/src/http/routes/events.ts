import { SCOPE_EVENT_NAMES, type ScopeChangeEvent } from '@octopoid/api';
import { Hono } from 'hono';
import { streamSSE } from 'hono/streaming';
import type { StreamLimitReached } from '../../domain/scope-events.js';
import { ApiError } from '../../errors.js';
import type { AppEnv } from '../env.js';

/** A comment line this often keeps idle proxies from closing a quiet stream. */
const KEEPALIVE_MS = 15_000;

/**
 * Events one stream may hold for a client that does not read them (a change event is a few
 * hundred bytes). Past it the stream is dropped, as a message broker drops a slow subscriber:
 * an unread stream must not grow the server's memory with every write of its scope.
 */
export const MAX_UNSENT_EVENTS = 1_000;

/** What a 429 for too many open streams asks clients to wait, in seconds. */
const RETRY_AFTER_SECONDS = 5;

const LIMIT_NAMES: Record<StreamLimitReached['limit'], string> = {
  perServer: 'max-event-streams',
  perScope: 'max-event-streams-per-scope',
};

const tooManyStreams = (scope: string, { limit, max }: StreamLimitReached) =>
  new ApiError(
    'too_many_streams',
    limit === 'perScope'
      ? `scope ${scope} already has ${max} open event streams (${LIMIT_NAMES[limit]}); close one or retry later`
      : `the server already has ${max} open event streams (${LIMIT_NAMES[limit]}); retry later`,
    [{ field: LIMIT_NAMES[limit], reason: `at most ${max} open event streams` }],
  );

/**
 * `GET /events`: the request's scope as server-sent events, resolved and authorised like every
 * other `/api/v1` route. First `ready` (`{ scope }`), then one `change` per successful write of
 * that scope served by this instance. Not in the OpenAPI document: a stream has no response body
 * to describe. The stream ends when the client goes or the server stops. Open streams are
 * bounded per scope and per server (`ScopeEvents.openStream`); past either limit the answer is a
 * 429 `too_many_streams` naming the limit, with `Retry-After`. A closed stream frees its slot.
 * A stream whose client leaves {@link MAX_UNSENT_EVENTS} events unread is dropped.
 */
export function eventRoutes() {
  const app = new Hono<AppEnv>();
  app.get('/events', (c) => {
    const { scope, events } = c.get('ctx');
    const release = events.openStream(scope);
    if (typeof release !== 'function') {
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
      throw tooManyStreams(scope, release);
    }
    const response = streamSSE(c, async (stream) => {
      let unsent = 0;
      const send = (event: ScopeChangeEvent) => {
        if (unsent >= MAX_UNSENT_EVENTS) {
          stream.abort();
          c.env?.outgoing?.destroy();
          return;
        }
        unsent += 1;
        void stream
          .writeSSE({ event: SCOPE_EVENT_NAMES.change, data: JSON.stringify(event) })
          .finally(() => {
            unsent -= 1;
          });
      };
      await new Promise<void>((resolve) => {
        // Subscribed before `ready` is written, so no change after `ready` goes unsent.
        const unsubscribe = events.subscribe(scope, send);
        void stream.writeSSE({ event: SCOPE_EVENT_NAMES.ready, data: JSON.stringify({ scope }) });
        const keepalive = setInterval(() => void stream.write(': keepalive\n\n'), KEEPALIVE_MS);
        const end = () => {
          unsubscribe();
          unregister();
          release();
          clearInterval(keepalive);
          resolve();
        };
        const unregister = events.onClose(end);
        stream.onAbort(end);
      });
    });
    // The connection ends with the stream: a stopping server would otherwise wait for the
    // kept-alive socket to time out. Clients reconnect on a new connection anyway.
    c.header('connection', 'close');
    return response;
  });
  return app;
}
