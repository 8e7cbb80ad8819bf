import { describe, expect, test } from 'vitest';
import { findDrift } from '../../src/store/migrator.js';

type Known = Parameters<typeof findDrift>[0][number];

/** A compiled migration as findDrift sees it: only id, name, label and checksum matter. */
const known = (id: number, name: string, checksum = `sum-${id}`): Known =>
  ({
    migration: { id, name, dialect: 'sqlite', text: '' },
    label: `${String(id).padStart(4, '0')}-${name}`,
    checksum,
    statements: [],
  }) as Known;

const applied = (id: number, name: string, checksum = `sum-${id}`) => ({ id, name, checksum });

const shipped = [known(1, 'initial'), known(2, 'indexes'), known(3, 'flows')];

describe('findDrift', () => {
  test('a fresh database has no drift', () => {
    expect(findDrift(shipped, [])).toEqual([]);
  });

  test('a database at or behind the server has no drift (pending migrations are fine)', () => {
    expect(findDrift(shipped, [applied(1, 'initial')])).toEqual([]);
    expect(findDrift(shipped, [applied(1, 'initial'), applied(2, 'indexes')])).toEqual([]);
    expect(
      findDrift(shipped, [applied(1, 'initial'), applied(2, 'indexes'), applied(3, 'flows')]),
    ).toEqual([]);
  });

  test('a changed checksum is an altered migration', () => {
    expect(findDrift(shipped, [applied(1, 'initial'), applied(2, 'indexes', 'other')])).toEqual([
      'migration 0002-indexes was altered',
    ]);
  });

  test('a recorded id the server does not ship is unknown', () => {
    expect(findDrift(shipped, [applied(1, 'initial'), applied(7, 'future')])).toEqual([
      'unknown migration 0007-future is recorded (a newer server?)',
      'migration 0002-indexes is missing although later ones are recorded',
      'migration 0003-flows is missing although later ones are recorded',
    ]);
  });

  test('a gap below the newest recorded migration is missing', () => {
    expect(findDrift(shipped, [applied(1, 'initial'), applied(3, 'flows')])).toEqual([
      'migration 0002-indexes is missing although later ones are recorded',
    ]);
    expect(findDrift(shipped, [applied(3, 'flows')])).toEqual([
      'migration 0001-initial is missing although later ones are recorded',
      'migration 0002-indexes is missing although later ones are recorded',
    ]);
  });

  test('lists every problem at once', () => {
    const problems = findDrift(shipped, [applied(2, 'indexes', 'x'), applied(9, 'extra')]);
    expect(problems).toEqual([
      'migration 0002-indexes was altered',
      'unknown migration 0009-extra is recorded (a newer server?)',
      'migration 0001-initial is missing although later ones are recorded',
      'migration 0003-flows is missing although later ones are recorded',
    ]);
  });
});
