import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { ADMIN_KEY, registerFirst } from './auth-support.js';
import { expectSdkError, newTask } from './tasks-support.js';

async function requiredServer() {
  return startPrivateServer({ auth: 'required', adminKey: ADMIN_KEY });
}

describe('the admin key of a server that requires API keys', () => {
  test('lists, clones and merges scopes, which a scope key may not', async () => {
    const server = await requiredServer();
    try {
      const creator = new OctopoidSDK({
        serverUrl: server.url,
        scope: 'team-a',
        apiKey: ADMIN_KEY,
      });
      const { keyed } = await registerFirst(creator);
      await keyed.tasks.create(newTask('t-1'));

      await expectSdkError(keyed.scopes.list(), 403, 'forbidden');
      await expectSdkError(keyed.scopes.clone('team-b'), 403, 'forbidden');

      const admin = new OctopoidSDK({ serverUrl: server.url, scope: 'team-a', apiKey: ADMIN_KEY });
      expect((await admin.scopes.list()).map((s) => s.scope)).toEqual(['team-a']);
      await admin.scopes.clone('team-b');
      const copy = admin.withScope('team-b').withApiKey(ADMIN_KEY);
      expect((await copy.tasks.get('t-1'))?.id).toBe('t-1');
      await copy.scopes.merge('team-c', { onConflict: 'fail' });
      expect(await copy.tasks.list()).toEqual([]);
      const merged = admin.withScope('team-c').withApiKey(ADMIN_KEY);
      expect((await merged.tasks.get('t-1'))?.id).toBe('t-1');
    } finally {
      await server.close();
    }
  });

  test('is no scope key: a near miss is refused and a key-less list is 401', async () => {
    const server = await requiredServer();
    try {
      const nearMiss = new OctopoidSDK({ serverUrl: server.url, apiKey: `${ADMIN_KEY}x` });
      await expectSdkError(nearMiss.scopes.list(), 401, 'unauthorized');
      const keyless = new OctopoidSDK({ serverUrl: server.url });
      await expectSdkError(keyless.scopes.list(), 401, 'unauthorized');
    } finally {
      await server.close();
    }
  });

  test('shorter than 32 characters is refused at start', async () => {
    await expect(startServer({ port: 0, adminKey: 'short', logLevel: 'silent' })).rejects.toThrow(
      /at least 32/,
    );
  });
});
