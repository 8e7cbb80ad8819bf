import type { ErrorCode, ErrorDetail } from '@octopoid/api';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The HTTP status each error code answers with: the one place a code meets its status. The one
 * exception is written next to it: `scope_mismatch` is a 403 when the API key's scope is one of
 * the disagreeing sources (`ApiError.keyScopeMismatch`), since the key forbids that scope.
 */
export const ERROR_STATUS: Readonly<Record<ErrorCode, ContentfulStatusCode>> = {
  bad_request: 400,
  validation_failed: 400,
  malformed_json: 400,
  scope_required: 400,
  scope_mismatch: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  ambiguous: 409,
  version_conflict: 409,
  invalid_transition: 409,
  too_many_claimed: 429,
  too_many_streams: 429,
  too_many_waiters: 429,
  idempotency_key_reused: 422,
  payload_too_large: 413,
  unsupported_media_type: 415,
  internal_error: 500,
  service_unavailable: 503,
};

/**
 * The one error type of the server. Domain code throws it; the HTTP layer turns it into the
 * `{ error, code, details? }` body in one place, answering with `ERROR_STATUS[code]`.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = ERROR_STATUS[code];
  }

  static invalid(field: string, reason: string): ApiError {
    return new ApiError('validation_failed', `${field}: ${reason}`, [{ field, reason }]);
  }

  static notFound(entity: string, id: string | number): ApiError {
    return new ApiError('not_found', `${entity} ${id} not found in this scope`);
  }

  static conflict(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError('conflict', message, details);
  }

  static invalidTransition(taskId: string, action: string, queue: string): ApiError {
    return new ApiError('invalid_transition', `cannot ${action} task ${taskId} from ${queue}`, [
      { field: 'queue', reason: `${action} is not allowed from queue ${queue}` },
    ]);
  }

  static versionConflict(expected: number, actual: number): ApiError {
    return new ApiError('version_conflict', `expected version ${expected}, found ${actual}`, [
      { field: 'version', reason: `the task is at version ${actual}` },
    ]);
  }

  /** A claimant acting on a task whose lease ran out (`at`, an ISO-8601 instant): 409. */
  static leaseExpired(taskId: string, at: string): ApiError {
    return new ApiError('conflict', `the lease on task ${taskId} has expired`, [
      { field: 'lease_expires_at', reason: `expired at ${at}` },
    ]);
  }

  /** The request names one scope and its API key another: 403 `scope_mismatch`. */
  static keyScopeMismatch(message: string, details: ErrorDetail[]): ApiError {
    return new KeyScopeMismatch(message, details);
  }
}

class KeyScopeMismatch extends ApiError {
  override readonly status = 403;

  constructor(message: string, details: ErrorDetail[]) {
    super('scope_mismatch', message, details);
  }
}
