import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import { createFreshPostgresDatabase, describe, expect, test } from '@octopoid/testing/vitest';
import pg from 'pg';
import { expectError, newTask, send } from './tasks-support.js';

const ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/** Makes PostgreSQL refuse new connections to `name` and drops the ones it holds. */
async function refuseConnections(name: string, refuse: boolean) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`alter database "${name}" allow_connections ${refuse ? 'false' : 'true'}`);
    if (refuse) {
      await admin.query(
        'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
        [name],
      );
    }
  } finally {
    await admin.end();
  }
}

describe('PostgreSQL refusing connections', () => {
  test('requests get 503 with Retry-After, health reports not ready, and both recover', async () => {
    const database = await createFreshPostgresDatabase(ADMIN_URL);
    const name = new URL(database.url).pathname.slice(1);
    const server = await startServer({
      port: 0,
      database: database.url,
      logLevel: 'silent',
      postgresPoolSize: 3,
    });
    try {
      const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'down' });
      await sdk.tasks.create(newTask('t1'));
      await refuseConnections(name, true);

      for (const attempt of [1, 2, 3]) {
        const response = await send(server.url, 'GET', '/tasks', { query: { scope: 'down' } });
        expectError(response, 503, 'service_unavailable');
        expect(response.headers.get('retry-after'), `attempt ${attempt}`).toBe('2');
      }
      const write = await send(server.url, 'POST', '/tasks', {
        query: { scope: 'down' },
        json: newTask('t2'),
      });
      expectError(write, 503, 'service_unavailable');
      const health = await fetch(new URL('/api/health', server.url));
      expect(health.status).toBe(503);
      expect(await health.json()).toMatchObject({ status: 'unhealthy', database: 'disconnected' });

      await refuseConnections(name, false);
      expect((await fetch(new URL('/api/health', server.url))).status).toBe(200);
      expect((await sdk.tasks.list()).map((task) => task.id)).toEqual(['t1']);
    } finally {
      await refuseConnections(name, false);
      await server.close();
      await database.drop();
    }
  });

  test('the pool size must be a whole number from 1 to 1000', async () => {
    for (const postgresPoolSize of [0, 2.5, 1001]) {
      await expect(startServer({ port: 0, logLevel: 'silent', postgresPoolSize })).rejects.toThrow(
        'postgresPoolSize',
      );
    }
  });
});
