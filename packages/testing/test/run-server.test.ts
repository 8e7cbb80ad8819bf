import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { OctopoidSDK } from '@octopoid/sdk';
import {
  assertLoopbackUrl,
  describe,
  expect,
  serverForRun,
  startTestServer,
  test,
} from '@octopoid/testing/vitest';
import pg from 'pg';

const ADMIN_URL = 'postgres://postgres@127.0.0.1:5432/postgres';
// Port 1 is never a PostgreSQL server: connections to it are refused at once.
const UNREACHABLE_POSTGRES = 'postgres://postgres:secret@127.0.0.1:1/postgres';
const CHECK_POSTGRES = fileURLToPath(
  new URL('../../../scripts/check-postgres.mjs', import.meta.url),
);

describe('the run’s server', () => {
  test('with OCTOPOID_KEEP_SERVER=1 the server and its data stay up after the run', async ({
    onTestFinished,
  }) => {
    const run = await serverForRun({ OCTOPOID_KEEP_SERVER: '1' });
    expect(run.database).toMatch(/octopoid\.db$/);
    onTestFinished(() => rm(dirname(run.database as string), { recursive: true, force: true }));
    const sdk = new OctopoidSDK({ serverUrl: run.url, scope: 'kept' });
    await sdk.tasks.create({ id: 't-1', file_path: 'tasks/t-1.md', branch: 'main' });
    const kept = await run.keepForInspection();
    expect(kept).toMatchObject({ url: run.url, pid: expect.any(Number) });
    onTestFinished(() => {
      process.kill(kept?.pid as number);
    });
    expect(await sdk.tasks.get('t-1')).toMatchObject({ id: 't-1', scope: 'kept' });
    expect(await sdk.testMode.faults.list()).toEqual([]);
  });

  test('a non-loopback OCTOPOID_TEST_SERVER_URL is refused before any request', async () => {
    await expect(
      serverForRun({ OCTOPOID_TEST_SERVER_URL: 'http://queue.example.com:8787' }),
    ).rejects.toThrow(
      /refusing to run tests against http:\/\/queue\.example\.com:8787.*OCTOPOID_TEST_ALLOW_REMOTE=1/,
    );
    await expect(serverForRun({ OCTOPOID_TEST_SERVER_URL: 'not a url' })).rejects.toThrow(
      /is not a URL/,
    );
  });

  test('loopback addresses pass the guard; others pass only when allowed', () => {
    for (const url of [
      'http://localhost:1',
      'http://127.0.0.1:1',
      'http://127.8.9.10',
      'http://[::1]:1',
    ]) {
      expect(() => assertLoopbackUrl(url, false), url).not.toThrow();
    }
    expect(() => assertLoopbackUrl('http://10.0.0.5:8787', false)).toThrow(/not a loopback/);
    expect(() => assertLoopbackUrl('http://127.evil.example', false)).toThrow(/not a loopback/);
    expect(() => assertLoopbackUrl('http://10.0.0.5:8787', true)).not.toThrow();
  });

  test('a healthy OCTOPOID_TEST_SERVER_URL is reused and left running', async () => {
    await using server = await startTestServer();
    const reused = await serverForRun({ OCTOPOID_TEST_SERVER_URL: `${server.url}/` });
    expect(reused).toMatchObject({
      url: server.url,
      database: null,
      keptData: { until: 'server-stops' },
    });
    await reused.close();
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
  });

  test('an OCTOPOID_TEST_SERVER_URL that does not answer is reported', async () => {
    const server = await startTestServer();
    await server.close();
    await expect(serverForRun({ OCTOPOID_TEST_SERVER_URL: server.url })).rejects.toThrow(
      `OCTOPOID_TEST_SERVER_URL ${server.url} does not answer`,
    );
  });

  test('without a URL the run starts its own server, in memory by default', async () => {
    const own = await serverForRun({});
    try {
      expect(own).toMatchObject({ database: ':memory:', keptData: { until: 'run-ends' } });
      expect(await (await fetch(`${own.url}/api/health`)).json()).toMatchObject({
        status: 'healthy',
      });
    } finally {
      await own.close();
    }
    await expect(fetch(`${own.url}/api/health`)).rejects.toThrow();
  });

  test('a vitest project’s own database choice wins over OCTOPOID_TEST_DATABASE', async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'octopoid-run-server-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const file = join(dir, 'project.db');
    const own = await serverForRun({ OCTOPOID_TEST_DATABASE: ':memory:' }, file);
    await own.close();
    expect(own).toMatchObject({ database: file, keptData: { until: 'deleted', database: file } });
  });

  test('OCTOPOID_TEST_DATABASE=postgres:fresh runs on a fresh database, dropped after the run', async () => {
    const own = await serverForRun({
      OCTOPOID_TEST_DATABASE: 'postgres:fresh',
      OCTOPOID_TEST_POSTGRES_URL: process.env.OCTOPOID_TEST_POSTGRES_URL,
    });
    const database = own.database as string;
    try {
      expect(await (await fetch(`${own.url}/api/health`)).json()).toMatchObject({
        dialect: 'postgres',
      });
      expect(own.keptData).toEqual({ until: 'run-ends' });
    } finally {
      await own.close();
    }
    const admin = new pg.Client({
      connectionString: process.env.OCTOPOID_TEST_POSTGRES_URL ?? ADMIN_URL,
    });
    await admin.connect();
    try {
      const name = new URL(database).pathname.slice(1);
      const found = await admin.query('select 1 from pg_database where datname = $1', [name]);
      expect(found.rowCount).toBe(0);
    } finally {
      await admin.end();
    }
  });

  test('a bare backend name is refused instead of becoming a SQLite file of that name', async () => {
    for (const word of ['postgres', 'PostgreSQL']) {
      await expect(serverForRun({ OCTOPOID_TEST_DATABASE: word })).rejects.toThrow(
        `the test database "${word}" names a backend, not a database; use postgres:fresh`,
      );
    }
    await expect(serverForRun({ OCTOPOID_TEST_DATABASE: 'mysql://localhost/x' })).rejects.toThrow(
      /unsupported scheme "mysql:"/,
    );
  });

  test('an unreachable PostgreSQL for a fresh database is named, with how to point at another', async () => {
    await expect(
      serverForRun({
        OCTOPOID_TEST_DATABASE: 'postgres:fresh',
        OCTOPOID_TEST_POSTGRES_URL: UNREACHABLE_POSTGRES,
      }),
    ).rejects.toThrow(
      'cannot reach PostgreSQL at postgres://postgres:***@127.0.0.1:1/postgres (ECONNREFUSED) to ' +
        'create a fresh test database: start it, or set OCTOPOID_TEST_POSTGRES_URL to another server',
    );
  });

  test('npm test without PostgreSQL stops with one line saying how to run SQLite alone', async () => {
    const check = promisify(execFile)(process.execPath, [CHECK_POSTGRES], {
      env: { ...process.env, OCTOPOID_TEST_POSTGRES_URL: UNREACHABLE_POSTGRES },
    });
    const failure = await check.then(
      () => expect.unreachable('the check passed without PostgreSQL'),
      (error: { code: number; stderr: string }) => error,
    );
    expect(failure.code).toBe(1);
    expect(failure.stderr.trimEnd().split('\n')).toEqual([
      'npm test runs every test on SQLite and PostgreSQL, and no PostgreSQL answers at ' +
        'postgres://postgres:***@127.0.0.1:1/postgres (ECONNREFUSED): start one, set ' +
        'OCTOPOID_TEST_POSTGRES_URL to another, or run the SQLite half alone with ' +
        '`npx vitest run --project sqlite`',
    ]);
  });

  test('an unknown OCTOPOID_TEST_SERVER_MODE is refused', async () => {
    await expect(serverForRun({ OCTOPOID_TEST_SERVER_MODE: 'docker' })).rejects.toThrow(
      /OCTOPOID_TEST_SERVER_MODE must be in-process or subprocess, not docker/,
    );
  });
});
