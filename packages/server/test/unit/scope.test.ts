import { describe, expect, test } from 'vitest';
import { HOW_TO_NAME_A_SCOPE, resolveScope, validateScopeName } from '../../src/domain/scope.js';
import { ApiError } from '../../src/errors.js';

function refusal(sources: Parameters<typeof resolveScope>[0]): ApiError {
  try {
    resolveScope(sources);
  } catch (error) {
    expect(error).toBeInstanceOf(ApiError);
    return error as ApiError;
  }
  throw new Error(`resolveScope accepted ${JSON.stringify(sources)}`);
}

describe('resolveScope', () => {
  test.each([
    ['path', { path: 's-1' }],
    ['query', { query: 's-1' }],
    ['body', { body: 's-1' }],
    ['header', { header: 's-1' }],
    ['apiKey', { apiKey: 's-1' }],
  ] as const)('takes the scope from the %s alone', (_source, sources) => {
    expect(resolveScope(sources)).toBe('s-1');
  });

  test('accepts several sources that agree', () => {
    expect(resolveScope({ path: 'a', query: 'a', body: 'a', header: 'a', apiKey: 'a' })).toBe('a');
  });

  test('treats undefined, null and empty values as absent', () => {
    expect(resolveScope({ query: '', body: null, header: undefined, apiKey: 'k' })).toBe('k');
    expect(resolveScope({ query: '', body: '', fallback: 'dflt' })).toBe('dflt');
  });

  test('uses the fallback only when no source names a scope', () => {
    expect(resolveScope({ fallback: 'dflt' })).toBe('dflt');
    expect(resolveScope({ header: 'h', fallback: 'dflt' })).toBe('h');
  });

  test('no scope and no fallback is 400 scope_required, saying how to name one', () => {
    const error = refusal({});
    expect(error).toMatchObject({
      status: 400,
      code: 'scope_required',
      details: [{ field: 'scope', reason: 'required' }],
    });
    expect(error.message).toContain(HOW_TO_NAME_A_SCOPE);
    expect(HOW_TO_NAME_A_SCOPE).toContain('?scope=');
    expect(HOW_TO_NAME_A_SCOPE).toContain('X-Octopoid-Scope');
  });

  test.each([
    [{ query: 'a', body: 'b' }, '?scope=', 'body scope'],
    [{ query: 'a', header: 'b' }, '?scope=', 'X-Octopoid-Scope header'],
    [{ body: 'a', header: 'b' }, 'body scope', 'X-Octopoid-Scope header'],
    [{ path: 'a', query: 'b' }, 'path', '?scope='],
    [{ query: 'a', body: 'a', header: 'b' }, '?scope=', 'X-Octopoid-Scope header'],
  ])('sources that disagree are 400 scope_mismatch naming both: %j', (sources, first, second) => {
    const error = refusal(sources);
    expect(error).toMatchObject({ status: 400, code: 'scope_mismatch' });
    expect(error.details).toEqual([{ field: 'scope', reason: 'sources disagree' }]);
    expect(error.message).toContain(first);
    expect(error.message).toContain(second);
  });

  test('an explicit scope that is not the API key’s is 403', () => {
    expect(refusal({ query: 'a', apiKey: 'b' })).toMatchObject({
      status: 403,
      code: 'scope_mismatch',
    });
    expect(refusal({ apiKey: 'b', header: 'a' }).status).toBe(403);
  });

  test('a fallback never settles a disagreement', () => {
    expect(refusal({ query: 'a', header: 'b', fallback: 'a' }).code).toBe('scope_mismatch');
  });

  test.each([
    [{ query: 'has space' }, 'query.scope'],
    [{ header: 'a/b' }, 'header.x-octopoid-scope'],
    [{ path: 'a?b' }, 'path.scope'],
    [{ body: 'a b' }, 'scope'],
    [{ body: 42 }, 'scope'],
    [{ body: { name: 'a' } }, 'scope'],
    [{ body: ['a'] }, 'scope'],
  ])('an invalid name is 400 naming where it came from: %j', (sources, field) => {
    const error = refusal(sources);
    expect(error).toMatchObject({ status: 400, code: 'validation_failed' });
    expect(error.details?.map((d) => d.field)).toEqual([field]);
  });

  test('an invalid name is refused even when another source is valid', () => {
    expect(refusal({ query: 'ok', header: 'not ok' }).code).toBe('validation_failed');
  });
});

describe('validateScopeName', () => {
  test.each(['a', 'A-z_0.9:x', 'test-run-42', 'x'.repeat(128), 'ns:sub.scope_1'])(
    'accepts %s',
    (name) => {
      expect(validateScopeName(name)).toBe(name);
    },
  );

  test.each([
    '',
    'x'.repeat(129),
    'with space',
    'slash/y',
    'ümlaut',
    'semi;colon',
    'tab\t',
    'new\nline',
  ])('refuses %j', (name) => {
    expect(() => validateScopeName(name)).toThrow(ApiError);
  });

  test('names the field it was given', () => {
    try {
      validateScopeName('bad name', 'defaultScope');
      expect.unreachable();
    } catch (error) {
      expect((error as ApiError).details).toEqual([
        { field: 'defaultScope', reason: expect.stringContaining('1-128') },
      ]);
    }
  });
});
