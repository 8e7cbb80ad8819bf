import {
  FaultRuleCreate,
  MAX_FAULT_PATTERN_LENGTH,
  parseDuration,
  pathGlobToRegExp,
} from '@octopoid/api';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { defaultFaultBody, FaultRules } from '../../src/domain/faults.js';

const accept = { method: 'POST', path: '/api/v1/tasks/t-1/accept' };

describe('fault rule matching', () => {
  test('a path glob matches one segment per * and any run per **', () => {
    const glob = pathGlobToRegExp('/api/v1/tasks/*/accept');
    expect(glob.test('/api/v1/tasks/t-1/accept')).toBe(true);
    expect(glob.test('/api/v1/tasks/a/b/accept')).toBe(false);
    expect(glob.test('/api/v1/tasks/t-1/accept/x')).toBe(false);
    expect(pathGlobToRegExp('/api/v1/tasks/**').test('/api/v1/tasks/t-1/hooks/h/complete')).toBe(
      true,
    );
    expect(pathGlobToRegExp('/api/v1/tasks/t.1').test('/api/v1/tasks/tx1')).toBe(false);
  });

  test('a rule fires only for its method and path, in its own scope', () => {
    const rules = new FaultRules();
    rules.add('a', { method: 'POST', path: '/api/v1/tasks/*/accept', status: 503 });
    expect(rules.fire('a', accept)?.status).toBe(503);
    expect(rules.fire('a', { ...accept, method: 'GET' })).toBeUndefined();
    expect(rules.fire('a', { ...accept, path: '/api/v1/tasks/t-1/reject' })).toBeUndefined();
    expect(rules.fire('b', accept)).toBeUndefined();
  });

  test('a regex rule matches the path it describes', () => {
    const rules = new FaultRules();
    rules.add('a', { pathRegex: '/tasks/[^/]+/(accept|reject)$', status: 500 });
    expect(rules.fire('a', { method: 'POST', path: '/api/v1/tasks/t-9/reject' })?.status).toBe(500);
    expect(rules.fire('a', { method: 'POST', path: '/api/v1/tasks/t-9/submit' })).toBeUndefined();
  });

  test('the first matching rule wins, and a used-up rule lets the next one fire', () => {
    const rules = new FaultRules();
    const first = rules.add('a', { path: '/api/v1/tasks/**', status: 503, times: 2 });
    const second = rules.add('a', { status: 500 });
    const fired = [1, 2, 3, 4].map(() => rules.fire('a', accept)?.id);
    expect(fired).toEqual([first.id, first.id, second.id, second.id]);
    expect(rules.list('a').map((rule) => rule.fired)).toEqual([2, 2]);
  });

  test('probability decides with the injected random source', () => {
    const rolls = [0.7, 0.2];
    const rules = new FaultRules(() => rolls.shift() ?? 1);
    rules.add('a', { status: 503, probability: 0.5 });
    expect(rules.fire('a', accept)).toBeUndefined();
    expect(rules.fire('a', accept)?.fired).toBe(1);
  });

  test('clear removes only the scope’s rules and says how many', () => {
    const rules = new FaultRules();
    rules.add('a', { status: 503 });
    rules.add('a', { delayMs: 10 });
    rules.add('b', { status: 503 });
    expect(rules.clear('a')).toBe(2);
    expect(rules.list('a')).toEqual([]);
    expect(rules.list('b')).toHaveLength(1);
  });

  test('a rule without a body answers the server’s usual error shape', () => {
    const rule = new FaultRules().add('a', { status: 503 });
    expect(defaultFaultBody({ ...rule, status: 503 })).toMatchObject({
      code: 'service_unavailable',
      details: [{ field: 'fault', reason: `test-mode fault rule ${rule.id}` }],
    });
    expect(defaultFaultBody({ ...rule, status: 409 }).code).toBe('conflict');
    expect(defaultFaultBody({ ...rule, status: 418 }).code).toBe('bad_request');
  });
});

describe('fault rule and clock input', () => {
  test('a rule must do something and name its path one way', () => {
    const issues = (input: unknown) =>
      FaultRuleCreate.safeParse(input).error?.issues.map((issue) => issue.path.join('.'));
    expect(issues({ path: '/api/v1/tasks' })).toEqual(['status']);
    expect(issues({ status: 503, path: '/x', pathRegex: 'x' })).toEqual(['pathRegex']);
    expect(issues({ status: 200 })).toEqual(['status']);
    expect(issues({ status: 503, pathRegex: 'a'.repeat(MAX_FAULT_PATTERN_LENGTH + 1) })).toEqual([
      'pathRegex',
    ]);
    expect(issues({ delayMs: 100, body: {} })).toEqual(['body']);
    expect(issues({ delayMs: 100 })).toBeUndefined();
  });

  test('durations read as milliseconds', () => {
    expect(parseDuration('250ms')).toBe(250);
    expect(parseDuration('30s')).toBe(30_000);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h30m')).toBe(5_400_000);
    expect(parseDuration('2d')).toBe(172_800_000);
    expect(parseDuration('10 minutes')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
