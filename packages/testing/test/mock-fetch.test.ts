import { OctopoidConnectionError, OctopoidSDK } from '@octopoid/sdk';
import { createMockFetch, describe, expect, mockReplies, test } from '@octopoid/testing/vitest';
import { claimant, newTask } from './support.js';

describe('the transport-level mock', () => {
  test('unmatched requests reach the real server; every call is recorded', async ({
    scopedSdk: real,
    serverUrl,
  }) => {
    const fetch = createMockFetch({
      routes: [{ method: 'POST', path: '/api/v1/tasks/claim', reply: mockReplies.json(429, {}) }],
    });
    const sdk = new OctopoidSDK({ serverUrl, scope: real.scope, fetch });
    await sdk.tasks.create(newTask('t-1'));
    // A 429 the server did not mark as its claim limit (a proxy's rate limit) is an error.
    await expect(sdk.tasks.claim(claimant)).rejects.toMatchObject({ status: 429 });
    expect(await real.tasks.get('t-1')).toMatchObject({ queue: 'incoming' });
    expect(fetch.calls).toEqual([
      { method: 'POST', path: '/api/v1/tasks', mocked: false },
      { method: 'POST', path: '/api/v1/tasks/claim', mocked: true },
    ]);
  });

  test('a connection reset before the answer leaves the server untouched', async ({
    scopedSdk: real,
    serverUrl,
  }) => {
    const fetch = createMockFetch({
      routes: [{ path: '/api/v1/tasks', times: 1, reply: mockReplies.connectionReset() }],
    });
    const sdk = new OctopoidSDK({ serverUrl, scope: real.scope, fetch });
    await expect(sdk.tasks.create(newTask('t-1'))).rejects.toBeInstanceOf(OctopoidConnectionError);
    expect(await real.tasks.get('t-1')).toBeNull();
    await expect(sdk.tasks.create(newTask('t-1'))).resolves.toMatchObject({ id: 't-1' });
  });

  test('a reset mid-response loses the answer of a request the server carried out', async ({
    scopedSdk: real,
    serverUrl,
  }) => {
    const fetch = createMockFetch({
      routes: [
        { method: 'POST', path: '/api/v1/tasks/*/accept', reply: mockReplies.resetMidResponse() },
      ],
    });
    const sdk = new OctopoidSDK({ serverUrl, scope: real.scope, fetch });
    await real.tasks.create(newTask('t-1'));
    await real.tasks.claim(claimant);
    await real.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    await expect(sdk.tasks.accept('t-1')).rejects.toBeInstanceOf(OctopoidConnectionError);
    expect(await real.tasks.get('t-1')).toMatchObject({ queue: 'done' });
  });

  test('a RegExp route matches the path it describes', async ({ scopedSdk: real, serverUrl }) => {
    const fetch = createMockFetch({
      routes: [{ path: /^\/api\/v1\/tasks\/t-\d+$/, reply: mockReplies.json(404, {}) }],
    });
    const sdk = new OctopoidSDK({ serverUrl, scope: real.scope, fetch });
    await sdk.tasks.create(newTask('t-1'));
    expect(await sdk.tasks.get('t-1')).toBeNull();
    expect(fetch.calls.map((call) => call.mocked)).toEqual([false, true]);
  });
});
