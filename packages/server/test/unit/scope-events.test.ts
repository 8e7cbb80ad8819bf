import type { ScopeChangeEvent } from '@octopoid/api';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { ScopeEvents } from '../../src/domain/scope-events.js';

const change = (scope: string): ScopeChangeEvent => ({
  scope,
  method: 'POST',
  path: '/api/v1/tasks',
  at: '2026-01-01T00:00:00.000Z',
});

describe('scope events', () => {
  test("a subscriber hears its own scope's changes only, until it unsubscribes", () => {
    const events = new ScopeEvents();
    const heard: string[] = [];
    const unsubscribe = events.subscribe('a', (event) => heard.push(event.scope));
    events.publish(change('a'));
    events.publish(change('b'));
    unsubscribe();
    events.publish(change('a'));
    expect(heard).toEqual(['a']);
  });

  test('closing runs each registered close once, and not one unregistered before', () => {
    const events = new ScopeEvents();
    const closed: string[] = [];
    events.onClose(() => closed.push('open stream'));
    const unregister = events.onClose(() => closed.push('ended stream'));
    unregister();
    events.close();
    events.close();
    expect(closed).toEqual(['open stream']);
  });
});
