import { SCOPE_NAME_PATTERN } from '@octopoid/api';
import { OctopoidConnectionError, OctopoidError, OctopoidTimeoutError } from './errors.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface TransportOptions {
  serverUrl: string;
  scope?: string | undefined;
  apiKey?: string | undefined;
  /** Per-request timeout. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests after a connection error. Default 2. */
  retries?: number | undefined;
  /** A custom fetch, e.g. to observe or fake the transport in tests. */
  fetch?: Fetch | undefined;
}

export interface RequestOptions {
  query?: Query | undefined;
  body?: object | undefined;
  /** Statuses that resolve to `null` instead of throwing. */
  nullOn?: readonly number[];
}

const IDEMPOTENT: readonly HttpMethod[] = ['GET', 'PUT', 'DELETE'];

/**
 * Sends requests for one scope. The scope goes in the query string of every request (so
 * DELETE and body-less POSTs carry it too); an explicit different scope is refused.
 */
export class Transport {
  readonly serverUrl: string;
  readonly scope: string | undefined;
  readonly #options: TransportOptions;
  readonly #fetch: Fetch;

  constructor(options: TransportOptions) {
    if (options.scope !== undefined && !SCOPE_NAME_PATTERN.test(options.scope)) {
      throw new TypeError(
        `invalid scope ${JSON.stringify(options.scope)}: use 1-128 of [A-Za-z0-9._:-]`,
      );
    }
    this.#options = options;
    this.serverUrl = options.serverUrl.replace(/\/+$/, '');
    this.scope = options.scope;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  withOptions(overrides: Partial<TransportOptions>): Transport {
    return new Transport({ ...this.#options, ...overrides });
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, options);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (this.#options.apiKey) headers.authorization = `Bearer ${this.#options.apiKey}`;
    const init: RequestInit = {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    };
    const response = await this.#send(method, path, url, init);
    if (options.nullOn?.includes(response.status)) {
      await response.body?.cancel();
      return null as T;
    }
    const text = await response.text();
    const parsed: unknown = text ? safeJson(text) : undefined;
    if (!response.ok) {
      const body = (parsed ?? {}) as { error?: string; code?: string; details?: [] };
      throw new OctopoidError({
        status: response.status,
        code: body.code ?? 'http_error',
        message: body.error ?? (text || response.statusText),
        details: body.details,
        method,
        path,
      });
    }
    return parsed as T;
  }

  #url(path: string, options: RequestOptions): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    const explicit =
      params.get('scope') ?? (options.body as { scope?: unknown } | undefined)?.scope;
    if (this.scope !== undefined) {
      if (explicit !== undefined && explicit !== null && explicit !== this.scope) {
        throw new TypeError(
          `this client is bound to scope ${this.scope}; use withScope(${JSON.stringify(explicit)}) for another`,
        );
      }
      params.set('scope', this.scope);
    }
    const search = params.toString();
    return `${this.serverUrl}${path}${search ? `?${search}` : ''}`;
  }

  async #send(method: HttpMethod, path: string, url: string, init: RequestInit): Promise<Response> {
    const timeoutMs = this.#options.timeoutMs ?? 30_000;
    const attempts = IDEMPOTENT.includes(method) ? (this.#options.retries ?? 2) + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      const signal = AbortSignal.timeout(timeoutMs);
      try {
        return await this.#fetch(url, { ...init, signal });
      } catch (error) {
        if (signal.aborted) throw new OctopoidTimeoutError(method, path, timeoutMs);
        if (attempt >= attempts) throw new OctopoidConnectionError(method, path, { cause: error });
        await new Promise((resolve) => setTimeout(resolve, 50 * 2 ** (attempt - 1)));
      }
    }
  }
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return { error: text };
  }
}
