import type { ScopeContext, Services } from '../domain/context.js';

export interface AppOptions {
  /** Scope used when a request names none. Never "all scopes". */
  defaultScope?: string | undefined;
  /** Largest accepted request body, in bytes. */
  maxBodyBytes: number;
  version: string;
}

export interface AppEnv {
  Variables: {
    services: Services;
    options: AppOptions;
    /** The request's scope and services; set by the scope middleware on `/api/v1`. */
    ctx: ScopeContext;
  };
}
