import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import {
  backendOf,
  describe,
  expect,
  startInProcessServer,
  startPrivateServer,
  test,
  testDatabase,
} from '@octopoid/testing/vitest';
import pg from 'pg';
import { inject } from 'vitest';
import { newTask } from './support.js';

const ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';
const projectBackend = backendOf(inject('octopoidDatabase') || process.env.OCTOPOID_TEST_DATABASE);

/** Whether the database `url` names (PostgreSQL) or its folder (a SQLite file) still exists. */
async function exists(url: string): Promise<boolean> {
  if (!url.startsWith('postgres')) return existsSync(dirname(url));
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const name = new URL(url).pathname.slice(1);
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

describe('a private server', () => {
  test(`runs on the project’s backend (${projectBackend}) and drops its database on close`, async () => {
    const server = await startPrivateServer({ testMode: true });
    expect(server.database.backend).toBe(projectBackend);
    expect(server.store.dialect).toBe(projectBackend);
    await new OctopoidSDK({ serverUrl: server.url, scope: 'own' }).tasks.create(newTask('t-1'));
    await server.close();
    if (projectBackend === 'postgres') expect(await exists(server.database.url)).toBe(false);
    else expect(server.database.url).toBe(':memory:');
  });

  test('restarts on a database it was given, which outlives it until dropped', async () => {
    await using database = await testDatabase({ persistent: true });
    expect(database.backend).toBe(projectBackend);
    const first = await startPrivateServer({}, database);
    await new OctopoidSDK({ serverUrl: first.url, scope: 'kept' }).tasks.create(newTask('t-1'));
    await first.close();
    const second = await startPrivateServer({}, database);
    const sdk = new OctopoidSDK({ serverUrl: second.url, scope: 'kept' });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1', scope: 'kept' });
    await second.close();
    expect(await exists(database.url)).toBe(true);
    await database.drop();
    expect(await exists(database.url)).toBe(false);
  });
});

describe('an in-process server', () => {
  test(`answers through fetch on the project’s backend (${projectBackend}), and drops its database on close`, async () => {
    const server = await startInProcessServer({ testMode: true });
    expect(server.store.dialect).toBe(projectBackend);
    const created = await server.sdk('own').tasks.create(newTask('t-1'));
    expect(await server.store.db.selectFrom('tasks').select('id').execute()).toEqual([
      { id: created.id },
    ]);
    // The loopback Host check passes: fetch adds the Host a socket client would send.
    const health = await server.fetch(new URL('/api/health', server.url));
    expect(health.status).toBe(200);
    await health.text();
    await server.close();
    if (projectBackend === 'postgres') expect(await exists(server.database.url)).toBe(false);
    else expect(server.database.url).toBe(':memory:');
  });

  test('keeps the middleware: a Host naming another machine is refused', async () => {
    await using server = await startInProcessServer();
    const response = await server.fetch(new URL('/api/health', server.url), {
      headers: { host: 'evil.example' },
    });
    expect(response.status).toBe(403);
    expect(await response.json()).toMatchObject({ code: 'forbidden' });
  });
});
