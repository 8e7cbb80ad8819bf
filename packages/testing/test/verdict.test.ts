import { describe, expect, test } from '@octopoid/testing/vitest';
import type { RunnerTestCase } from 'vitest';
import { attemptVerdict } from '../src/verdict.js';

const error = (message: string) => ({ message, name: 'AssertionError' });
const attempt = (state: 'pass' | 'fail' | 'skip', extra: object = {}) => ({
  fails: undefined,
  retry: undefined,
  result: { state, retryCount: 0, errors: state === 'fail' ? [error('boom')] : undefined },
  ...extra,
});

describe('attempt verdicts', () => {
  test('a pass purges, a failure keeps, a skip purges', () => {
    expect(attemptVerdict(attempt('pass'))).toBe('passed');
    expect(attemptVerdict(attempt('fail'))).toBe('failed');
    expect(attemptVerdict(attempt('skip'))).toBe('passed');
  });

  test('test.fails inverts the verdict', () => {
    expect(attemptVerdict(attempt('fail', { fails: true }))).toBe('passed');
    expect(attemptVerdict(attempt('pass', { fails: true }))).toBe('failed');
  });

  test('a failed attempt that vitest retries is superseded, the last one decides', () => {
    const failed = (retryCount: number, retry: RunnerTestCase['retry']) => ({
      ...attempt('fail'),
      retry,
      result: { state: 'fail' as const, retryCount, errors: [error('boom')] },
    });
    expect(attemptVerdict(failed(0, 2))).toBe('retrying');
    expect(attemptVerdict(failed(1, 2))).toBe('retrying');
    expect(attemptVerdict(failed(2, 2))).toBe('failed');
    expect(attemptVerdict(failed(0, { count: 1 }))).toBe('retrying');
  });

  test('a retry condition that does not hold ends the retries', () => {
    const failed = (condition: RegExp | ((e: { message: string }) => boolean)) => ({
      ...attempt('fail'),
      retry: { count: 3, condition },
    });
    expect(attemptVerdict(failed(/boom/))).toBe('retrying');
    expect(attemptVerdict(failed(/flaky/))).toBe('failed');
    expect(attemptVerdict(failed((e) => e.message === 'boom'))).toBe('retrying');
    expect(attemptVerdict(failed(() => false))).toBe('failed');
  });
});
