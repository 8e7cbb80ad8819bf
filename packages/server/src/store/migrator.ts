import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import type { Migration } from './migrations/index.js';
import type { Database } from './schema.js';
import type { Store } from './store.js';

export class MigrationDriftError extends Error {
  constructor(readonly problems: string[]) {
    super(
      `database schema does not match this server's migrations:\n  - ${problems.join('\n  - ')}`,
    );
    this.name = 'MigrationDriftError';
  }
}

export interface MigrationReport {
  applied: string[];
  alreadyApplied: string[];
}

interface CompiledMigration {
  migration: Migration;
  label: string;
  checksum: string;
  queries: ReturnType<ReturnType<Migration['statements']>[number]['compile']>[];
}

const label = (m: { id: number; name: string }) => `${String(m.id).padStart(4, '0')}-${m.name}`;

function compile(store: Store, migration: Migration): CompiledMigration {
  const queries = migration
    .statements(store.db as unknown as Kysely<unknown>, store.dialect)
    .map((s) => s.compile());
  const checksum = createHash('sha256')
    .update(queries.map((q) => q.sql).join(';\n'))
    .digest('hex');
  return { migration, label: label(migration), checksum, queries };
}

async function recorded(db: Kysely<Database>) {
  return db.selectFrom('octopoid_migrations').selectAll().orderBy('id').execute();
}

/** Lists every difference between what the database recorded and what this server ships. */
export function findDrift(
  known: readonly CompiledMigration[],
  applied: readonly { id: number; name: string; checksum: string }[],
): string[] {
  const problems: string[] = [];
  const byId = new Map(known.map((k) => [k.migration.id, k]));
  const appliedIds = new Set(applied.map((a) => a.id));
  const newestApplied = Math.max(0, ...appliedIds);
  for (const row of applied) {
    const mine = byId.get(row.id);
    if (!mine) problems.push(`unknown migration ${label(row)} is recorded (a newer server?)`);
    else if (mine.checksum !== row.checksum) problems.push(`migration ${mine.label} was altered`);
  }
  for (const k of known) {
    if (k.migration.id < newestApplied && !appliedIds.has(k.migration.id)) {
      problems.push(`migration ${k.label} is missing although later ones are recorded`);
    }
  }
  return problems;
}

/**
 * Applies pending migrations in one transaction, after checking that what is already recorded
 * matches this server exactly. Concurrent starters serialise on the write transaction (SQLite)
 * or an advisory lock (PostgreSQL), so each migration runs once.
 */
export async function migrate(
  store: Store,
  migrations: readonly Migration[],
): Promise<MigrationReport> {
  await store.db.schema
    .createTable('octopoid_migrations')
    .ifNotExists()
    .addColumn('id', 'integer', (c) => c.primaryKey())
    .addColumn('name', 'text', (c) => c.notNull())
    .addColumn('checksum', 'text', (c) => c.notNull())
    .addColumn('applied_at', 'text', (c) => c.notNull())
    .execute()
    .catch(async (error: unknown) => {
      // Two PostgreSQL instances may race on the very first CREATE TABLE.
      if (!(await tableExists(store))) throw error;
    });
  const known = migrations.map((m) => compile(store, m));
  return store.transaction(async (tx) => {
    if (store.dialect === 'postgres') {
      await sql`select pg_advisory_xact_lock(hashtext('octopoid_migrations'))`.execute(tx);
    }
    const applied = await recorded(tx);
    const problems = findDrift(known, applied);
    if (problems.length > 0) throw new MigrationDriftError(problems);
    const appliedIds = new Set(applied.map((a) => a.id));
    const report: MigrationReport = { applied: [], alreadyApplied: [] };
    for (const k of known) {
      if (appliedIds.has(k.migration.id)) {
        report.alreadyApplied.push(k.label);
        continue;
      }
      for (const query of k.queries) await tx.executeQuery(query);
      await tx
        .insertInto('octopoid_migrations')
        .values({
          id: k.migration.id,
          name: k.migration.name,
          checksum: k.checksum,
          applied_at: new Date().toISOString(),
        })
        .execute();
      report.applied.push(k.label);
    }
    return report;
  });
}

async function tableExists(store: Store): Promise<boolean> {
  const tables = await store.db.introspection.getTables();
  return tables.some((t) => t.name === 'octopoid_migrations');
}
