import { createHash, randomBytes } from 'node:crypto';

/** A new key: `oct_` and 64 lowercase hex characters (32 random bytes). */
export function generateApiKey(): string {
  return `oct_${randomBytes(32).toString('hex')}`;
}

/** What is stored instead of the key: the lowercase hex SHA-256 of the whole key string. */
export function hashApiKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}
