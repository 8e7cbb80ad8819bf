import { z } from '@hono/zod-openapi';
import { API_KEY_PATTERN } from './constants.js';

/**
 * Glossary: a scope's API key is `oct_` and 64 lowercase hex characters (32 random bytes). The
 * server stores only its SHA-256; the key itself is shown once, when it is issued or rotated.
 */
export const ApiKey = z
  .string()
  .regex(API_KEY_PATTERN)
  .openapi({
    description: 'Shown once: only its SHA-256 is stored',
    example: `oct_${'0'.repeat(64)}`,
  });

export const ApiKeyRotated = z
  .object({ api_key: ApiKey, scope: z.string() })
  .openapi('ApiKeyRotated');
export type ApiKeyRotated = z.infer<typeof ApiKeyRotated>;
