import type { HttpBindings } from '@hono/node-server';
import type { AuthMode, Caller } from '../domain/auth/mode.js';
import type { ScopeContext, Services } from '../domain/context.js';

export interface AppOptions {
  /** Scope used when a request names none. Never "all scopes". */
  defaultScope?: string | undefined;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  /** How many arrays/objects a JSON body may nest; deeper is a 400. Default 32. */
  maxJsonDepth?: number | undefined;
  version: string;
  /** How API keys are checked (`domain/auth/mode.ts`). Default `optional`. */
  auth?: AuthMode | undefined;
  /** By-id requests naming no scope resolve to the one scope holding the id (v1 clients). */
  legacyUnscopedIds?: boolean | undefined;
  /** A bearer token that may act on every scope (list, clone, merge in `required` mode). */
  adminKey?: string | undefined;
  /**
   * `required` mode only: a key-less registration may create a new, empty scope and receive its
   * key. Off by default: only the admin key creates scopes.
   */
  openRegistration?: boolean | undefined;
  /** Browser origins (`https://app.example.com`) allowed to call the server; none by default. */
  corsOrigins?: readonly string[] | undefined;
  /** The server listens on loopback only: refuse requests whose `Host` names another machine. */
  loopbackOnly?: boolean | undefined;
  /** Mounts `/api/v1/test/*` and applies fault rules (`services.faults` must be set). */
  testMode?: boolean | undefined;
}

export interface AppEnv {
  /**
   * The Node request and response when `@hono/node-server` serves the app; absent when it is
   * called directly (`app.request()`).
   */
  Bindings: Partial<HttpBindings>;
  Variables: {
    services: Services;
    options: AppOptions;
    /** The request's scope and services; set by the scope middleware on `/api/v1`. */
    ctx: ScopeContext;
    /** The auth mode and the request's valid API key, if any; set by the auth middleware. */
    caller: Caller;
    /** A JSON request's body as sent (`undefined`: none), read by the body-limit middleware. */
    body: Uint8Array | undefined;
  };
}
