import type { Store } from '../store/store.js';
import type { FaultRules } from './faults.js';
import type { ScopeClocks } from './scope-clocks.js';
import type { RetryPolicy } from './tasks/attempts.js';

/** What domain operations need from the running server. */
export interface Services {
  store: Store;
  clocks: ScopeClocks;
  /** Attempt limit and backoff of tasks returned without a submit. */
  retry: RetryPolicy;
  /** Per-scope fault rules; present only on a server in test mode. */
  faults?: FaultRules | undefined;
}

/** Drops what the server holds in memory for a scope whose data is gone. */
export function forgetScope(services: Services, scope: string): void {
  services.clocks.reset(scope);
  services.faults?.clear(scope);
}

/** Services bound to the scope a request resolved to. */
export interface ScopeContext extends Services {
  scope: string;
}
