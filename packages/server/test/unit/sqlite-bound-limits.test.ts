import { describe, expect, test } from 'vitest';
import { openSqliteStore } from '../../src/store/sqlite.js';

describe('LIMIT and OFFSET on SQLite', () => {
  test('are bound inside a cast, and still page as given', async ({ onTestFinished }) => {
    const store = openSqliteStore(':memory:');
    onTestFinished(() => store.close());
    await store.db.schema
      .createTable('octopoid_migrations')
      .addColumn('id', 'integer', (column) => column.primaryKey())
      .addColumn('name', 'text')
      .addColumn('checksum', 'text')
      .addColumn('applied_at', 'text')
      .execute();
    const query = store.db
      .selectFrom('octopoid_migrations')
      .select('id')
      .orderBy('id')
      .limit(2)
      .offset(1);
    const compiled = query.compile();
    expect(compiled.sql).toMatch(/limit cast\(\? as integer\) offset cast\(\? as integer\)$/);
    expect(compiled.parameters).toEqual([2, 1]);

    await store.db
      .insertInto('octopoid_migrations')
      .values([1, 2, 3, 4].map((id) => ({ id, name: `m${id}`, checksum: '', applied_at: '' })))
      .execute();
    expect(await query.execute()).toEqual([{ id: 2 }, { id: 3 }]);
  });
});
