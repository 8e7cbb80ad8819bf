import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { describe, expect, test, waitFor } from '@octopoid/testing/vitest';
import { newTask } from './tasks-support.js';

const quiet = { port: 0, logLevel: 'silent' } as const;

describe('startServer', () => {
  test('close() lets an in-flight request finish, then refuses new connections', async () => {
    const server = await startServer({ ...quiet, testMode: true });
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'shutdown', retries: 0 });
    await sdk.testMode.faults.add({ method: 'POST', path: '/api/v1/tasks', delayMs: 1000 });
    const inFlight = sdk.tasks.create(newTask('t-1'));
    // Close only once the server holds the request (its delaying rule fired).
    await waitFor(
      'the delayed create to reach the server',
      () => sdk.testMode.faults.list(),
      (rules) => rules[0]?.fired === 1,
    );
    const closed = server.close();
    expect((await inFlight).id).toBe('t-1');
    await closed;
    await expect(sdk.health.check()).rejects.toMatchObject({ name: 'OctopoidConnectionError' });
  });

  test('a port already in use rejects the start, and the database file stays usable', async () => {
    const first = await startServer(quiet);
    const file = join(mkdtempSync(join(tmpdir(), 'octopoid-start-')), 'data.db');
    try {
      await expect(startServer({ ...quiet, port: first.port, database: file })).rejects.toThrow(
        /EADDRINUSE/,
      );
      const again = await startServer({ ...quiet, database: file });
      await again.close();
    } finally {
      await first.close();
    }
  });

  test('data written before close() is there after a restart on the same file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'octopoid-restart-')), 'data.db');
    const before = await startServer({ ...quiet, database: file });
    await new OctopoidSDK({ serverUrl: before.url, scope: 'durable' }).tasks.create(newTask('t-1'));
    await before.close();
    const after = await startServer({ ...quiet, database: file });
    try {
      const sdk = new OctopoidSDK({ serverUrl: after.url, scope: 'durable' });
      expect((await sdk.tasks.get('t-1'))?.version).toBe(1);
    } finally {
      await after.close();
    }
  });
});
