import type { Store } from '../store/store.js';
import type { FaultRules } from './faults.js';
import type { ScopeClocks } from './scope-clocks.js';
import type { ClaimReplays } from './tasks/claim-replays.js';

/** What domain operations need from the running server. */
export interface Services {
  store: Store;
  clocks: ScopeClocks;
  /** Per-scope fault rules; present only on a server in test mode. */
  faults?: FaultRules | undefined;
  /** Claims by idempotency key, for answering a retried claim with the first one's task. */
  claimReplays?: ClaimReplays | undefined;
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
