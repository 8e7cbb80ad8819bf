import {
  MAX_FAULT_BODY_BYTES,
  MAX_FAULT_RULE_BYTES,
  MAX_FAULT_RULES_PER_SCOPE,
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

describe('test-mode state is bounded', () => {
  test('at most MAX_SHIFTED_CLOCKS scopes have a moved clock; moving one again is allowed', () => {
    const clocks = new ScopeClocks();
    for (let i = 0; i < MAX_SHIFTED_CLOCKS; i++) clocks.advance(`s-${i}`, 1);
    expect(() => clocks.advance('one-more', 1)).toThrow(/moved scope clocks/);
    expect(clocks.advance('s-0', 1)).toBe(2);
    clocks.reset('s-0');
    expect(clocks.advance('one-more', 1)).toBe(1);
  });

  test('the rules of every scope together stay within MAX_FAULT_RULE_BYTES', () => {
    const rules = new FaultRules();
    const body = 'x'.repeat(MAX_FAULT_BODY_BYTES - 16);
    const mostRules = Math.ceil(MAX_FAULT_RULE_BYTES / MAX_FAULT_BODY_BYTES) + 1;
    let added = 0;
    let refusal: unknown;
    for (let scope = 0; refusal === undefined; scope++) {
      for (let i = 0; i < MAX_FAULT_RULES_PER_SCOPE && refusal === undefined; i++) {
        try {
          rules.add(`s-${scope}`, { status: 503, body });
          added++;
        } catch (error) {
          refusal = error;
        }
      }
    }
    expect(refusal).toMatchObject({ status: 409, details: [{ field: 'faults' }] });
    expect(added).toBeLessThan(mostRules);
    expect(added * MAX_FAULT_BODY_BYTES).toBeGreaterThan(MAX_FAULT_RULE_BYTES / 2);
    expect(rules.clear('s-0')).toBe(MAX_FAULT_RULES_PER_SCOPE);
    expect(rules.add('s-0', { status: 503, body })).toMatchObject({ id: 'fault-1' });
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
