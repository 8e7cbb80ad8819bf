import { createHash } from 'node:crypto';
import { type Kysely, sql } from 'kysely';
import { type Migration, migrationLabel, readMigrations } from './migrations/index.js';
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

/** A migration ready to apply: its statements, and the checksum a database records for it. */
export interface CompiledMigration {
  migration: Migration;
  label: string;
  checksum: string;
  statements: string[];
}

/** How every statement of a migration file ends, the last one included. */
const STATEMENT_END = ';\n';

/**
 * Splits a migration file into statements and hashes it. The checksum is the SHA-256 of the text
 * without its final `;` and newline: exactly the statements joined by `;` and a newline, the text
 * earlier servers hashed, so databases they migrated keep matching.
 *
 * @throws Error when the file does not end its last statement with `;` and a newline.
 */
export function compileMigration(migration: Migration): CompiledMigration {
  const label = migrationLabel(migration);
  if (!migration.text.endsWith(STATEMENT_END)) {
    throw new Error(`migration ${migration.dialect}/${label}.sql must end with ";" and a newline`);
  }
  const body = migration.text.slice(0, -STATEMENT_END.length);
  return {
    migration,
    label,
    checksum: createHash('sha256').update(body).digest('hex'),
    statements: body.split(STATEMENT_END),
  };
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
    if (!mine)
      problems.push(`unknown migration ${migrationLabel(row)} is recorded (a newer server?)`);
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
 * or an advisory lock (PostgreSQL), so each migration runs once. `migrations`: the store
 * dialect's shipped ones unless given (a test may apply only the first few).
 *
 * @throws MigrationDriftError listing every difference, before anything is applied.
 */
export async function migrate(
  store: Store,
  migrations?: readonly Migration[],
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
  const known = (migrations ?? (await readMigrations(store.dialect))).map(compileMigration);
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
      for (const statement of k.statements) await sql.raw(statement).execute(tx);
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
