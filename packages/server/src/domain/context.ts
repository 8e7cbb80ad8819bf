import type { Store } from '../store/store.js';
import type { FaultRules } from './faults.js';
import type { ScopeClocks } from './scope-clocks.js';
import type { ScopeEvents } from './scope-events.js';
import type { RetryPolicy } from './tasks/attempts.js';
import type { ClaimWaiters } from './tasks/claim-waiters.js';

/** What domain operations need from the running server. */
export interface Services {
  store: Store;
  clocks: ScopeClocks;
  /** Each scope's change events, relayed by `GET /api/v1/events`. */
  events: ScopeEvents;
  /** Long-poll claims waiting for a claimable task, woken by each scope's writes. */
  claimWaiters: ClaimWaiters;
  /** Attempt limit and backoff of tasks returned without a submit. */
  retry: RetryPolicy;
  /** Per-scope fault rules; present only on a server in test mode. */
  faults?: FaultRules | undefined;
  /** The most row text one clone or merge reads, in bytes; `DEFAULT_MAX_SCOPE_COPY_BYTES` when absent. */
  maxScopeCopyBytes?: number | undefined;
}

/** Drops what the server holds in memory for a scope whose data is gone. */
export function forgetScope(services: Services, scope: string): void {
  services.clocks.reset(scope);
  services.faults?.clear(scope);
}

/** How long test state (a moved clock, fault rules) lives unused before it is freed: 24 h. */
export const TEST_STATE_IDLE_MS = 24 * 3600 * 1000;

/**
 * Frees the test state of scopes that have not used it for TEST_STATE_IDLE_MS (real time), so a
 * scope that is never purged — a kept test scope, or one that never held data — cannot keep it
 * forever. Returns the scopes whose clock or rules were dropped.
 */
export function forgetIdleTestState(services: Services, now = Date.now()): string[] {
  const before = now - TEST_STATE_IDLE_MS;
  const forgotten = new Set([
    ...services.clocks.forgetIdle(before),
    ...(services.faults?.forgetIdle(before) ?? []),
  ]);
  return [...forgotten];
}

/** Services bound to the scope a request resolved to. */
export interface ScopeContext extends Services {
  scope: string;
}
