import { ERROR_CODES } from '@octopoid/api/constants';
import { describe, expect, test } from 'vitest';
import { ApiError, ERROR_STATUS } from '../../src/errors.js';
import { errorBody } from '../../src/http/error-response.js';

describe('error code to status', () => {
  test('every error code has its status in the one table, and an ApiError answers with it', () => {
    expect(Object.keys(ERROR_STATUS).sort()).toEqual([...ERROR_CODES].sort());
    for (const code of ERROR_CODES) {
      expect(new ApiError(code, 'm').status).toBe(ERROR_STATUS[code]);
    }
  });

  test('a scope the API key forbids is 403 scope_mismatch; other disagreements stay 400', () => {
    const details = [{ field: 'scope', reason: 'sources disagree' }];
    const forbidden = ApiError.keyScopeMismatch('key names a, query names b', details);
    expect([forbidden.status, forbidden.code]).toEqual([403, 'scope_mismatch']);
    expect(new ApiError('scope_mismatch', 'query names a, header names b', details).status).toBe(
      400,
    );
  });

  test('the body is { error, code, details? }, details only when given', () => {
    expect(errorBody(ApiError.leaseExpired('t-1', '2026-01-01T00:00:00.000Z'))).toEqual({
      error: 'the lease on task t-1 has expired',
      code: 'conflict',
      details: [{ field: 'lease_expires_at', reason: 'expired at 2026-01-01T00:00:00.000Z' }],
    });
    expect(JSON.stringify(errorBody(ApiError.notFound('task', 't-1')))).toBe(
      '{"error":"task t-1 not found in this scope","code":"not_found"}',
    );
  });
});
