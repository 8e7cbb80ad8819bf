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

  constructor(init: {
    status: number;
    code: ErrorCode | string;
    message: string;
    details?: ErrorDetail[] | undefined;
    method: string;
    path: string;
  }) {
    super(`${init.method} ${init.path} → ${init.status} ${init.code}: ${init.message}`);
    this.name = 'OctopoidError';
    this.status = init.status;
    this.code = init.code;
    this.details = init.details ?? [];
    this.method = init.method;
    this.path = init.path;
  }
}

/** The server could not be reached (refused, reset, DNS). */
export class OctopoidConnectionError extends Error {
  constructor(
    readonly method: string,
    readonly path: string,
    options: { cause: unknown },
  ) {
    super(`${method} ${path}: could not reach the server`, options);
    this.name = 'OctopoidConnectionError';
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
