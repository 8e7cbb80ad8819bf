import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { newTask } from './tasks-support.js';

const quiet = { port: 0, logLevel: 'silent' } as const;

describe('SQLite: one server per database file', () => {
  test('a second server on the same file is refused at start with a clear message; the first keeps serving', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'octopoid-one-process-')), 'data.db');
    const first = await startServer({ ...quiet, database: file });
    try {
      await expect(startServer({ ...quiet, database: file })).rejects.toThrow(
        `the SQLite database ${file} is in use by another process`,
      );
      const sdk = new OctopoidSDK({ serverUrl: first.url, scope: 'owner' });
      await sdk.tasks.create(newTask('t-1'));
      expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1' });
    } finally {
      await first.close();
    }
    // Once the owner is gone, the file is free for the next server.
    const next = await startServer({ ...quiet, database: file });
    try {
      const sdk = new OctopoidSDK({ serverUrl: next.url, scope: 'owner' });
      expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1' });
    } finally {
      await next.close();
    }
  });
});
