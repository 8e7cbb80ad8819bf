import { roundTripsInUrlPath, TimestampInput } from '@octopoid/api';
import { describe, expect, test } from 'vitest';
import {
  afterFailedAttempt,
  DEFAULT_RETRY_POLICY,
  retryDelayMs,
} from '../../src/domain/tasks/attempts.js';

describe('retry backoff', () => {
  test('doubles from the base after every attempt, up to the maximum', () => {
    const policy = { maxAttempts: 5, backoffBaseMs: 1_000, backoffMaxMs: 10_000 };
    expect([1, 2, 3, 4, 5, 60].map((n) => retryDelayMs(n, policy))).toEqual([
      1_000, 2_000, 4_000, 8_000, 10_000, 10_000,
    ]);
  });

  test('a failed attempt returns the task after its backoff, or fails it at max_attempts', () => {
    const ended = '2026-01-01T00:00:00.000Z';
    expect(
      afterFailedAttempt(
        { attempt_count: 2, max_attempts: null },
        'incoming',
        ended,
        DEFAULT_RETRY_POLICY,
      ),
    ).toEqual({
      changes: { queue: 'incoming', available_at: '2026-01-01T00:00:20.000Z' },
      history: [],
    });
    expect(
      afterFailedAttempt(
        { attempt_count: 2, max_attempts: 2 },
        'incoming',
        ended,
        DEFAULT_RETRY_POLICY,
      ),
    ).toEqual({
      changes: { queue: 'failed', available_at: null },
      history: [{ event: 'attempts_exhausted', details: { attempt_count: 2, max_attempts: 2 } }],
    });
  });
});

describe('inputs that must survive a trip', () => {
  test('ids round-trip a URL path unless they are dot segments', () => {
    expect(['t-1', '...', '.a', 'a.', 'é'].every(roundTripsInUrlPath)).toBe(true);
    expect(['.', '..'].some(roundTripsInUrlPath)).toBe(false);
  });

  test('timestamps are normalised to UTC and bounded to the years 0001-9999', () => {
    expect(TimestampInput.parse('2026-01-01T00:00:00+01:00')).toBe('2025-12-31T23:00:00.000Z');
    expect(TimestampInput.safeParse('9999-12-31T23:00:00-05:00').success).toBe(false);
    expect(TimestampInput.safeParse('0001-01-01T00:00:00+00:01').success).toBe(false);
    expect(TimestampInput.safeParse('2026-02-30T00:00:00Z').success).toBe(false);
  });
});
