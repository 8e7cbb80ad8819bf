import { describe, expect, test } from 'vitest';
import { readMigrations } from '../../src/store/migrations/index.js';
import { compileMigration } from '../../src/store/migrator.js';
import { PINNED_CHECKSUMS } from '../migration-checksums.js';

describe('migration files', () => {
  test.each(['sqlite', 'postgres'] as const)(
    'every %s migration hashes to its pinned checksum (a changed file fails here)',
    async (dialect) => {
      const shipped = (await readMigrations(dialect)).map(compileMigration);
      expect(
        shipped.map(({ migration, checksum }) => ({
          id: migration.id,
          name: migration.name,
          checksum,
        })),
      ).toEqual(PINNED_CHECKSUMS[dialect]);
    },
  );

  test('a file is split into its statements, without their terminators', () => {
    const compiled = compileMigration({
      id: 9,
      name: 'two-steps',
      dialect: 'sqlite',
      text: 'create table "a" ("x" text);\ncreate index "a_x" on "a" ("x");\n',
    });
    expect(compiled.label).toBe('0009-two-steps');
    expect(compiled.statements).toEqual([
      'create table "a" ("x" text)',
      'create index "a_x" on "a" ("x")',
    ]);
  });

  test('any change to the text changes the checksum, whitespace included', () => {
    const checksum = (text: string) =>
      compileMigration({ id: 1, name: 'm', dialect: 'postgres', text }).checksum;
    expect(checksum('create table "a" ("x" text);\n')).not.toBe(
      checksum('create table "a"  ("x" text);\n'),
    );
  });

  test('a file whose last statement is not terminated is refused, naming the file', () => {
    expect(() =>
      compileMigration({ id: 4, name: 'cut-short', dialect: 'postgres', text: 'select 1' }),
    ).toThrow('migration postgres/0004-cut-short.sql must end with ";" and a newline');
  });
});
