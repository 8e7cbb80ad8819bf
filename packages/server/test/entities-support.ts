import type { OctopoidSDK } from '@octopoid/sdk';
import { expect } from '@octopoid/testing/vitest';
import { expectError, type RawRequest, send, type Target } from './tasks-support.js';

/** Every timestamp the server emits: ISO-8601 UTC with milliseconds and `Z`. */
export const ISO_Z = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/;

/** What an SDK `get` found; fails the test when it resolved `null` (a 404). */
export function found<T>(entity: T | null, what: string): T {
  expect(entity, `${what} should exist`).not.toBeNull();
  return entity as T;
}

/** A raw request naming the client's scope in the query string. */
export const inScope = (sdk: OctopoidSDK, request: RawRequest = {}): RawRequest => ({
  ...request,
  query: { scope: sdk.scope as string, ...request.query },
});

/**
 * Sends each write route a JSON body that is not an object (400), a valid body under a
 * non-JSON content type (415), and a valid body over the size limit (413). The caller then
 * checks that nothing was written. Pass an in-process server (`startInProcessServer`): these are
 * the middleware's answers, and a socket would race the early 413 with the body's last writes.
 */
export async function expectBodiesRefused(
  server: Target,
  sdk: OctopoidSDK,
  routes: [method: string, path: string, valid: object][],
): Promise<void> {
  const huge = 'x'.repeat(1024 * 1024 + 1);
  for (const [method, path, valid] of routes) {
    for (const raw of ['[]', '"text"', '42', 'null']) {
      const response = await send(
        server,
        method,
        path,
        inScope(sdk, { raw, contentType: 'application/json' }),
      );
      expectError(response, 400, 'validation_failed', 'body');
    }
    const asText = await send(
      server,
      method,
      path,
      inScope(sdk, { raw: JSON.stringify(valid), contentType: 'text/plain' }),
    );
    expectError(asText, 415, 'unsupported_media_type');
    const tooLarge = await send(
      server,
      method,
      path,
      inScope(sdk, { json: { ...valid, padding: huge } }),
    );
    expectError(tooLarge, 413, 'payload_too_large');
  }
}

/** Bad `limit`/`offset` values, each with the parameter a 400 must name. */
const BAD_PAGES: [query: Record<string, string>, field: string][] = [
  [{ limit: '0' }, 'query.limit'],
  [{ limit: '501' }, 'query.limit'],
  [{ limit: 'ten' }, 'query.limit'],
  [{ limit: '1.5' }, 'query.limit'],
  // Number() reads these as 16, 100, 7 and 0: input changed, not refused.
  [{ limit: '0x10' }, 'query.limit'],
  [{ limit: '1e2' }, 'query.limit'],
  [{ limit: ' 7' }, 'query.limit'],
  [{ limit: '' }, 'query.limit'],
  [{ offset: '0b1' }, 'query.offset'],
  [{ offset: '-1' }, 'query.offset'],
];

/** A list route answers every bad page with a 400 naming the parameter. */
export async function expectPagingValidated(serverUrl: string, sdk: OctopoidSDK, path: string) {
  for (const [query, field] of BAD_PAGES) {
    const response = await send(serverUrl, 'GET', path, inScope(sdk, { query }));
    expectError(response, 400, 'validation_failed', field);
  }
}
