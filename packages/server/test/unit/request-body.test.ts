import { createRoute, OpenAPIHono, z } from '@hono/zod-openapi';
import { describe, expect, test, vi } from 'vitest';
import type { AppEnv } from '../../src/http/env.js';
import { handleError } from '../../src/http/error-response.js';
import { bodyLimit } from '../../src/http/middleware/body-limit.js';
import { jsonBody } from '../../src/http/middleware/json-body.js';
import { jsonBody as bodyOf } from '../../src/http/openapi.js';
import { createLogger } from '../../src/logger.js';

/**
 * The server's body middleware before one route validating its JSON body, called in process
 * (no Node request behind it: the body is read from the web `Request`). The route answers
 * `{ validated: <its body> }`.
 */
function appWithBodyRoute(maxBytes: number) {
  const app = new OpenAPIHono<AppEnv>({
    defaultHook: (result, c) => {
      if (!result.success) return c.json({ code: 'validation_failed' }, 400);
    },
  });
  app.onError(handleError(createLogger('silent')));
  app.use('*', bodyLimit(maxBytes), jsonBody());
  const route = createRoute({
    method: 'post',
    path: '/notes',
    request: { body: bodyOf(z.object({ text: z.string() })) },
    responses: { 200: { description: 'the body validated' } },
  });
  app.openapi(route, (c) => c.json({ validated: c.req.valid('json') }, 200));
  return app;
}

const post = (body: BodyInit, type = 'application/json') =>
  new Request('http://localhost/notes', {
    method: 'POST',
    headers: { 'content-type': type },
    body,
  });

describe('request bodies', () => {
  test('a JSON body is parsed once: the route validator takes the middleware’s parse', async () => {
    const text = JSON.stringify({ text: 'parsed once' });
    const parse = vi.spyOn(JSON, 'parse');
    try {
      const response = await appWithBodyRoute(1024).request(post(text));
      expect(parse.mock.calls.filter(([source]) => source === text)).toHaveLength(1);
      expect(await response.json()).toEqual({ validated: { text: 'parsed once' } });
    } finally {
      parse.mockRestore();
    }
  });

  test('a streamed body past the limit is 413 naming the limit', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new TextEncoder().encode('{"text":"'));
        controller.enqueue(new TextEncoder().encode('x'.repeat(64)));
        controller.enqueue(new TextEncoder().encode('"}'));
        controller.close();
      },
    });
    const response = await appWithBodyRoute(64).request(
      new Request('http://localhost/notes', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body,
        duplex: 'half',
      } as RequestInit),
    );
    expect(response.status).toBe(413);
    expect(await response.json()).toEqual({
      error: 'request body exceeds 64 bytes',
      code: 'payload_too_large',
      details: [{ field: 'body', reason: 'at most 64 bytes (max-body-bytes)' }],
    });
  });

  test('a body of exactly the limit is taken whole', async () => {
    const text = JSON.stringify({ text: 'y'.repeat(20) });
    const response = await appWithBodyRoute(text.length).request(post(text));
    expect(await response.json()).toEqual({ validated: { text: 'y'.repeat(20) } });
  });

  test('a body that is not JSON stays readable for the media-type check after the limit', async () => {
    const response = await appWithBodyRoute(1024).request(post('text=hi', 'text/plain'));
    expect(response.status).toBe(415);
  });
});
