import { describe, expect, test } from 'vitest';
import {
  BURNOUT_TURNS,
  BURNOUT_TURNS_WITHOUT_COMMITS,
  CLAIM_QUEUES,
  claimTarget,
  DEFAULT_FLOW_STATES,
  defaultFlow,
  type FlowDefinition,
  isAllowed,
  isBurnout,
  isClaimQueue,
  isClaimSource,
  isKnownQueue,
  keepsClaim,
  REVIEW_ACTION_TARGET,
  submitTarget,
} from '../../src/domain/transitions.js';

const builtIn = defaultFlow('default');
const registered: FlowDefinition = {
  name: 'strict',
  states: ['incoming', 'claimed', 'review', 'done', 'failed'],
  transitions: [
    { from: 'review', to: 'done' },
    { from: 'review', to: 'incoming' },
  ],
};

describe('the built-in flow', () => {
  test('knows the six default queues', () => {
    expect(builtIn).toEqual({ name: 'default', states: DEFAULT_FLOW_STATES, transitions: null });
    expect([...DEFAULT_FLOW_STATES].sort()).toEqual(
      ['claimed', 'done', 'failed', 'incoming', 'needs_continuation', 'provisional'].sort(),
    );
  });

  test.each([
    ['accept', 'provisional', true],
    ['accept', 'claimed', true],
    ['accept', 'incoming', false],
    ['accept', 'done', false],
    ['accept', 'needs_continuation', false],
    ['reject', 'provisional', true],
    ['reject', 'claimed', true],
    ['reject', 'incoming', false],
    ['reject', 'failed', false],
    ['requeue', 'claimed', true],
    ['requeue', 'provisional', true],
    ['requeue', 'incoming', false],
    ['requeue', 'done', false],
  ] as const)('%s from %s is allowed: %s', (action, from, allowed) => {
    expect(isAllowed(action, from, builtIn)).toBe(allowed);
  });

  test('accept goes to done; reject and requeue to incoming', () => {
    expect(REVIEW_ACTION_TARGET).toEqual({
      accept: 'done',
      reject: 'incoming',
      requeue: 'incoming',
    });
  });
});

describe('a registered flow', () => {
  test('replaces the built-in sources with its own transitions', () => {
    expect(isAllowed('accept', 'review', registered)).toBe(true);
    expect(isAllowed('reject', 'review', registered)).toBe(true);
    expect(isAllowed('requeue', 'review', registered)).toBe(true);
    // Allowed by the built-in flow, but this flow does not list the move.
    expect(isAllowed('accept', 'provisional', registered)).toBe(false);
    expect(isAllowed('accept', 'claimed', registered)).toBe(false);
  });

  test('with no transitions allows no review action at all', () => {
    const bare: FlowDefinition = { name: 'bare', states: ['incoming'], transitions: [] };
    for (const action of ['accept', 'reject', 'requeue'] as const) {
      for (const from of ['claimed', 'provisional', 'incoming']) {
        expect(isAllowed(action, from, bare)).toBe(false);
      }
    }
  });

  test('knows its own states and always the built-in queues', () => {
    expect(isKnownQueue('review', registered)).toBe(true);
    expect(isKnownQueue('provisional', registered)).toBe(false);
    expect(isKnownQueue('needs_continuation', registered)).toBe(false);
    const minimal: FlowDefinition = { name: 'min', states: ['triage'], transitions: [] };
    for (const queue of ['incoming', 'claimed', 'done', 'failed', 'triage']) {
      expect(isKnownQueue(queue, minimal)).toBe(true);
    }
    expect(isKnownQueue('nowhere', builtIn)).toBe(false);
    expect(isKnownQueue('provisional', builtIn)).toBe(true);
  });
});

describe('claims', () => {
  test('a review claim stays in provisional; every other claim moves to claimed', () => {
    expect(claimTarget('provisional')).toBe('provisional');
    expect(claimTarget('incoming')).toBe('claimed');
    expect(claimTarget('needs_continuation')).toBe('claimed');
  });

  test('claims take work from any queue but done and claimed', () => {
    for (const queue of ['incoming', 'provisional', 'needs_continuation', 'failed', 'custom']) {
      expect(isClaimSource(queue)).toBe(true);
    }
    expect(isClaimSource('done')).toBe(false);
    expect(isClaimSource('claimed')).toBe(false);
  });

  test('only claimed and provisional hold a lease', () => {
    expect([...CLAIM_QUEUES].sort()).toEqual(['claimed', 'provisional']);
    for (const queue of ['claimed', 'provisional']) expect(isClaimQueue(queue)).toBe(true);
    for (const queue of ['incoming', 'failed', 'done', 'needs_continuation']) {
      expect(isClaimQueue(queue)).toBe(false);
    }
  });

  test('a PATCH keeps the claim fields only in claimed', () => {
    expect(keepsClaim('claimed')).toBe(true);
    for (const queue of ['incoming', 'provisional', 'failed', 'done']) {
      expect(keepsClaim(queue)).toBe(false);
    }
  });
});

describe('burnout', () => {
  test('the thresholds are 80 turns without commits and 100 turns in all', () => {
    expect(BURNOUT_TURNS_WITHOUT_COMMITS).toBe(80);
    expect(BURNOUT_TURNS).toBe(100);
  });

  test.each([
    [0, 80, true],
    [0, 79, false],
    [0, 100, true],
    [1, 80, false],
    [1, 99, false],
    [1, 100, true],
    [50, 250, true],
    [null, 80, false],
    [null, 100, true],
    [0, null, false],
    [null, null, false],
    [0, 0, false],
  ] as const)('commits %s, turns %s: burnt out %s', (commits, turns, burnt) => {
    expect(isBurnout(commits, turns)).toBe(burnt);
    expect(submitTarget(commits, turns)).toBe(burnt ? 'needs_continuation' : 'provisional');
  });
});
