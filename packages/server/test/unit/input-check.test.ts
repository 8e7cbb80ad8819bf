import { nestsDeeperThan } from '@octopoid/api';
import { describe, expect, test } from 'vitest';
import { findInputFault } from '../../src/http/middleware/input-check.js';

/** `levels` arrays nested inside each other, built without recursion. */
function nested(levels: number): unknown {
  let value: unknown = 'leaf';
  for (let i = 0; i < levels; i++) value = [value];
  return value;
}

describe('findInputFault', () => {
  test('counts every array and object on the way down, the body included', () => {
    expect(findInputFault({ a: nested(31) }, '', 32)).toBeUndefined();
    expect(findInputFault({ a: nested(32) }, '', 32)).toEqual({
      field: `a${'.0'.repeat(31)}`,
      reason: 'nests deeper than 32 levels',
    });
  });

  test('walks a million levels without overflowing the stack', () => {
    expect(findInputFault(nested(1_000_000), '', 64)?.reason).toBe('nests deeper than 64 levels');
  });

  test('names the first fault in document order, under its root', () => {
    expect(findInputFault({ a: 'ok', b: ['x', 'y\u0000'], c: '\u0000' }, 'query', 8)).toEqual({
      field: 'query.b.1',
      reason: 'must not contain the NUL character (U+0000)',
    });
  });

  test.each([
    [{ t: '\uD800' }, 't', 'must not contain a lone UTF-16 surrogate'],
    [{ t: 'x\uDC00' }, 't', 'must not contain a lone UTF-16 surrogate'],
    [{ o: { '\uD800': 1 } }, 'o.\uD800', 'must not contain a lone UTF-16 surrogate'],
    [JSON.parse('{"o":{"__proto__":1}}'), 'o.__proto__', 'is a reserved key'],
    [{ n: Number.POSITIVE_INFINITY }, 'n', 'is out of range'],
    [{ n: 2 ** 53 }, 'n', 'must be between -(2^53-1) and 2^53-1 to be kept exactly'],
  ])('refuses %j at %s', (value, field, reason) => {
    expect(findInputFault(value, '', 32)).toEqual({ field, reason });
  });

  test.each<unknown>([
    { emoji: '\u{1F600}' },
    { constructor: 1, toString: 'x' },
    { n: 2 ** 53 - 1, f: 0.1, e: 1.5e-300, big: 123456.789e3 },
    [],
    'top-level text',
  ])('accepts %j', (value) => {
    expect(findInputFault(value, '', 32)).toBeUndefined();
  });

  test('names the body itself when the fault is at the top', () => {
    expect(findInputFault('\u0000', '', 32)).toEqual({
      field: 'body',
      reason: 'must not contain the NUL character (U+0000)',
    });
  });
});

describe('nestsDeeperThan', () => {
  test('counts levels of arrays and objects, scalars add none', () => {
    expect(nestsDeeperThan('text', 0)).toBe(false);
    expect(nestsDeeperThan({}, 0)).toBe(true);
    expect(nestsDeeperThan({ a: [1] }, 2)).toBe(false);
    expect(nestsDeeperThan({ a: [[1]] }, 2)).toBe(true);
    expect(nestsDeeperThan(nested(100_000), 32)).toBe(true);
  });
});
