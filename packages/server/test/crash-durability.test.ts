/**
 * Nothing acknowledged is lost in a crash: the shipped server binary (from `dist/`, built by
 * `npm test`, refused when older than its sources) takes concurrent writes, is killed with SIGKILL while requests are in flight,
 * and is started again on the same database. Every write it acknowledged must be there, every
 * task's history must match its version, and the database's own integrity check must pass.
 * The SQLite project runs it on a file, the PostgreSQL project on a fresh database.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, serverBin, test, testDatabase } from '@octopoid/testing/vitest';
import SQLite from 'better-sqlite3';
import pg from 'pg';
import { newTask } from './tasks-support.js';

const BIN = serverBin();
const WRITERS = 16;
/** Acknowledged writes to see before the kill; writes keep going while it lands. */
const ACKS_BEFORE_KILL = 400;
const SCOPE = 'crash';

interface Spawned {
  child: ChildProcess;
  url: string;
}

/** Starts `octopoid-server serve` on `database`; resolves once it prints its URL. */
async function spawnServer(database: string): Promise<Spawned> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--db', database, '--log-level', 'info'],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  for await (const line of lines) {
    const entry = JSON.parse(line) as { msg?: string; url?: string };
    if (entry.msg === 'octopoid server listening' && entry.url) {
      // Keep reading, so a full pipe never blocks the server.
      lines.on('line', () => {});
      return { child, url: entry.url };
    }
  }
  throw new Error('octopoid-server exited before listening');
}

/**
 * Writers create tasks and move them on (claim, submit), remembering the version each
 * acknowledged write left; the server is killed once enough were acknowledged.
 */
async function writeUntilKilled(server: Spawned): Promise<Map<string, number>> {
  const sdk = new OctopoidSDK({ serverUrl: server.url, scope: SCOPE, retries: 0 });
  const acked = new Map<string, number>();
  let next = 0;
  let killed = false;
  const writer = async (n: number) => {
    while (!killed) {
      const id = `t-${next++}`;
      try {
        acked.set(id, (await sdk.tasks.create(newTask(id))).version);
        const claimed = await sdk.tasks.claim({ orchestrator_id: 'o', agent_name: `a-${n}` });
        if (claimed) acked.set(claimed.id, claimed.version);
        if (claimed) {
          const submitted = await sdk.tasks.submit(claimed.id, { commits_count: 1, turns_used: 1 });
          acked.set(submitted.id, submitted.version);
        }
      } catch (error) {
        if (!killed) throw error;
      }
      if (acked.size >= ACKS_BEFORE_KILL && !killed) {
        killed = true;
        server.child.kill('SIGKILL');
      }
    }
  };
  await Promise.all(Array.from({ length: WRITERS }, (_, n) => writer(n)));
  await (server.child.exitCode === null && server.child.signalCode === null
    ? once(server.child, 'exit')
    : undefined);
  expect(server.child.signalCode).toBe('SIGKILL');
  return acked;
}

/** Every acknowledged write is there after the restart, with history matching each version. */
async function expectAcknowledgedWrites(url: string, acked: Map<string, number>) {
  const sdk = new OctopoidSDK({ serverUrl: url, scope: SCOPE });
  const tasks = new Map((await sdk.tasks.list({ limit: 500 })).map((task) => [task.id, task]));
  for (let offset = 500; tasks.size === offset; offset += 500) {
    for (const task of await sdk.tasks.list({ limit: 500, offset })) tasks.set(task.id, task);
  }
  for (const [id, version] of acked) {
    expect(tasks.get(id)?.version, id).toBeGreaterThanOrEqual(version);
  }
  for (const task of tasks.values()) {
    const { history } = await sdk.tasks.history(task.id);
    expect(history.length, task.id).toBe(task.version);
  }
}

async function killAndRestart(database: string) {
  const first = await spawnServer(database);
  const acked = await writeUntilKilled(first);
  expect(acked.size).toBeGreaterThanOrEqual(ACKS_BEFORE_KILL);
  const second = await spawnServer(database);
  try {
    await expectAcknowledgedWrites(second.url, acked);
  } finally {
    second.child.kill('SIGTERM');
    await once(second.child, 'exit');
  }
  return acked.size;
}

/** SQLite's own check of the file, and of its foreign keys. */
function checkSqliteFile(database: string) {
  const db = new SQLite(database, { readonly: true });
  try {
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    expect(db.pragma('foreign_key_check')).toEqual([]);
  } finally {
    db.close();
  }
}

/** PostgreSQL's `amcheck` over every index of the schema (heap pointers included). */
async function checkPostgresIndexes(url: string) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('create extension if not exists amcheck');
    const { rows } = await client.query<{ index: string }>(
      `select c.relname as index from pg_index i
         join pg_class c on c.oid = i.indexrelid
         join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = 'public'`,
    );
    expect(rows.length).toBeGreaterThan(5);
    for (const { index } of rows) {
      await client.query('select bt_index_check($1::regclass, true)', [index]);
    }
  } finally {
    await client.end();
  }
}

describe('a server killed under write load', () => {
  test('keeps every acknowledged write, and its database passes its integrity check', {
    timeout: 120_000,
  }, async () => {
    await using database = await testDatabase({ persistent: true });
    await killAndRestart(database.url);
    if (database.backend === 'postgres') await checkPostgresIndexes(database.url);
    else checkSqliteFile(database.url);
  });
});
