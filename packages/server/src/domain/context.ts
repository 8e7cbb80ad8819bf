import type { Store } from '../store/store.js';
import type { ScopeClocks } from './scope-clocks.js';

/** What domain operations need from the running server. */
export interface Services {
  store: Store;
  clocks: ScopeClocks;
}

/** Services bound to the scope a request resolved to. */
export interface ScopeContext extends Services {
  scope: string;
}
