import { OctopoidSDK } from '@octopoid/sdk';
import { describe, startPrivateServer, test } from '@octopoid/testing/vitest';
import { ADMIN_KEY, bearer, registerFirst, withRequiredServer } from './auth-support.js';
import { changes, openEventStream } from './events-support.js';
import { newTask } from './tasks-support.js';

const eventsUrl = (serverUrl: string, scope?: string) =>
  `${serverUrl}/api/v1/events${scope === undefined ? '' : `?scope=${scope}`}`;

describe('GET /api/v1/events', () => {
  test('opens with ready naming its scope, then sends one change per write of that scope', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    using stream = await openEventStream(eventsUrl(serverUrl, scopedSdk.scope));
    expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    await expect
      .poll(() => stream.events[0])
      .toEqual({
        event: 'ready',
        data: { scope: scopedSdk.scope },
      });

    await scopedSdk.tasks.create(newTask('t-1'));
    await scopedSdk.tasks.claim({ orchestrator_id: 'orch-1', agent_name: 'agent-1' });

    await expect
      .poll(() => changes(stream.events))
      .toEqual(['POST /api/v1/tasks', 'POST /api/v1/tasks/claim']);
    expect(stream.events[1]?.data).toMatchObject({
      scope: scopedSdk.scope,
      at: expect.any(String),
    });
  });

  test("never relays another scope's writes", async ({ serverUrl, scopedSdk, expect }) => {
    using stream = await openEventStream(eventsUrl(serverUrl, scopedSdk.scope));
    await expect.poll(() => stream.events.length).toBe(1);
    const other = scopedSdk.withScope(`${scopedSdk.scope}-other`);
    try {
      await other.tasks.create(newTask('intruder'));
      await scopedSdk.tasks.create(newTask('marker'));
      await expect.poll(() => changes(stream.events)).toContain('POST /api/v1/tasks');
      expect(stream.events.map((e) => e.data.scope)).toEqual([scopedSdk.scope, scopedSdk.scope]);
    } finally {
      await other.scopes.purge();
    }
  });

  test('publishes nothing for reads and refused writes', async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    using stream = await openEventStream(eventsUrl(serverUrl, scopedSdk.scope));
    await expect.poll(() => stream.events.length).toBe(1);
    await scopedSdk.tasks.list();
    const invalid = await fetch(`${serverUrl}/api/v1/tasks?scope=${scopedSdk.scope}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 't-1' }),
    });
    expect(invalid.status).toBe(400);
    await expect(scopedSdk.tasks.accept('missing')).rejects.toThrow();
    await scopedSdk.tasks.create(newTask('marker'));
    await expect.poll(() => changes(stream.events)).toEqual(['POST /api/v1/tasks']);
  });

  test("tells a merge's parent and a clone's copy, which the request did not name", async ({
    serverUrl,
    scopedSdk,
    expect,
  }) => {
    const child = scopedSdk.withScope(`${scopedSdk.scope}-child`);
    const copy = `${scopedSdk.scope}-copy`;
    using parent = await openEventStream(eventsUrl(serverUrl, scopedSdk.scope));
    using copied = await openEventStream(eventsUrl(serverUrl, copy));
    await expect.poll(() => parent.events.length + copied.events.length).toBe(2);
    try {
      await child.tasks.create(newTask('t-1'));
      await child.scopes.clone(copy);
      await child.scopes.merge(scopedSdk.scope as string);
      await expect
        .poll(() => changes(parent.events))
        .toEqual([`POST /api/v1/scopes/${child.scope}/merge`]);
      await expect
        .poll(() => changes(copied.events))
        .toEqual([`POST /api/v1/scopes/${child.scope}/clone`]);
    } finally {
      await child.scopes.purge();
      await scopedSdk.withScope(copy).scopes.purge();
    }
  });

  test('without a scope answers 400 saying how to name one', async ({ serverUrl, expect }) => {
    using stream = await openEventStream(eventsUrl(serverUrl));
    expect(stream.response.status).toBe(400);
    expect(await stream.response.json()).toMatchObject({ code: 'scope_required' });
  });

  test("follows the API key: its own scope without naming it, 403 for another scope's", async ({
    expect,
  }) => {
    await withRequiredServer({}, async (server) => {
      const admin = new OctopoidSDK({ serverUrl: server.url, scope: 'a', apiKey: ADMIN_KEY });
      const { apiKey } = await registerFirst(admin);

      using own = await openEventStream(eventsUrl(server.url), bearer(apiKey));
      await expect.poll(() => own.events[0]).toEqual({ event: 'ready', data: { scope: 'a' } });

      using other = await openEventStream(eventsUrl(server.url, 'b'), bearer(apiKey));
      expect(other.response.status).toBe(403);
      using keyless = await openEventStream(eventsUrl(server.url, 'a'));
      expect(keyless.response.status).toBe(401);
    });
  });

  test('closing the server ends its open streams instead of waiting for them', async ({
    expect,
  }) => {
    const server = await startPrivateServer();
    const stream = await openEventStream(eventsUrl(server.url, 'a'));
    await expect.poll(() => stream.events.length).toBe(1);
    await server.close();
    await expect.poll(() => stream.ended()).toBe(true);
  });
});
