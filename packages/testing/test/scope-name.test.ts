import { SCOPE_NAME_PATTERN } from '@octopoid/api';
import { describe, expect, scopeForTest, test } from '@octopoid/testing/vitest';

const readable = (scope: string) => scope.replace(/^test-/, '').replace(/-[0-9a-f]{10}$/, '');

describe('scope names', () => {
  test('carry the file, the describe path and the test name, readably', () => {
    const scope = scopeForTest({
      file: 'test/orders/claims.test.ts',
      describePath: ['Orders', 'bad input'],
      name: 'rejects bad input',
    });
    expect(scope).toMatch(/^test-claims\.orders\.bad-input\.rejects-bad-input-[0-9a-f]{10}$/);
  });

  test('two tests of the same name in different describes differ', () => {
    const inA = scopeForTest({
      file: 'a.test.ts',
      describePath: ['tasks'],
      name: 'rejects bad input',
    });
    const inB = scopeForTest({
      file: 'a.test.ts',
      describePath: ['drafts'],
      name: 'rejects bad input',
    });
    expect(readable(inA)).not.toBe(readable(inB));
  });

  test('non-Latin names are transliterated, never unnamed', () => {
    expect(readable(scopeForTest('отклоняет плохой ввод'))).toBe('otklonyaet-plokhoy-vvod');
    expect(readable(scopeForTest('拒绝错误输入'))).toBe('jujuecuowushuru');
    expect(readable(scopeForTest('✓'))).not.toBe('');
    expect(scopeForTest('🙂🙃')).not.toContain('unnamed');
  });

  test('a name with nothing to transliterate becomes a stable hash of itself', () => {
    const blank = readable(scopeForTest('   '));
    expect(blank).toMatch(/^h[0-9a-f]{12}$/);
    expect(readable(scopeForTest('   '))).toBe(blank);
  });

  test('long names fit in 96 characters (room for derived scopes) and keep both ends, so names differing at the end differ', () => {
    const stem = 'works every queued task through to done even when '.repeat(4);
    const first = scopeForTest({ file: 'long.test.ts', name: `${stem}the agent crashes` });
    const second = scopeForTest({ file: 'long.test.ts', name: `${stem}the server restarts` });
    for (const scope of [first, second]) {
      expect(scope).toMatch(SCOPE_NAME_PATTERN);
      expect(scope).toHaveLength(96);
    }
    expect(first).toMatch(/^test-long\.works-every-queued-task/);
    expect(readable(first)).toMatch(/the-agent-crashes$/);
    expect(readable(second)).toMatch(/the-server-restarts$/);
  });

  test('every call is unique, even for the same test (concurrent runs, retries)', () => {
    const identity = { file: 'a.test.ts', describePath: [], name: 'same' };
    expect(scopeForTest(identity)).not.toBe(scopeForTest(identity));
  });
});
