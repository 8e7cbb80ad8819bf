import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { testDatabase } from '@octopoid/testing/vitest';
import { describe, expect, test } from 'vitest';
import { parseDatabaseLocation } from '../src/store/location.js';
import { openStore } from '../src/store/open.js';
import { PINNED_CHECKSUMS } from './migration-checksums.js';
import { newTask } from './tasks-support.js';

describe('migrations recorded by earlier servers', () => {
  test('a database whose migrations an earlier server recorded starts and keeps its data', async () => {
    await using database = await testDatabase({ persistent: true });
    {
      await using first = await startServer({
        port: 0,
        logLevel: 'silent',
        database: database.url,
      });
      await new OctopoidSDK({ serverUrl: first.url, scope: 'm' }).tasks.create(newTask('t-1'));
    }
    // The record exactly as servers that compiled their migrations with a schema builder left it.
    const store = await openStore(parseDatabaseLocation(database.url, 'database'));
    await store.db.deleteFrom('octopoid_migrations').execute();
    await store.db
      .insertInto('octopoid_migrations')
      .values(
        PINNED_CHECKSUMS[store.dialect].map((m) => ({
          ...m,
          applied_at: '2026-11-01T00:00:00.000Z',
        })),
      )
      .execute();
    await store.close();

    await using server = await startServer({ port: 0, logLevel: 'silent', database: database.url });
    expect(
      await new OctopoidSDK({ serverUrl: server.url, scope: 'm' }).tasks.get('t-1'),
    ).toMatchObject({ id: 't-1' });
  });
});
