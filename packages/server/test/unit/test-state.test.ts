import {
  jsonBytes,
  MAX_FAULT_BODY_BYTES,
  MAX_FAULT_RULE_BYTES,
  MAX_FAULT_RULE_BYTES_PER_SCOPE,
  MAX_SHIFTED_CLOCKS,
} from '@octopoid/api';
import { describe, expect, test } from '@octopoid/testing/vitest';
import {
  forgetIdleTestState,
  type Services,
  TEST_STATE_IDLE_MS,
} from '../../src/domain/context.js';
import { FaultRules } from '../../src/domain/faults.js';
import { ScopeClocks } from '../../src/domain/scope-clocks.js';
import { ScopeEvents } from '../../src/domain/scope-events.js';
import { DEFAULT_RETRY_POLICY } from '../../src/domain/tasks/attempts.js';
import { ClaimWaiters } from '../../src/domain/tasks/claim-waiters.js';
import type { Store } from '../../src/store/store.js';

/** Test state only: these rules never touch the store. */
const services = (): Services => ({
  store: undefined as unknown as Store,
  clocks: new ScopeClocks(),
  events: new ScopeEvents(),
  claimWaiters: new ClaimWaiters(),
  retry: DEFAULT_RETRY_POLICY,
  faults: new FaultRules(),
});

/** A rule with a large body, and how many bytes it counts for, as JSON text. */
function largeRule() {
  const rule = { status: 503, body: 'x'.repeat(MAX_FAULT_BODY_BYTES - 16) };
  return { rule, bytes: jsonBytes(new FaultRules().add('probe', rule)) };
}

describe('test-mode state is bounded without starving anyone', () => {
  test('moving one clock past MAX_SHIFTED_CLOCKS puts the least recently used one back on real time', () => {
    const clocks = new ScopeClocks();
    for (let i = 0; i < MAX_SHIFTED_CLOCKS; i++) clocks.advance(`s-${i}`, 1);
    // s-0 is read (used) again, so s-1 is now the least recently used clock.
    expect(clocks.offsetOf('s-0')).toBe(1);
    expect(clocks.advance('newcomer', 5)).toBe(5);
    expect(clocks.offsetOf('s-1')).toBe(0);
    expect(clocks.offsetOf('s-0')).toBe(1);
    expect(clocks.offsetOf(`s-${MAX_SHIFTED_CLOCKS - 1}`)).toBe(1);
    // Moving a clock that is already moved frees nothing.
    expect(clocks.advance('s-2', 1)).toBe(2);
    expect(clocks.offsetOf('s-3')).toBe(1);
  });

  test('a scope holds at most MAX_FAULT_RULE_BYTES_PER_SCOPE bytes of rules', () => {
    const rules = new FaultRules();
    const { rule, bytes } = largeRule();
    const fit = Math.floor(MAX_FAULT_RULE_BYTES_PER_SCOPE / bytes);
    for (let i = 0; i < fit; i++) rules.add('full', rule);
    expect(() => rules.add('full', rule)).toThrow(
      expect.objectContaining({
        status: 409,
        details: [expect.objectContaining({ field: 'faults' })],
      }),
    );
    expect(rules.list('full')).toHaveLength(fit);
  });

  test('rules past MAX_FAULT_RULE_BYTES free the least recently used other scopes, never the adding one', () => {
    const rules = new FaultRules();
    const { rule, bytes } = largeRule();
    const perScope = Math.floor(MAX_FAULT_RULE_BYTES_PER_SCOPE / bytes);
    const scopes = Math.floor(MAX_FAULT_RULE_BYTES / (perScope * bytes));
    const hogs = Array.from({ length: scopes }, (_, i) => `hog-${i}`);
    for (const hog of hogs) for (let i = 0; i < perScope; i++) rules.add(hog, rule);
    // The first hog's rules fire (are used), so the second is the least recently used.
    expect(rules.fire('hog-0', { method: 'GET', path: '/api/v1/tasks' })).toBeDefined();
    for (let i = 0; i < perScope; i++) rules.add('tenant', rule);
    expect(rules.list('tenant')).toHaveLength(perScope);
    expect(rules.list('hog-1')).toEqual([]);
    expect(rules.list('hog-0')).toHaveLength(perScope);
    const held = [...hogs, 'tenant'].reduce((n, scope) => n + rules.list(scope).length, 0);
    expect(held * bytes).toBeLessThanOrEqual(MAX_FAULT_RULE_BYTES);
  });
});

describe('idle test-mode state', () => {
  test('is freed after TEST_STATE_IDLE_MS without use, and only then', () => {
    const state = services();
    state.clocks.advance('idle', 60_000);
    state.faults?.add('idle', { status: 503 });
    const now = Date.now();
    expect(forgetIdleTestState(state, now)).toEqual([]);
    expect(forgetIdleTestState(state, now + TEST_STATE_IDLE_MS + 1_000)).toEqual(['idle']);
    expect(state.clocks.offsetOf('idle')).toBe(0);
    expect(state.faults?.list('idle')).toEqual([]);
  });
});
