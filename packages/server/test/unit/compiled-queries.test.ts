import { describe, test } from '@octopoid/testing/vitest';
import { Kysely, PostgresDialect, sql } from 'kysely';
import {
  compiledQueries,
  compiledQuery,
  definedColumns,
  prefixedValues,
  QueryShapeError,
  slotsUnder,
} from '../../src/store/compiled-queries.js';
import { withCapabilities } from '../../src/store/handle.js';
import { migrate } from '../../src/store/migrator.js';
import type { Database } from '../../src/store/schema.js';
import { openSqliteStore } from '../../src/store/sqlite.js';
import type { Db } from '../../src/store/store.js';

/** A PostgreSQL handle that compiles queries and is never connected. */
const postgres: Db = withCapabilities(
  new Kysely<Database>({
    dialect: new PostgresDialect({
      pool: {
        connect: () => Promise.reject(new Error('compile only')),
        end: async () => {},
      },
    }),
  }),
  { dialect: 'postgres', rowLocks: true },
);

const roleByName = compiledQuery((db, slots: { scope: string; name: string }) =>
  db
    .selectFrom('roles')
    .selectAll()
    .where('scope', '=', slots.scope)
    .where('claims_from', '!=', 'done')
    .where('name', '=', slots.name)
    .$if(db.capabilities.rowLocks, (q) => q.forUpdate()),
);

describe('compiled queries', () => {
  test('fills the slots into the SQL Kysely compiles for the same values', ({ expect }) => {
    const direct = postgres
      .selectFrom('roles')
      .selectAll()
      .where('scope', '=', 's1')
      .where('claims_from', '!=', 'done')
      .where('name', '=', 'coder')
      .forUpdate()
      .compile();
    const compiled = roleByName.compile(postgres, { scope: 's1', name: 'coder' });
    expect(compiled.sql).toBe(direct.sql);
    expect(compiled.parameters).toEqual(['s1', 'done', 'coder']);
    const again = roleByName.compile(postgres, { scope: 's2', name: 'reviewer' });
    expect(again.sql).toBe(direct.sql);
    expect(again.parameters).toEqual(['s2', 'done', 'reviewer']);
  });

  test('runs on SQLite, compiled for its own dialect', async ({ expect, onTestFinished }) => {
    const store = openSqliteStore(':memory:');
    onTestFinished(() => store.close());
    await migrate(store);
    await store.db
      .insertInto('roles')
      .values(
        ['coder', 'reviewer'].map((name) => ({
          scope: 's1',
          name,
          description: null,
          claims_from: 'incoming',
          orchestrator_id: 'o1',
          created_at: '2026-01-01T00:00:00.000Z',
        })),
      )
      .execute();
    const found = await roleByName.run(store.db, { scope: 's1', name: 'reviewer' });
    expect(found.map((role) => role.name)).toEqual(['reviewer']);
    expect(await roleByName.run(store.db, { scope: 's2', name: 'reviewer' })).toEqual([]);
    expect(roleByName.compile(store.db, { scope: 's1', name: 'x' }).sql).not.toContain(
      'for update',
    );
  });

  test('refuses a slot that appears twice', ({ expect }) => {
    const twice = compiledQuery((db, slots: { scope: string }) =>
      db
        .selectFrom('roles')
        .selectAll()
        .where('scope', '=', slots.scope)
        .where('name', '=', slots.scope),
    );
    expect(() => twice.compile(postgres, { scope: 's1' })).toThrow(QueryShapeError);
    expect(() => twice.compile(postgres, { scope: 's1' })).toThrow(/scope: appears more than once/);
  });

  test('refuses a slot the builder computed with or inlined', ({ expect }) => {
    const computed = compiledQuery((db, slots: { name: string }) =>
      db.selectFrom('roles').selectAll().where('name', '=', `${slots.name}-x`),
    );
    expect(() => computed.compile(postgres, { name: 'a' })).toThrow(/name: does not reach/);
    const inlined = compiledQuery((db, slots: { name: string }) =>
      db
        .selectFrom('roles')
        .selectAll()
        .where(sql<boolean>`name = ${sql.lit(slots.name)}`),
    );
    expect(() => inlined.compile(postgres, { name: 'a' })).toThrow(QueryShapeError);
  });

  test('a family compiles one query per key', ({ expect }) => {
    let builds = 0;
    const byNames = compiledQueries(
      (count: number) => String(count),
      (db, slots: Record<string, unknown>, count) => {
        builds += 1;
        const names = Array.from({ length: count }, (_, i) => slots[`name.${i}`] as string);
        return db.selectFrom('roles').selectAll().where('name', 'in', names);
      },
    );
    const two = byNames(2).compile(postgres, { 'name.0': 'a', 'name.1': 'b' });
    expect(two.sql).toContain('in ($1, $2)');
    expect(two.parameters).toEqual(['a', 'b']);
    expect(byNames(2).compile(postgres, { 'name.0': 'c', 'name.1': 'd' }).parameters).toEqual([
      'c',
      'd',
    ]);
    expect(byNames(1).compile(postgres, { 'name.0': 'e' }).sql).toContain('in ($1)');
    expect(builds).toBe(2);
  });

  test('nested builders read the same names under their own prefixes', ({ expect }) => {
    const byScope = (db: Db, slots: Record<string, unknown>) =>
      db
        .selectFrom('roles')
        .select('name')
        .where('scope', '=', slots.scope as string);
    const both = compiledQuery((db, slots: Record<string, unknown>) =>
      byScope(db, slotsUnder(slots, 'a.')).union(byScope(db, slotsUnder(slots, 'b.'))),
    );
    const compiled = both.compile(postgres, {
      ...prefixedValues('a.', { scope: 's1' }),
      ...prefixedValues('b.', { scope: 's2' }),
    });
    expect(compiled.parameters).toEqual(['s1', 's2']);
  });

  test('definedColumns leaves out the columns Kysely leaves out', ({ expect }) => {
    expect(definedColumns({ a: 1, b: undefined, c: null })).toEqual(['a', 'c']);
  });
});
