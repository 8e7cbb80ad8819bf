import { SCOPE_NAME_PATTERN } from '@octopoid/api/constants';
import { OctopoidConnectionError, OctopoidError, OctopoidTimeoutError } from './errors.js';

export type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
export type Query = Record<string, string | number | boolean | readonly string[] | undefined>;

export interface TransportOptions {
  /** Base URL of the server, e.g. `http://127.0.0.1:8787`. */
  serverUrl: string;
  /** The scope every request names. Leave it out only against a server with a default scope. */
  scope?: string | undefined;
  /** Sent as `Authorization: Bearer <apiKey>`. */
  apiKey?: string | undefined;
  /** Time allowed for each attempt, from sending to the end of the response body. Default 30 s. */
  timeoutMs?: number | undefined;
  /** Retries of idempotent requests (GET, PUT, DELETE) after a connection error. Default 2. */
  retries?: number | undefined;
  /** A custom fetch, e.g. to observe or delay requests in tests. Default `globalThis.fetch`. */
  fetch?: Fetch | undefined;
}

export interface RequestOptions {
  query?: Query | undefined;
  body?: object | undefined;
  /** Statuses that resolve to `null` instead of throwing. */
  nullOn?: readonly number[];
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

interface Answer {
  response: Response;
  text: string;
}

/**
 * Sends requests for one scope. The scope goes in the query string of every request (so
 * DELETE and body-less POSTs carry it too); an explicit different scope is refused.
 */
export class Transport {
  readonly serverUrl: string;
  readonly scope: string | undefined;
  readonly #apiKey: string | undefined;
  readonly #timeoutMs: number;
  readonly #retries: number;
  readonly #fetch: Fetch;

  constructor(options: TransportOptions) {
    this.serverUrl = checkServerUrl(options.serverUrl);
    this.scope = options.scope === undefined ? undefined : checkScope(options.scope);
    this.#apiKey = options.apiKey;
    this.#timeoutMs = checkNumber(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS, 1);
    this.#retries = checkNumber(options.retries, 'retries', DEFAULT_RETRIES, 0);
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, options);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    const init: RequestInit = {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    };
    const { response, text } = await this.#send(method, path, url, init);
    if (options.nullOn?.includes(response.status)) return null as T;
    if (!response.ok) throw errorFromResponse(response, text, method, path);
    if (text === '') return undefined as T;
    try {
      return JSON.parse(text) as T;
    } catch {
      throw new OctopoidError({
        status: response.status,
        code: 'invalid_response',
        message: 'the response body is not JSON',
        method,
        path,
      });
    }
  }

  #url(path: string, options: RequestOptions): string {
    const params = new URLSearchParams();
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value === undefined) continue;
      params.set(key, Array.isArray(value) ? value.join(',') : String(value));
    }
    if (this.scope !== undefined) {
      this.#refuseOtherScope(params.get('scope'));
      this.#refuseOtherScope((options.body as { scope?: unknown } | undefined)?.scope);
      params.set('scope', this.scope);
    }
    const search = params.toString();
    return `${this.serverUrl}${path}${search ? `?${search}` : ''}`;
  }

  #refuseOtherScope(explicit: unknown): void {
    if (explicit === undefined || explicit === null || explicit === this.scope) return;
    throw new TypeError(
      `this client is bound to scope ${this.scope}; use withScope(${JSON.stringify(explicit)}) for another`,
    );
  }

  /** Sends, retrying idempotent requests after connection errors with exponential backoff. */
  async #send(method: HttpMethod, path: string, url: string, init: RequestInit): Promise<Answer> {
    const attempts = IDEMPOTENT.has(method) ? this.#retries + 1 : 1;
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#attempt(method, path, url, init);
      } catch (error) {
        if (!(error instanceof OctopoidConnectionError) || attempt >= attempts) throw error;
        await sleep(Math.min(FIRST_BACKOFF_MS * 2 ** (attempt - 1), MAX_BACKOFF_MS));
      }
    }
  }

  /**
   * One attempt, bounded by the timeout from sending to the last byte of the body. The timer
   * races the fetch rather than relying on the abort signal alone, so a custom fetch that
   * ignores the signal still times out. A timeout is never retried: the server may have acted.
   */
  async #attempt(method: HttpMethod, path: string, url: string, init: RequestInit) {
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new OctopoidTimeoutError(method, path, this.#timeoutMs));
        controller.abort();
      }, this.#timeoutMs);
    });
    const answered = (async (): Promise<Answer> => {
      try {
        const response = await this.#fetch(url, { ...init, signal: controller.signal });
        return { response, text: await response.text() };
      } catch (error) {
        throw new OctopoidConnectionError(method, path, { cause: error });
      }
    })();
    try {
      return await Promise.race([answered, timedOut]);
    } finally {
      clearTimeout(timer);
    }
  }
}

function errorFromResponse(response: Response, text: string, method: string, path: string) {
  const body = parseErrorBody(text);
  return new OctopoidError({
    status: response.status,
    code: typeof body.code === 'string' ? body.code : 'http_error',
    message:
      (typeof body.error === 'string' && body.error) ||
      (typeof body.message === 'string' && body.message) ||
      text ||
      response.statusText,
    details: Array.isArray(body.details) ? body.details : undefined,
    method,
    path,
  });
}

function parseErrorBody(text: string): Record<string, unknown> {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

function checkServerUrl(serverUrl: string): string {
  if (!URL.canParse(serverUrl)) throw new TypeError(`serverUrl is not a URL: ${serverUrl}`);
  return serverUrl.replace(/\/+$/, '');
}

function checkScope(scope: string): string {
  if (!SCOPE_NAME_PATTERN.test(scope)) {
    throw new TypeError(
      `invalid scope ${JSON.stringify(scope)}: use 1-128 characters of letters, digits and ._:-`,
    );
  }
  return scope;
}

function checkNumber(value: number | undefined, field: string, fallback: number, min: number) {
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < min) {
    throw new TypeError(`${field} must be a whole number of at least ${min}`);
  }
  return value;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
