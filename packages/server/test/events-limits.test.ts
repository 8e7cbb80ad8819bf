import { startServer } from '@octopoid/server';
import { describe, startInProcessServer, test } from '@octopoid/testing/vitest';
import { MAX_UNSENT_EVENTS } from '../src/http/routes/events.js';
import { ADMIN_KEY, bearer, withRequiredServer } from './auth-support.js';
import { type EventStream, openEventStream } from './events-support.js';
import { newTask } from './tasks-support.js';

const limits = { maxEventStreams: 3, maxEventStreamsPerScope: 2 };

describe('GET /api/v1/events: open-stream limits', () => {
  test('past the per-scope or per-server limit answers 429 naming the limit, with Retry-After', async ({
    expect,
  }) => {
    await withRequiredServer(limits, async (server) => {
      const open = (scope: string) =>
        openEventStream(`${server.url}/api/v1/events?scope=${scope}`, bearer(ADMIN_KEY));
      const expectTooMany = async (stream: EventStream, limit: string) => {
        expect(stream.response.status).toBe(429);
        expect(Number(stream.response.headers.get('retry-after'))).toBeGreaterThan(0);
        const body = await stream.response.json();
        expect(body).toMatchObject({ code: 'too_many_streams', details: [{ field: limit }] });
        expect(body.error).toContain(limit);
      };

      using a1 = await open('a');
      using a2 = await open('a');
      expect([a1.response.status, a2.response.status]).toEqual([200, 200]);
      using a3 = await open('a');
      await expectTooMany(a3, 'max-event-streams-per-scope');

      using b1 = await open('b');
      expect(b1.response.status).toBe(200);
      using c1 = await open('c');
      await expectTooMany(c1, 'max-event-streams');
      // Refused streams hold no slot: the server still serves its three.
      await expect
        .poll(() => [a1, a2, b1].map((s) => s.events[0]?.event))
        .toEqual(['ready', 'ready', 'ready']);
    });
  });

  test('a closed stream frees its slot', async ({ expect }) => {
    await withRequiredServer(limits, async (server) => {
      const open = () => openEventStream(`${server.url}/api/v1/events?scope=a`, bearer(ADMIN_KEY));
      const first = await open();
      using second = await open();
      using refused = await open();
      expect([first.response.status, second.response.status, refused.response.status]).toEqual([
        200, 200, 429,
      ]);
      expect(await refused.response.json()).toMatchObject({ code: 'too_many_streams' });

      first.close();
      let reopened: EventStream | undefined;
      await expect
        .poll(async () => {
          const stream = await open();
          if (stream.response.ok) reopened = stream;
          else await stream.response.body?.cancel();
          return stream.response.status;
        })
        .toBe(200);
      await expect.poll(() => reopened?.events[0]?.event).toBe('ready');
      reopened?.close();
    });
  });

  test('a stream whose client reads nothing is dropped at the most unsent events, freeing its slot', {
    timeout: 60_000,
  }, async ({ expect }) => {
    // In process, nothing buffers between the server and the unread body: no socket buffers
    // to fill first.
    await using server = await startInProcessServer({ maxEventStreamsPerScope: 1 });
    const sdk = server.sdk('unread');
    const events = () => server.fetch(`${server.url}/api/v1/events?scope=unread`);
    const unread = await events();
    expect(unread.status).toBe(200);
    for (let i = 0; i <= MAX_UNSENT_EVENTS; i++) await sdk.tasks.create(newTask(`t-${i}`));

    // Without the drop this read would wait for ever: the stream stays open for more events.
    const received = await unread.text();
    expect(received.match(/^event: change$/gm)?.length ?? 0).toBeLessThan(MAX_UNSENT_EVENTS);
    const next = await events();
    expect(next.status).toBe(200);
    await next.body?.cancel();
  });

  test('limits that are not positive integers are refused at start', async ({ expect }) => {
    await expect(startServer({ port: 0, maxEventStreams: 0 })).rejects.toThrow(
      /maxEventStreams must be a positive integer/,
    );
    await expect(startServer({ port: 0, maxEventStreamsPerScope: 1.5 })).rejects.toThrow(
      /maxEventStreamsPerScope must be a positive integer/,
    );
  });
});
