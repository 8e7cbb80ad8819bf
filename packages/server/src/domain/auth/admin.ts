import { createHash, timingSafeEqual } from 'node:crypto';

/** The shortest admin key a server accepts: it guards every scope. */
export const MIN_ADMIN_KEY_LENGTH = 32;

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * Whether a bearer token is the server's admin key. Both sides are hashed first so the
 * comparison takes the same time whatever the token's length or content.
 */
export function isAdminToken(token: string | undefined, adminKey: string | undefined): boolean {
  if (token === undefined || adminKey === undefined) return false;
  return timingSafeEqual(digest(token), digest(adminKey));
}
