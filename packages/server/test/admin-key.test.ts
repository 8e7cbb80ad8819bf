import { startServer } from '@octopoid/server';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { ADMIN_KEY, registerFirst, withRequiredApp } from './auth-support.js';
import { expectSdkError, newTask } from './tasks-support.js';

// What the admin key may do is decided by the middleware and the routes: the servers here answer
// in process.
describe('the admin key of a server that requires API keys', () => {
  test('lists, clones and merges scopes, which a scope key may not', async () => {
    await withRequiredApp({}, async (server) => {
      const creator = server.sdk('team-a').withApiKey(ADMIN_KEY);
      const { keyed } = await registerFirst(creator);
      await keyed.tasks.create(newTask('t-1'));

      await expectSdkError(keyed.scopes.list(), 403, 'forbidden');
      await expectSdkError(keyed.scopes.clone('team-b'), 403, 'forbidden');

      const admin = server.sdk('team-a').withApiKey(ADMIN_KEY);
      expect((await admin.scopes.list()).map((s) => s.scope)).toEqual(['team-a']);
      await admin.scopes.clone('team-b');
      const copy = admin.withScope('team-b').withApiKey(ADMIN_KEY);
      expect((await copy.tasks.get('t-1'))?.id).toBe('t-1');
      await copy.scopes.merge('team-c', { onConflict: 'fail' });
      expect(await copy.tasks.list()).toEqual([]);
      const merged = admin.withScope('team-c').withApiKey(ADMIN_KEY);
      expect((await merged.tasks.get('t-1'))?.id).toBe('t-1');
    });
  });

  test('is no scope key: a near miss is refused and a key-less list is 401', async () => {
    await withRequiredApp({}, async (server) => {
      const nearMiss = server.sdk().withApiKey(`${ADMIN_KEY}x`);
      await expectSdkError(nearMiss.scopes.list(), 401, 'unauthorized');
      await expectSdkError(server.sdk().scopes.list(), 401, 'unauthorized');
    });
  });

  test('shorter than 32 characters is refused at start', async () => {
    await expect(startServer({ port: 0, adminKey: 'short', logLevel: 'silent' })).rejects.toThrow(
      /at least 32/,
    );
  });
});
