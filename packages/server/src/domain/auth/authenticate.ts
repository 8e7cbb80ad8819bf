import { API_KEY_PATTERN } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findApiKey, touchApiKey } from '../../store/api-keys.js';
import type { Services } from '../context.js';
import { hashApiKey } from './keys.js';
import type { ApiKeyIdentity } from './mode.js';

const BEARER = /^bearer\s+(\S+)\s*$/i;

/** The token of an `Authorization: Bearer <token>` header. */
export const bearerToken = (header: string) => BEARER.exec(header)?.[1];

/** `last_used_at` is refreshed at most this often, so authenticated requests rarely write. */
const LAST_USED_RESOLUTION_MS = 60_000;

const unauthorized = (reason: string) =>
  new ApiError('unauthorized', `invalid Authorization header: ${reason}`, [
    { field: 'header.authorization', reason },
  ]);

/** Checks an `Authorization: Bearer oct_…` header and tells whose key it is. */
export async function authenticateBearer(
  services: Services,
  header: string,
): Promise<ApiKeyIdentity> {
  const token = bearerToken(header);
  if (token === undefined) throw unauthorized('must be "Bearer <api key>"');
  if (!API_KEY_PATTERN.test(token)) {
    throw unauthorized('the key must be oct_ and 64 lowercase hex characters');
  }
  const keyHash = hashApiKey(token);
  const row = await findApiKey(services.store.db, keyHash);
  if (!row) throw unauthorized('unknown or revoked API key');
  const now = services.clocks.nowIso(row.scope);
  if (
    !row.last_used_at ||
    Date.parse(now) - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS
  ) {
    await touchApiKey(services.store.db, keyHash, now);
  }
  return { scope: row.scope, keyHash };
}
