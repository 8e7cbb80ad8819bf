import { describe, expect, test } from 'vitest';
import {
  DatabaseLocationError,
  describeDatabaseLocation,
  parseDatabaseLocation,
} from '../../src/store/location.js';

const parse = (text: string) => parseDatabaseLocation(text, '--db', '/srv/app');

describe('database locations', () => {
  test.each([
    ['data/octopoid.db', { kind: 'sqlite-file', path: '/srv/app/data/octopoid.db' }],
    ['/var/lib/octopoid.db', { kind: 'sqlite-file', path: '/var/lib/octopoid.db' }],
    ['sqlite:data/x.db', { kind: 'sqlite-file', path: '/srv/app/data/x.db' }],
    ['sqlite:///var/x.db', { kind: 'sqlite-file', path: '/var/x.db' }],
    [':memory:', { kind: 'memory' }],
    ['sqlite::memory:', { kind: 'memory' }],
    ['postgres://u:p@db:5432/q', { kind: 'postgres', url: 'postgres://u:p@db:5432/q' }],
    ['postgresql://db/q', { kind: 'postgres', url: 'postgresql://db/q' }],
  ])('%s is accepted', (text, location) => {
    expect(parse(text)).toEqual(location);
  });

  test.each([
    ['', 'is empty'],
    ['  ', 'is empty'],
    ['postgres', 'names a backend, not a database'],
    ['MySQL', 'names a backend, not a database'],
    ['sqlite', 'names a backend, not a database'],
    ['mysql://localhost/x', 'has an unsupported scheme "mysql:"'],
    ['file:x.db', 'has an unsupported scheme "file:"'],
    ['postgres:fresh', 'is not a postgres:// URL'],
    ['postgres:///q', 'names no host'],
    ['sqlite:', 'names no file'],
  ])('%j is refused, naming the flag and the accepted forms', (text, why) => {
    const refusal = () => parse(text);
    expect(refusal).toThrow(DatabaseLocationError);
    expect(refusal).toThrow(`--db ${JSON.stringify(text)} ${why}; use a SQLite file path`);
    expect(refusal).toThrow(/:memory:, sqlite:PATH, or a postgres:\/\/ or postgresql:\/\/ URL$/);
  });

  test('a log names a PostgreSQL database with its password masked and no query parameters', () => {
    const location = parse('postgres://app:s3cret@db.internal:5433/queue?sslmode=require');
    expect(describeDatabaseLocation(location)).toBe('postgres://app:***@db.internal:5433/queue');
  });

  test('a log names a SQLite file by its absolute path', () => {
    expect(describeDatabaseLocation(parse('octopoid.db'))).toBe('/srv/app/octopoid.db');
    expect(describeDatabaseLocation(parse(':memory:'))).toBe(':memory:');
  });
});
