import { SCOPE_NAME_PATTERN } from '@octopoid/api/constants';
import {
  hostAndPort,
  OctopoidConnectionError,
  OctopoidError,
  OctopoidTimeoutError,
} from './errors.js';

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
  /**
   * Retries of idempotent requests (GET, PUT, DELETE, and POSTs sent with an idempotency key)
   * after a connection error. Default 2.
   */
  retries?: number | undefined;
  /** A custom fetch, e.g. to observe or delay requests in tests. Default `globalThis.fetch`. */
  fetch?: Fetch | undefined;
  /**
   * Aborts every request of this client (and the pauses between retries): a call rejects with
   * the signal's `reason` (an `AbortError` `DOMException` by default), never retried.
   */
  signal?: AbortSignal | undefined;
}

/**
 * The options every SDK method takes as its last argument, e.g.
 * `sdk.tasks.list({}, { signal: AbortSignal.timeout(5_000) })`.
 */
export interface CallOptions {
  /**
   * Aborts this call (and the pauses between its retries), alongside the client's own `signal`:
   * it rejects with the signal's `reason` (an `AbortError` `DOMException` by default) and is
   * never retried.
   */
  signal?: AbortSignal | undefined;
}

export interface RequestOptions extends CallOptions {
  query?: Query | undefined;
  body?: object | undefined;
  /** Statuses that resolve to `null` instead of throwing. */
  nullOn?: readonly number[];
  /** Answers that resolve to `null` instead of throwing, when a status alone cannot tell. */
  nullIf?: (response: Response) => boolean;
  /**
   * Sent as the `Idempotency-Key` header; makes a POST safe to retry (the server answers a
   * repeat with the first answer's result).
   */
  idempotencyKey?: string | undefined;
  /**
   * The result of a DELETE whose retry finds nothing to delete (404): an earlier attempt,
   * whose answer was lost, deleted it.
   */
  alreadyDeleted?: () => unknown;
  /** This request's time allowance in ms, when longer than the client's `timeoutMs`. */
  minTimeoutMs?: number | undefined;
}

const IDEMPOTENT: ReadonlySet<HttpMethod> = new Set(['GET', 'PUT', 'DELETE']);
/** Error bodies are cut to this many characters in messages (an HTML error page is long). */
const MAX_BODY_IN_MESSAGE = 300;
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_RETRIES = 2;
const FIRST_BACKOFF_MS = 100;
const MAX_BACKOFF_MS = 2_000;

interface Answer {
  response: Response;
  text: string;
  /** How many times the request was sent (more than 1 after a retry). */
  sends: number;
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
  readonly #signal: AbortSignal | undefined;

  constructor(options: TransportOptions) {
    this.serverUrl = checkServerUrl(options.serverUrl);
    this.scope = options.scope === undefined ? undefined : checkScope(options.scope);
    this.#apiKey = options.apiKey;
    this.#timeoutMs = checkNumber(options.timeoutMs, 'timeoutMs', DEFAULT_TIMEOUT_MS, 1);
    this.#retries = checkNumber(options.retries, 'retries', DEFAULT_RETRIES, 0);
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#signal = options.signal;
  }

  async request<T>(method: HttpMethod, path: string, options: RequestOptions = {}): Promise<T> {
    const url = this.#url(path, options);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    if (options.idempotencyKey) headers['idempotency-key'] = options.idempotencyKey;
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const retryable = IDEMPOTENT.has(method) || options.idempotencyKey !== undefined;
    const { response, text, sends } = await this.#send(
      {
        method,
        path,
        url,
        headers,
        body,
        timeoutMs: Math.max(this.#timeoutMs, options.minTimeoutMs ?? 0),
        signal: eitherSignal(this.#signal, options.signal),
      },
      retryable ? this.#retries + 1 : 1,
    );
    if (options.nullOn?.includes(response.status) || options.nullIf?.(response)) return null as T;
    if (method === 'DELETE' && sends > 1 && response.status === 404 && options.alreadyDeleted) {
      return options.alreadyDeleted() as T;
    }
    if (!response.ok) throw errorFromResponse(response, text, { method, path, url });
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
        url,
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

  /** Sends up to `sends` times, retrying after connection errors with exponential backoff. */
  async #send(request: Outgoing, sends: number): Promise<Answer> {
    for (let send = 1; ; send++) {
      try {
        return { ...(await this.#attempt(request)), sends: send };
      } catch (error) {
        if (!(error instanceof OctopoidConnectionError) || send >= sends) throw error;
        const backoffMs = Math.min(FIRST_BACKOFF_MS * 2 ** (send - 1), MAX_BACKOFF_MS);
        await pause(backoffMs, request.signal);
      }
    }
  }

  /**
   * One attempt, bounded by the timeout from sending to the last byte of the body. The timer
   * races the fetch rather than relying on the abort signal alone, so a custom fetch that
   * ignores the signal still times out. A timeout is never retried: the server may have acted.
   * A body goes as a stream: fetch then cannot send it again by itself (it re-sends a replayable
   * request answered 421), so every send is one the client chose. An abort (by the caller's
   * signal, or an `AbortError` a custom fetch raises itself) rejects as such, never as a
   * connection error.
   */
  async #attempt({ method, path, url, headers, body, timeoutMs, signal: caller }: Outgoing) {
    caller?.throwIfAborted();
    const controller = new AbortController();
    const signal = caller ? AbortSignal.any([controller.signal, caller]) : controller.signal;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const stopped = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        reject(new OctopoidTimeoutError(method, path, timeoutMs));
        controller.abort();
      }, timeoutMs);
      caller?.addEventListener('abort', () => reject(caller.reason), { once: true });
    });
    const answered = (async () => {
      try {
        const init: RequestInit & { duplex?: 'half' } = { method, headers, signal };
        if (body !== undefined) Object.assign(init, { body: streamOf(body), duplex: 'half' });
        const response = await this.#fetch(url, init);
        return { response, text: await response.text() };
      } catch (error) {
        if (caller?.aborted) throw caller.reason;
        if (isAbort(error)) throw error;
        throw new OctopoidConnectionError(method, path, { cause: error, url });
      }
    })();
    try {
      return await Promise.race([answered, stopped]);
    } finally {
      clearTimeout(timer);
    }
  }
}

interface Outgoing {
  method: HttpMethod;
  path: string;
  url: string;
  headers: Record<string, string>;
  body: string | undefined;
  /** Allowed from sending to the end of the answer's body, in ms. */
  timeoutMs: number;
  /** The client's and the call's signals, either of which aborts the request. */
  signal: AbortSignal | undefined;
}

/** One signal that aborts when either does (with that one's reason); `undefined` for none. */
function eitherSignal(a: AbortSignal | undefined, b: AbortSignal | undefined) {
  return a && b ? AbortSignal.any([a, b]) : (a ?? b);
}

/** An abort (`AbortError`, or `TimeoutError` of `AbortSignal.timeout`) raised by fetch itself. */
const isAbort = (error: unknown) =>
  error instanceof Error && (error.name === 'AbortError' || error.name === 'TimeoutError');

const streamOf = (text: string) => new Blob([text]).stream();

/** Waits `ms`, or rejects with the signal's reason once it aborts. */
function pause(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', stop);
      resolve();
    }, ms);
    const stop = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener('abort', stop, { once: true });
  });
}

/** `text` cut to a readable length, saying how much was left out. */
function excerpt(text: string): string {
  if (text.length <= MAX_BODY_IN_MESSAGE) return text;
  return `${text.slice(0, MAX_BODY_IN_MESSAGE)}… (${text.length - MAX_BODY_IN_MESSAGE} more characters)`;
}

/**
 * The error for a non-2xx answer. The server's own answers carry `{ error, code, details }`;
 * any other (a proxy's page, a load balancer's 502) keeps its status and text and says whose it
 * is not, naming host and port. A 407 is a proxy asking this client for credentials.
 */
function errorFromResponse(
  response: Response,
  text: string,
  request: { method: string; path: string; url: string },
) {
  const body = parseErrorBody(text);
  if (response.status === 407) {
    const challenge = response.headers.get('proxy-authenticate');
    return new OctopoidError({
      status: 407,
      code: 'proxy_authentication_required',
      message:
        `proxy authentication required: a proxy between this client and ${hostAndPort(request.url)} ` +
        `refused the request${challenge ? ` (Proxy-Authenticate: ${challenge})` : ''}`,
      ...request,
    });
  }
  const said =
    (typeof body.error === 'string' && body.error) ||
    (typeof body.message === 'string' && body.message) ||
    excerpt(text) ||
    response.statusText;
  const fromServer = typeof body.code === 'string';
  return new OctopoidError({
    status: response.status,
    code: fromServer ? (body.code as string) : 'http_error',
    message: fromServer
      ? said
      : `not the Octopoid server's answer (from ${hostAndPort(request.url)}): ${said || 'no body'}`,
    details: Array.isArray(body.details) ? body.details : undefined,
    ...request,
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
