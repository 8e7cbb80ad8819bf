import type { ErrorBody, ErrorDetail } from '@octopoid/api';
import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ZodError } from 'zod';
import { ApiError } from '../errors.js';
import type { Logger } from '../logger.js';
import { constraintViolation, isDatabaseUnavailable } from '../store/errors.js';

export function errorBody(error: ApiError): ErrorBody {
  return {
    error: error.message,
    code: error.code,
    ...(error.details ? { details: error.details } : {}),
  };
}

const LOCATION: Record<string, string> = {
  json: '',
  query: 'query.',
  param: 'path.',
  header: 'header.',
};

/** Turns a failed request validation into one 400 naming every offending field. */
export function validationError(error: ZodError, target: string): ApiError {
  const details: ErrorDetail[] = error.issues.map((issue) => {
    const path = issue.path.map(String).join('.');
    const field = `${LOCATION[target] ?? ''}${path}` || target;
    const reason =
      issue.code === 'invalid_type' && issue.message.endsWith('received undefined')
        ? 'is required'
        : issue.message;
    return { field, reason };
  });
  const summary = details.map((d) => `${d.field} ${d.reason}`).join('; ');
  return new ApiError('validation_failed', `invalid request: ${summary}`, details);
}

function fromHttpException(error: HTTPException): ApiError {
  switch (error.status) {
    case 400:
      return new ApiError('malformed_json', 'request body is not valid JSON', [
        { field: 'body', reason: 'is not valid JSON' },
      ]);
    case 413:
      return new ApiError('payload_too_large', 'request body is too large', [
        { field: 'body', reason: 'is too large' },
      ]);
    case 415:
      return new ApiError('unsupported_media_type', 'send the body as application/json', [
        { field: 'Content-Type', reason: 'must be application/json' },
      ]);
    default:
      return new ApiError(
        error.status >= 500 ? 'internal_error' : 'bad_request',
        error.message || 'request failed',
      );
  }
}

const CONSTRAINT_CONFLICTS = {
  unique: ApiError.conflict(
    'an entity with that key was created concurrently; nothing was written',
  ),
  foreign_key: ApiError.conflict(
    'an entity this write refers to changed concurrently; nothing was written',
  ),
  concurrent: ApiError.conflict('a concurrent write got in the way; nothing was written, retry'),
} as const;

/** What a 503 for an unavailable database, or a 429 for too many waiting claims, asks clients to wait, in seconds. */
const RETRY_AFTER_SECONDS = 2;

/** The one place an error becomes a response. Unexpected errors are logged, never echoed. */
export function handleError(logger: Logger) {
  return (error: Error, c: Context) => {
    let apiError: ApiError;
    const violation = constraintViolation(error);
    if (error instanceof ApiError) apiError = error;
    else if (error instanceof HTTPException) apiError = fromHttpException(error);
    else if (violation) {
      // A write lost a race the domain checks could not see (e.g. two PostgreSQL transactions).
      logger.warn({ err: error, method: c.req.method, path: c.req.path }, 'constraint violation');
      apiError = CONSTRAINT_CONFLICTS[violation];
    } else if (isDatabaseUnavailable(error)) {
      logger.warn({ err: error, method: c.req.method, path: c.req.path }, 'database unavailable');
      apiError = new ApiError(
        'service_unavailable',
        'the database is unavailable for now; nothing was written; retry later',
      );
      c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    } else {
      logger.error({ err: error, method: c.req.method, path: c.req.path }, 'unexpected error');
      apiError = new ApiError('internal_error', 'internal error; see the server log');
    }
    // A 413 answers before the body was read. The node adapter drains the rest for a moment and
    // then drops the socket, so a client that kept the connection alive would lose its next
    // request on it: tell it to open a new one.
    if (apiError.status === 413) c.header('Connection', 'close');
    // Too many waiting claims: a slot frees as soon as one wait ends.
    if (apiError.code === 'too_many_waiters') c.header('Retry-After', String(RETRY_AFTER_SECONDS));
    return c.json(errorBody(apiError), apiError.status);
  };
}

export function notFoundRoute(c: Context) {
  return c.json(
    errorBody(new ApiError('not_found', `no route ${c.req.method} ${c.req.path}`)),
    404,
  );
}
