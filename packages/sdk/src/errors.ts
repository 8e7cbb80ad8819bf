import type { ErrorCode, ErrorDetail } from '@octopoid/api';

/**
 * The server answered with a non-2xx status (or a 2xx body that is not JSON). `code` and
 * `details` come from the server's `{ error, code, details }` body; `details` name the fields.
 */
export class OctopoidError extends Error {
  readonly status: number;
  readonly code: ErrorCode | string;
  readonly details: ErrorDetail[];
  readonly method: string;
  readonly path: string;
  /** The full URL the request went to (with its query), when known. */
  readonly url: string | undefined;

  constructor(init: {
    status: number;
    code: ErrorCode | string;
    message: string;
    details?: ErrorDetail[] | undefined;
    method: string;
    path: string;
    url?: string | undefined;
  }) {
    super(`${init.method} ${init.url ?? init.path} → ${init.status} ${init.code}: ${init.message}`);
    this.name = 'OctopoidError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.method = init.method;
    this.path = init.path;
    this.url = init.url;
  }
}

/** `host:port` of a URL, the port spelled out even when it is the scheme's default. */
export function hostAndPort(url: string): string {
  const parsed = new URL(url);
  const port = parsed.port || (parsed.protocol === 'https:' ? '443' : '80');
  return `${parsed.hostname}:${port}`;
}

/** What a failure's `cause` names: Node nests the system error (`ECONNREFUSED`) in `cause`. */
function systemError(cause: unknown): string | undefined {
  const inner = (cause as { cause?: { code?: unknown; message?: unknown } })?.cause;
  if (typeof inner?.code === 'string') return inner.code;
  if (typeof inner?.message === 'string' && inner.message) return inner.message;
  return undefined;
}

/**
 * The server could not be reached (refused, reset, DNS) or gave no answer fetch could use. The
 * message names the method, the URL, the host and port, and the system error (`ECONNREFUSED`).
 * A failure naming no system error is an answer fetch refused to hand over: Node's fetch turns
 * a proxy's 407 into such a bare "fetch failed", so the message says that 407 looks like this.
 */
export class OctopoidConnectionError extends Error {
  /** The full URL the request went to, when known. */
  readonly url: string | undefined;

  constructor(
    readonly method: string,
    readonly path: string,
    options: { cause: unknown; url?: string | undefined },
  ) {
    const system = systemError(options.cause);
    const where = options.url ? `${options.url}: ` : `${path}: `;
    const host = options.url ? ` ${hostAndPort(options.url)}` : '';
    const message = (options.cause as { message?: unknown })?.message;
    super(
      system
        ? `${method} ${where}could not reach the server${host && ` at${host}`} (${system})`
        : `${method} ${where}no usable answer from${host || ' the server'} (${
            typeof message === 'string' && message ? `${message}; ` : ''
          }a proxy asking for authentication, 407, ends this way)`,
      { cause: options.cause },
    );
    this.name = 'OctopoidConnectionError';
    this.url = options.url;
  }
}

/** No response arrived within the client's timeout. */
export class OctopoidTimeoutError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    readonly timeoutMs: number,
  ) {
    super(`${method} ${path}: no response within ${timeoutMs} ms`);
    this.name = 'OctopoidTimeoutError';
  }
}
