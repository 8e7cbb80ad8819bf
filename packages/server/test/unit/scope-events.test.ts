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

  test("a failing listener is reported as a warning; the others still hear, and publish doesn't throw", async () => {
    const events = new ScopeEvents();
    const heard: string[] = [];
    events.subscribe('a', () => {
      throw new Error('broken');
    });
    events.subscribe('a', (event) => heard.push(event.scope));
    const warning = new Promise<Error>((resolve) => process.once('warning', resolve));
    expect(() => events.publish(change('a'))).not.toThrow();
    expect(heard).toEqual(['a']);
    expect((await warning).message).toContain('broken');
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

  test('open streams are counted per scope and per server; a released slot is free again', () => {
    const events = new ScopeEvents({ perServer: 3, perScope: 2 });
    const a1 = events.openStream('a');
    expect(typeof a1).toBe('function');
    events.openStream('a');
    expect(events.openStream('a')).toEqual({ limit: 'perScope', max: 2 });
    events.openStream('b');
    expect(events.openStream('c')).toEqual({ limit: 'perServer', max: 3 });
    if (typeof a1 !== 'function') throw new Error('expected a slot');
    a1();
    a1();
    expect(typeof events.openStream('a')).toBe('function');
    expect(events.openStream('c')).toEqual({ limit: 'perServer', max: 3 });
  });
});
