import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { describe, expect, type TestContext, test } from 'vitest';
import { StorageFlushError } from '../../src/store/errors.js';
import { openSqliteStore, walFlusher } from '../../src/store/sqlite.js';

/**
 * A store on a fresh file whose log flushes are counted (and really done); a flush waits for
 * `counted.hold` when a test sets it.
 */
function countingStore({ onTestFinished }: TestContext) {
  const dir = mkdtempSync(join(tmpdir(), 'octopoid-group-commit-'));
  const path = join(dir, 'db.sqlite');
  const flush = walFlusher(path);
  const counted: { flushes: number; hold?: Promise<void> } = { flushes: 0 };
  const store = openSqliteStore(path, {
    flush: async () => {
      counted.flushes += 1;
      await counted.hold;
      await flush.flush();
    },
    close: () => flush.close(),
  });
  onTestFinished(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return { store, counted, path };
}

describe('SQLite group commit', () => {
  test('a write outside a transaction is flushed before durable() resolves', async (context) => {
    const { store, counted } = countingStore(context);
    await sql`create table t (n integer)`.execute(store.db);
    await store.durable();
    expect(counted.flushes).toBe(1);
    await sql`insert into t values (1)`.execute(store.db);
    await store.durable();
    expect(counted.flushes).toBe(2);
  });

  test('reads and read-only snapshots need no flush', async (context) => {
    const { store, counted } = countingStore(context);
    await sql`create table t (n integer)`.execute(store.db);
    await store.durable();
    await sql`select * from t`.execute(store.db);
    await store.snapshot((db) => sql`select count(*) from t`.execute(db));
    await store.durable();
    expect(counted.flushes).toBe(1);
  });

  test('a transaction counts once, at its commit, and concurrent commits share a flush', async (context) => {
    const { store, counted } = countingStore(context);
    await sql`create table t (n integer)`.execute(store.db);
    await store.durable();
    const insert = (n: number) =>
      store.transaction(async (tx) => {
        await sql`insert into t values (${n})`.execute(tx);
        await sql`insert into t values (${n + 100})`.execute(tx);
      });
    let release = () => {};
    counted.hold = new Promise((resolve) => {
      release = resolve;
    });
    const committed = Array.from({ length: 8 }, (_, n) => insert(n));
    const acknowledged = committed.map((commit) => commit.then(() => store.durable()));
    await Promise.all(committed);
    release();
    await Promise.all(acknowledged);
    // The first commit's flush began alone; the seven commits made while it ran share one more.
    expect(counted.flushes).toBeLessThanOrEqual(1 + 2);
    const rows = await sql<{ n: number }>`select count(*) as n from t`.execute(store.db);
    expect(rows.rows[0]?.n).toBe(16);
  });

  test('a write inside a transaction is not durable-counted until the commit', async (context) => {
    const { store, counted } = countingStore(context);
    await sql`create table t (n integer)`.execute(store.db);
    await store.durable();
    await store.transaction(async (tx) => {
      await sql`insert into t values (1)`.execute(tx);
      // Still inside the transaction: nothing committed, so nothing to flush yet.
      await store.durable();
      expect(counted.flushes).toBe(1);
    });
    await store.durable();
    expect(counted.flushes).toBe(2);
  });

  test('the real flush syncs the log, and names the file when it cannot', async (context) => {
    const { store, path } = countingStore(context);
    await sql`create table t (n integer)`.execute(store.db);
    const log = walFlusher(path);
    await expect(log.flush()).resolves.toBeUndefined();
    await expect(log.flush()).resolves.toBeUndefined();
    await log.close();
    const missing = walFlusher(join(tmpdir(), 'octopoid-no-such-folder', 'db.sqlite'));
    const error = await missing.flush().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StorageFlushError);
    expect((error as StorageFlushError).message).toContain('octopoid-no-such-folder');
  });
});
