import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import { MigrationDriftError, startServer } from '@octopoid/server';
import SQLite from 'better-sqlite3';
import { afterAll, describe, expect, test } from 'vitest';
import { readMigrations } from '../src/store/migrations/index.js';
import { migrate } from '../src/store/migrator.js';
import { openStore } from '../src/store/open.js';
import { newTask } from './tasks-support.js';

interface MigrationRow {
  id: number;
  name: string;
  checksum: string;
  applied_at: string;
}

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A fresh SQLite file that one server start has migrated (and that holds one task). */
async function migratedFile(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'octopoid-migrations-'));
  dirs.push(dir);
  const database = join(dir, 'octopoid.db');
  await using server = await startServer({ port: 0, logLevel: 'silent', database });
  await new OctopoidSDK({ serverUrl: server.url, scope: 'm' }).tasks.create(newTask('t-1'));
  return database;
}

/** Opens the file directly, as an operator (or a botched manual fix) would. */
function withFile<T>(database: string, work: (db: SQLite.Database) => T): T {
  const db = new SQLite(database);
  try {
    return work(db);
  } finally {
    db.close();
  }
}

const recorded = (database: string) =>
  withFile(database, (db) =>
    db.prepare('select * from octopoid_migrations order by id').all(),
  ) as MigrationRow[];

async function expectDrift(database: string, ...fragments: string[]) {
  const error = await startServer({ port: 0, logLevel: 'silent', database }).then(
    async (server) => {
      await server.close();
      throw new Error('startServer accepted a drifted database');
    },
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(MigrationDriftError);
  for (const fragment of fragments) expect((error as Error).message).toContain(fragment);
  return error as MigrationDriftError;
}

describe('migrations', () => {
  test('a fresh file is migrated once; a second start applies nothing and keeps the data', async () => {
    const database = await migratedFile();
    const first = recorded(database);
    expect(first.map((m) => [m.id, m.name])).toEqual([
      [1, 'initial-schema'],
      [2, 'task-attempts-and-fencing'],
      [3, 'history-numbered-per-task'],
      [4, 'claim-replays'],
      [5, 'claim-and-expiry-order-indexes'],
    ]);
    expect(first[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);

    const server = await startServer({ port: 0, logLevel: 'silent', database });
    const task = await new OctopoidSDK({ serverUrl: server.url, scope: 'm' }).tasks.get('t-1');
    await server.close();
    expect(task).toMatchObject({ id: 't-1', scope: 'm' });
    // Read once the server is gone: a running server holds its SQLite file exclusively.
    expect(recorded(database)).toEqual(first);
  });

  test('an altered checksum is refused, naming the migration', async () => {
    const database = await migratedFile();
    withFile(database, (db) =>
      db.prepare("update octopoid_migrations set checksum = 'deadbeef' where id = 1").run(),
    );
    const error = await expectDrift(database, '0001-initial-schema', 'altered');
    expect(error.problems).toEqual(['migration 0001-initial-schema was altered']);
    // Refused before anything changed: the record is as the operator left it.
    expect(recorded(database)[0]?.checksum).toBe('deadbeef');
  });

  test('an unknown recorded migration is refused, naming it', async () => {
    const database = await migratedFile();
    withFile(database, (db) =>
      db
        .prepare(
          "insert into octopoid_migrations (id, name, checksum, applied_at) values (42, 'from-the-future', 'abc', '2030-01-01T00:00:00.000Z')",
        )
        .run(),
    );
    const error = await expectDrift(database, '0042-from-the-future');
    expect(error.problems).toHaveLength(1);
  });

  test('a migration missing below a recorded one is refused, naming it', async () => {
    const database = await migratedFile();
    withFile(database, (db) => {
      db.prepare(
        "insert into octopoid_migrations (id, name, checksum, applied_at) values (99, 'later', 'abc', '2030-01-01T00:00:00.000Z')",
      ).run();
      db.prepare('delete from octopoid_migrations where id = 1').run();
    });
    const error = await expectDrift(database, '0001-initial-schema', 'missing', '0099-later');
    expect(error.problems).toHaveLength(2);
  });

  test('a refused start leaves the file usable once the drift is repaired', async () => {
    const database = await migratedFile();
    const [original] = recorded(database);
    withFile(database, (db) =>
      db.prepare("update octopoid_migrations set checksum = 'x' where id = 1").run(),
    );
    await expectDrift(database, '0001-initial-schema');
    withFile(database, (db) =>
      db
        .prepare('update octopoid_migrations set checksum = ? where id = 1')
        .run(original?.checksum),
    );
    await using server = await startServer({ port: 0, logLevel: 'silent', database });
    expect(
      await new OctopoidSDK({ serverUrl: server.url, scope: 'm' }).tasks.get('t-1'),
    ).not.toBeNull();
  });

  test('history written before entries were numbered per task is numbered in its order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'octopoid-migrations-'));
    dirs.push(dir);
    const database = join(dir, 'octopoid.db');
    const store = await openStore({ kind: 'sqlite-file', path: database });
    await migrate(store, (await readMigrations('sqlite')).slice(0, 2));
    await store.close();
    withFile(database, (db) => {
      const task = db.prepare(
        "insert into tasks (scope, id, file_path, title, queue, branch, flow, created_at, updated_at) values (?, ?, ?, 't', 'incoming', 'main', 'default', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z')",
      );
      const entry = db.prepare(
        "insert into task_history (scope, task_id, event, timestamp) values (?, ?, ?, '2026-01-01T00:00:00.000Z')",
      );
      for (const [scope, id] of [
        ['a', 't-1'],
        ['b', 't-1'],
        ['a', 't-2'],
      ]) {
        task.run(scope, id, `${id}.md`);
      }
      for (const [scope, id, event] of [
        ['a', 't-1', 'created'],
        ['b', 't-1', 'created'],
        ['a', 't-2', 'created'],
        ['a', 't-1', 'claimed'],
        ['b', 't-1', 'claimed'],
        ['a', 't-1', 'submitted'],
      ]) {
        entry.run(scope, id, event);
      }
    });
    await using server = await startServer({ port: 0, logLevel: 'silent', database });
    const history = async (scope: string, id: string) =>
      (await new OctopoidSDK({ serverUrl: server.url, scope }).tasks.history(id)).history.map(
        (e) => [e.id, e.event],
      );
    expect(await history('a', 't-1')).toEqual([
      [1, 'created'],
      [2, 'claimed'],
      [3, 'submitted'],
    ]);
    expect(await history('b', 't-1')).toEqual([
      [1, 'created'],
      [2, 'claimed'],
    ]);
    expect(await history('a', 't-2')).toEqual([[1, 'created']]);
  });
});
