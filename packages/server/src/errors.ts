import type { ErrorCode, ErrorDetail } from '@octopoid/api';
import type { ContentfulStatusCode } from 'hono/utils/http-status';

/**
 * The one error type of the server. Domain code throws it; the HTTP layer turns it into the
 * `{ error, code, details? }` body in one place.
 */
export class ApiError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: ErrorCode,
    message: string,
    readonly details?: ErrorDetail[],
  ) {
    super(message);
    this.name = 'ApiError';
  }

  static invalid(field: string, reason: string): ApiError {
    return new ApiError(400, 'validation_failed', `${field}: ${reason}`, [{ field, reason }]);
  }

  static notFound(entity: string, id: string | number): ApiError {
    return new ApiError(404, 'not_found', `${entity} ${id} not found in this scope`);
  }

  static conflict(message: string, details?: ErrorDetail[]): ApiError {
    return new ApiError(409, 'conflict', message, details);
  }

  static invalidTransition(taskId: string, action: string, queue: string): ApiError {
    return new ApiError(
      409,
      'invalid_transition',
      `cannot ${action} task ${taskId} from ${queue}`,
      [{ field: 'queue', reason: `${action} is not allowed from queue ${queue}` }],
    );
  }

  static versionConflict(expected: number, actual: number): ApiError {
    return new ApiError(409, 'version_conflict', `expected version ${expected}, found ${actual}`, [
      { field: 'version', reason: `the task is at version ${actual}` },
    ]);
  }
}
