import { ScopeCounts } from '@octopoid/api';
import { testDatabase } from '@octopoid/testing/vitest';
import { describe, expect, test } from 'vitest';
import { SCOPED_ENTITIES, SCOPED_TABLES } from '../src/store/entities.js';
import { parseDatabaseLocation } from '../src/store/location.js';
import { migrate } from '../src/store/migrator.js';
import { openStore } from '../src/store/open.js';

describe('the scoped-entity registry', () => {
  test('names every table of the migrated schema that has a scope column, and no other', async () => {
    await using database = await testDatabase();
    const store = await openStore(parseDatabaseLocation(database.url, 'database'));
    try {
      await migrate(store);
      const tables = await store.db.introspection.getTables();
      const scoped = tables
        .filter((table) => table.columns.some((column) => column.name === 'scope'))
        .map((table) => table.name);
      expect([...SCOPED_TABLES].sort()).toEqual(scoped.sort());
      for (const table of tables.filter((t) => SCOPED_TABLES.includes(t.name as never))) {
        const columns = table.columns.map((column) => column.name);
        const { key, created, changed } =
          SCOPED_ENTITIES[table.name as keyof typeof SCOPED_ENTITIES];
        expect(columns, table.name).toEqual(expect.arrayContaining([key, created, ...changed]));
      }
    } finally {
      await store.close();
    }
  });

  test('is what the API counts per scope: one count per registered table', () => {
    expect(Object.keys(ScopeCounts.shape).sort()).toEqual([...SCOPED_TABLES].sort());
  });

  test('lists parents before children, so a copy in its order satisfies every foreign key', () => {
    const position = (table: string) => SCOPED_TABLES.indexOf(table as never);
    expect(position('projects')).toBeLessThan(position('tasks'));
    expect(position('tasks')).toBeLessThan(position('task_history'));
  });
});
