import type { ScopeChangeEvent } from '@octopoid/api';

/** Receives a scope's change events; see `ScopeEvents.subscribe`. */
export type ScopeListener = (event: ScopeChangeEvent) => void;

/**
 * Calls one listener. The write it announces is committed and answered already, so a listener's
 * failure must not reach the request: it is reported as a process warning instead.
 */
function deliver(listener: ScopeListener, event: ScopeChangeEvent): void {
  try {
    listener(event);
  } catch (error) {
    process.emitWarning(`a listener of scope ${event.scope}'s changes failed: ${error}`);
  }
}

/** How many event streams may be open at once, on the whole server and per scope. */
export interface StreamLimits {
  perServer: number;
  perScope: number;
}

export const DEFAULT_STREAM_LIMITS: StreamLimits = { perServer: 1000, perScope: 32 };

/** Which limit refused a stream, and its value. */
export interface StreamLimitReached {
  limit: keyof StreamLimits;
  max: number;
}

/**
 * In-process publish/subscribe of scope changes, one channel per scope: what the event stream
 * (`GET /api/v1/events`) relays to dashboards. A server instance sees only the writes it served
 * itself, so readers of a database shared by several instances also re-read on a timer.
 */
export class ScopeEvents {
  readonly #listeners = new Map<string, Set<ScopeListener>>();
  readonly #closers = new Set<() => void>();
  readonly #openPerScope = new Map<string, number>();
  #open = 0;
  readonly #observers = new Set<ScopeListener>();

  /** `limits` are positive integers (`startServer` checks its options). */
  constructor(readonly limits: StreamLimits = DEFAULT_STREAM_LIMITS) {}

  /**
   * Takes one of the open-stream slots for `scope`, counted against both `limits`. Returns the
   * function that gives the slot back (calling it again does nothing), or which limit is reached.
   */
  openStream(scope: string): (() => void) | StreamLimitReached {
    const inScope = this.#openPerScope.get(scope) ?? 0;
    if (this.#open >= this.limits.perServer) {
      return { limit: 'perServer', max: this.limits.perServer };
    }
    if (inScope >= this.limits.perScope) return { limit: 'perScope', max: this.limits.perScope };
    this.#open += 1;
    this.#openPerScope.set(scope, inScope + 1);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#open -= 1;
      const left = (this.#openPerScope.get(scope) ?? 1) - 1;
      if (left === 0) this.#openPerScope.delete(scope);
      else this.#openPerScope.set(scope, left);
    };
  }

  /** Calls `listener` on each change of `scope` until the returned function is called. */
  subscribe(scope: string, listener: ScopeListener): () => void {
    let listeners = this.#listeners.get(scope);
    if (!listeners) {
      listeners = new Set();
      this.#listeners.set(scope, listeners);
    }
    listeners.add(listener);
    return () => {
      listeners.delete(listener);
      if (listeners.size === 0) this.#listeners.delete(scope);
    };
  }

  /** Calls `listener` on each change of every scope until the returned function is called. */
  observe(listener: ScopeListener): () => void {
    this.#observers.add(listener);
    return () => this.#observers.delete(listener);
  }

  /** Tells the scope's current subscribers, and no other scope's, about a change. */
  publish(event: ScopeChangeEvent): void {
    for (const listener of this.#listeners.get(event.scope) ?? []) deliver(listener, event);
    for (const observer of this.#observers) deliver(observer, event);
  }

  /**
   * Registers `close` to run when the server stops (streams never end on their own, and a
   * graceful stop waits for open responses); the returned function unregisters it.
   */
  onClose(close: () => void): () => void {
    this.#closers.add(close);
    return () => this.#closers.delete(close);
  }

  /** Ends every open stream. */
  close(): void {
    for (const close of [...this.#closers]) close();
    this.#closers.clear();
  }
}
