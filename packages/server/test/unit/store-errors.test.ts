import { describe, expect, test } from 'vitest';
import { constraintViolation } from '../../src/store/errors.js';

describe('constraintViolation', () => {
  test('reads unique and foreign-key violations of both drivers', () => {
    expect(constraintViolation({ code: '23505' })).toBe('unique');
    expect(constraintViolation({ code: '23503' })).toBe('foreign_key');
    expect(constraintViolation({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' })).toBe('unique');
    expect(constraintViolation({ code: 'SQLITE_CONSTRAINT_UNIQUE' })).toBe('unique');
    expect(constraintViolation({ code: 'SQLITE_CONSTRAINT_FOREIGNKEY' })).toBe('foreign_key');
  });

  test('reads a PostgreSQL deadlock or serialization failure as a lost race', () => {
    expect(constraintViolation({ code: '40P01' })).toBe('concurrent');
    expect(constraintViolation({ code: '40001' })).toBe('concurrent');
  });

  test('says nothing of other errors', () => {
    expect(constraintViolation(new Error('boom'))).toBeUndefined();
    expect(constraintViolation({ code: 'constructor' })).toBeUndefined();
    expect(constraintViolation({ code: 'SQLITE_BUSY' })).toBeUndefined();
    expect(constraintViolation(null)).toBeUndefined();
  });
});
