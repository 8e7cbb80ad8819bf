/**
 * How a server treats API keys:
 * - `off`: keys are neither issued nor read; every request is judged by the scope it names.
 * - `optional`: a key, when sent, must be valid and decides the scope; key-less requests work,
 *   registering into a scope that has a key included (no key is returned then).
 * - `required`: every request carries its scope's key (or the admin key). A scope's key comes
 *   from its first registration made with the admin key, or — when the server opens
 *   registration — a key-less one into a scope that holds nothing at all.
 */
export const AUTH_MODES = ['off', 'optional', 'required'] as const;
export type AuthMode = (typeof AUTH_MODES)[number];
export const DEFAULT_AUTH_MODE: AuthMode = 'optional';

/** Who a request is, as far as keys tell. */
export interface Caller {
  mode: AuthMode;
  /** The valid key the request carried; never set when the mode is `off`. */
  apiKey: ApiKeyIdentity | undefined;
  /** The request carried the server's admin key: it may act on any scope it names. */
  admin: boolean;
}

export interface ApiKeyIdentity {
  scope: string;
  keyHash: string;
}
