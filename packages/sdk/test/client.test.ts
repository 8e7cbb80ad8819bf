import { type Fetch, OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';

const newTask = (id: string) => ({ id, file_path: `tasks/${id}.md`, branch: 'main' });

/** The real fetch, recording each request's method and URL. */
function recordingFetch() {
  const requests: { method: string; url: URL }[] = [];
  const recording: Fetch = (input, init) => {
    requests.push({ method: init?.method ?? 'GET', url: new URL(String(input)) });
    return fetch(input, init);
  };
  return { requests, fetch: recording };
}

describe('OctopoidSDK', () => {
  test('every request names the client’s scope in its query string, DELETE included', async ({
    scopedSdk,
  }) => {
    const recorded = recordingFetch();
    const sdk = new OctopoidSDK({
      serverUrl: scopedSdk.serverUrl,
      scope: scopedSdk.scope,
      fetch: recorded.fetch,
    });
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.get('t-1');
    await sdk.tasks.delete('t-1');
    expect(recorded.requests.map((r) => [r.method, r.url.searchParams.get('scope')])).toEqual([
      ['POST', sdk.scope],
      ['GET', sdk.scope],
      ['DELETE', sdk.scope],
    ]);
  });

  test('a call naming another scope in its body or query is refused before sending', async ({
    scopedSdk,
  }) => {
    const recorded = recordingFetch();
    const sdk = new OctopoidSDK({
      serverUrl: scopedSdk.serverUrl,
      scope: scopedSdk.scope,
      fetch: recorded.fetch,
    });
    const inBody = { ...newTask('t-1'), scope: 'someone-else' };
    await expect(sdk.tasks.create(inBody)).rejects.toThrow(/withScope\("someone-else"\)/);
    await expect(sdk.tasks.list({ scope: 'someone-else' } as never)).rejects.toThrow(TypeError);
    expect(recorded.requests).toEqual([]);
  });

  test('a call naming the client’s own scope explicitly goes through', async ({
    scopedSdk: sdk,
  }) => {
    const withOwnScope = { ...newTask('t-1'), scope: sdk.scope };
    const task = await sdk.tasks.create(withOwnScope);
    expect(task.scope).toBe(sdk.scope);
  });

  test('withScope returns a sibling client that sees only its own scope', async ({
    scopedSdk: sdk,
  }) => {
    const sibling = sdk.withScope(`${sdk.scope}-sibling`);
    expect(sibling.scope).toBe(`${sdk.scope}-sibling`);
    expect(sibling.serverUrl).toBe(sdk.serverUrl);
    await sdk.tasks.create(newTask('t-1'));
    await sibling.tasks.create(newTask('t-1'));
    await sibling.tasks.update('t-1', { title: 'sibling’s' });

    expect((await sdk.tasks.get('t-1'))?.title).toBe('t-1');
    expect((await sibling.tasks.get('t-1'))?.title).toBe('sibling’s');
    await sibling.scopes.purge();
  });

  test('the constructor refuses malformed options', ({ serverUrl }) => {
    expect(() => new OctopoidSDK({ serverUrl: 'not a url' })).toThrow(/serverUrl/);
    expect(() => new OctopoidSDK({ serverUrl, scope: 'has space' })).toThrow(/invalid scope/);
    expect(() => new OctopoidSDK({ serverUrl, timeoutMs: 0 })).toThrow(/timeoutMs/);
    expect(() => new OctopoidSDK({ serverUrl, retries: 1.5 })).toThrow(/retries/);
    expect(() => new OctopoidSDK({ serverUrl }).withScope('a/b')).toThrow(/invalid scope/);
  });
});

describe('sdk.health', () => {
  test('check reports a healthy server and its version', async ({ scopedSdk: sdk }) => {
    expect(await sdk.health.check()).toMatchObject({
      status: 'healthy',
      database: 'connected',
      version: expect.any(String),
    });
  });

  test('info lists the routes the server serves', async ({ scopedSdk: sdk }) => {
    const info = await sdk.health.info();
    expect(info.name).toBe('octopoid-server');
    expect(info.endpoints).toContain('POST /api/v1/tasks/claim');
  });
});

describe('sdk.scopes', () => {
  test('purge deletes every entity of the scope and reports the counts', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    const purged = await sdk.scopes.purge();
    expect(purged).toMatchObject({ scope: sdk.scope, deleted: { tasks: 2 } });
    expect(await sdk.tasks.list()).toEqual([]);
  });

  test('purge resolves null for a scope that holds nothing', async ({ scopedSdk: sdk }) => {
    expect(await sdk.scopes.purge()).toBeNull();
  });

  test('purge refuses a client bound to no scope', async ({ serverUrl }) => {
    await expect(new OctopoidSDK({ serverUrl }).scopes.purge()).rejects.toThrow(/bound to a scope/);
  });
});
