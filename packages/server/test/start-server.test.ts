import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import { startServer } from '@octopoid/server';
import {
  createFreshPostgresDatabase,
  describe,
  expect,
  startPrivateServer,
  test,
  waitFor,
} from '@octopoid/testing/vitest';
import pg from 'pg';
import { newTask } from './tasks-support.js';

const quiet = { port: 0, logLevel: 'silent' } as const;

describe('startServer', () => {
  test('close() lets an in-flight request finish, then refuses new connections', async () => {
    const server = await startPrivateServer({ testMode: true });
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

  test('options that cannot work are refused before the database is created', async ({
    onTestFinished,
  }) => {
    const dir = mkdtempSync(join(tmpdir(), 'octopoid-refuse-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'data.db');
    await expect(startServer({ ...quiet, port: 70_000, database: file })).rejects.toThrow(
      'port must be an integer from 0 to 65535; got 70000',
    );
    await expect(startServer({ ...quiet, database: 'postgres' })).rejects.toThrow(
      'database "postgres" names a backend, not a database',
    );
    await expect(startServer({ ...quiet, database: join(dir, 'sub', 'data.db') })).rejects.toThrow(
      `database ${join(dir, 'sub', 'data.db')}: folder ${join(dir, 'sub')} does not exist; ` +
        'create it, or pass createDatabaseDir: true',
    );
    expect(readdirSync(dir)).toEqual([]);

    const created = await startServer({
      ...quiet,
      database: join(dir, 'sub', 'data.db'),
      createDatabaseDir: true,
    });
    await created.close();
    expect(readdirSync(join(dir, 'sub'))).toContain('data.db');
  });

  test('health reports a PostgreSQL database that refuses writes as not ready', async ({
    onTestFinished,
  }) => {
    const adminUrl =
      process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
    const fresh = await createFreshPostgresDatabase(adminUrl);
    onTestFinished(() => fresh.drop());
    const server = await startServer({ ...quiet, database: fresh.url });
    onTestFinished(() => server.close());
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: 'read-only' });
    expect(await sdk.health.check()).toMatchObject({ status: 'healthy', database: 'connected' });

    // As on a standby: every new session is read-only, and the server's open ones are ended.
    const name = new URL(fresh.url).pathname.slice(1);
    const admin = new pg.Client({ connectionString: adminUrl });
    await admin.connect();
    try {
      await admin.query(`ALTER DATABASE ${name} SET default_transaction_read_only = on`);
      await admin.query(
        'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1',
        [name],
      );
    } finally {
      await admin.end();
    }

    const health = await waitFor(
      'health to see the read-only database',
      () =>
        fetch(`${server.url}/api/health`).then(async (r) => ({
          status: r.status,
          body: await r.json(),
        })),
      (answer) => answer.body.database !== 'disconnected',
    );
    expect(health).toMatchObject({
      status: 503,
      body: { status: 'unhealthy', database: 'read-only', dialect: 'postgres' },
    });
  });
});
