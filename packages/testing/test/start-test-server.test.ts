import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startTestServer, test } from '@octopoid/testing/vitest';
import { newTask } from './support.js';

describe('startTestServer', () => {
  test('subprocess mode runs the shipped CLI in test mode and stops it on close', async () => {
    const server = await startTestServer({ mode: 'subprocess' });
    try {
      expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'subprocess' });
      await sdk.testMode.faults.add({ path: '/api/v1/tasks', status: 503, times: 1 });
      await expect(sdk.tasks.create(newTask('t-1'))).rejects.toMatchObject({ status: 503 });
      await expect(sdk.tasks.create(newTask('t-1'))).resolves.toMatchObject({ id: 't-1' });
    } finally {
      await server.close();
    }
    await expect(fetch(`${server.url}/api/health`)).rejects.toThrow();
  }, 30_000);

  test('subprocess mode passes the auth mode on to the CLI', async () => {
    await using server = await startTestServer({ mode: 'subprocess', auth: 'required' });
    const keyless = new OctopoidSDK({ serverUrl: server.url, scope: 'subprocess' });
    await expect(keyless.tasks.list()).rejects.toMatchObject({ status: 401 });
  }, 30_000);

  test('subprocess mode passes open registration on to the CLI', async () => {
    await using server = await startTestServer({
      mode: 'subprocess',
      auth: 'required',
      openRegistration: true,
    });
    const keyless = new OctopoidSDK({ serverUrl: server.url, scope: 'subprocess' });
    const registered = await keyless.orchestrators.register({ cluster: 'c', machine_id: 'm' });
    expect(registered.api_key).toMatch(/^oct_[0-9a-f]{64}$/);
    await expect(keyless.tasks.list()).rejects.toMatchObject({ status: 401 });
  }, 30_000);

  test('subprocess mode passes legacy unscoped ids on to the CLI', async () => {
    await using server = await startTestServer({ mode: 'subprocess', legacyUnscopedIds: true });
    await new OctopoidSDK({ serverUrl: server.url, scope: 'legacy' }).tasks.create(newTask('t-1'));
    const unscoped = new OctopoidSDK({ serverUrl: server.url });
    expect((await unscoped.tasks.get('t-1'))?.scope).toBe('legacy');
  }, 30_000);

  test('a SQLite file keeps its data across restarts, on the production migrations', async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'octopoid-test-server-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const database = join(dir, 'queue.db');
    {
      await using first = await startTestServer({ database });
      await new OctopoidSDK({ serverUrl: first.url, scope: 'kept' }).tasks.create(newTask('t-1'));
    }
    await using second = await startTestServer({ database });
    const sdk = new OctopoidSDK({ serverUrl: second.url, scope: 'kept' });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1', queue: 'incoming' });
  });

  test('await using closes the server at the end of the block', async () => {
    let url = '';
    {
      await using server = await startTestServer();
      url = server.url;
      expect((await fetch(`${url}/api/health`)).status).toBe(200);
    }
    await expect(fetch(`${url}/api/health`)).rejects.toThrow();
  });
});
