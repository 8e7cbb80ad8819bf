import { BUILT_IN_QUEUES, CONTINUATION_QUEUE, REVIEW_QUEUE } from '@octopoid/api';
import { describe, expect, test } from 'vitest';
import {
  ago,
  BUILT_IN_COLUMNS,
  blocker,
  boardColumns,
  formatDuration,
  leaseLeft,
  parseJsonArray,
  tasksByColumn,
} from '../src/board.js';

const task = (id: string, queue: string, extra: object = {}) => ({
  id,
  queue,
  priority: 'P2',
  blocked_by: null,
  lease_expires_at: null,
  ...extra,
});

describe('board columns', () => {
  test("are the API's built-in queues, its review queue and its continuation queue", () => {
    expect([...BUILT_IN_COLUMNS].sort()).toEqual(
      [...BUILT_IN_QUEUES, REVIEW_QUEUE, CONTINUATION_QUEUE].sort(),
    );
  });

  test("put a flow's own states and any other task queue before done and failed", () => {
    const flows = [{ states: '["incoming","qa","claimed","deploy"]' }];
    expect(boardColumns(flows, [task('t-1', 'stray'), task('t-2', 'qa')])).toEqual([
      'incoming',
      'claimed',
      'provisional',
      'needs_continuation',
      'qa',
      'deploy',
      'stray',
      'done',
      'failed',
    ]);
  });

  test('sort each column by priority, then id, and drop tasks of unknown columns', () => {
    const byColumn = tasksByColumn(
      ['incoming'],
      [
        task('b', 'incoming', { priority: 'P1' }),
        task('a', 'incoming', { priority: 'P1' }),
        task('c', 'incoming', { priority: 'P0' }),
        task('d', 'incoming', { priority: null }),
        task('e', 'elsewhere'),
      ],
    );
    expect(byColumn.get('incoming')?.map((t) => t.id)).toEqual(['c', 'a', 'b', 'd']);
    expect(byColumn.has('elsewhere')).toBe(false);
  });
});

describe('a blocked task', () => {
  const queueOf = new Map([
    ['open', 'claimed'],
    ['finished', 'done'],
  ]);

  test('names its blocker and the queue the blocker is in', () => {
    expect(blocker(task('t', 'incoming', { blocked_by: 'open' }), queueOf)).toEqual({
      id: 'open',
      queue: 'claimed',
    });
  });

  test('is unblocked once its blocker is done or gone, as the server resolves dependencies', () => {
    expect(blocker(task('t', 'incoming', { blocked_by: 'finished' }), queueOf)).toBeNull();
    expect(blocker(task('t', 'incoming', { blocked_by: 'gone' }), queueOf)).toBeNull();
    expect(blocker(task('t', 'incoming', { blocked_by: '' }), queueOf)).toBeNull();
  });
});

describe('times', () => {
  const now = Date.parse('2026-01-01T12:00:00.000Z');

  test('durations read in the two largest units', () => {
    expect(formatDuration(12_400)).toBe('12s');
    expect(formatDuration(245_000)).toBe('4m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(-5)).toBe('0s');
  });

  test('a lease shows the time left, or that it expired', () => {
    expect(leaseLeft({ lease_expires_at: '2026-01-01T12:05:00.000Z' }, now)).toBe('5m 00s left');
    expect(leaseLeft({ lease_expires_at: '2026-01-01T11:59:59.000Z' }, now)).toBe('expired');
    expect(leaseLeft({ lease_expires_at: null }, now)).toBeNull();
  });

  test('ages count back from now', () => {
    expect(ago('2026-01-01T11:59:30.000Z', now)).toBe('30s ago');
  });
});

test('JSON-in-text arrays parse, and anything else reads as empty', () => {
  expect(parseJsonArray('["a","b"]')).toEqual(['a', 'b']);
  expect(parseJsonArray('{"a":1}')).toEqual([]);
  expect(parseJsonArray('not json')).toEqual([]);
  expect(parseJsonArray(null)).toEqual([]);
});
