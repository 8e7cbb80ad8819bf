import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import { insertApiKeyIfAbsent } from '../../store/api-keys.js';
import type { Database } from '../../store/schema.js';
import type { ScopeContext } from '../context.js';
import { generateApiKey, hashApiKey } from './keys.js';
import type { Caller } from './mode.js';

/**
 * Lets a registration into the scope proceed, inside its transaction. A caller with the scope's
 * key joins; a key-less caller joins only a scope without a key, and then receives that scope's
 * new key (returned, shown once). A key-less caller of a keyed scope is refused, which also
 * settles a race of first registrations: the first stores its key, the others are refused.
 */
export async function admitToScope(
  ctx: ScopeContext,
  tx: Kysely<Database>,
  caller: Caller,
): Promise<string | undefined> {
  if (caller.mode === 'off' || caller.apiKey) return undefined;
  const apiKey = generateApiKey();
  const stored = await insertApiKeyIfAbsent(tx, {
    key_hash: hashApiKey(apiKey),
    scope: ctx.scope,
    created_at: ctx.clocks.nowIso(ctx.scope),
    last_used_at: null,
  });
  if (!stored) {
    if (caller.admin) return undefined;
    throw new ApiError(
      401,
      'unauthorized',
      `scope ${ctx.scope} has an API key: send it as "Authorization: Bearer <key>" to register`,
      [{ field: 'header.authorization', reason: 'required to join a scope that has an API key' }],
    );
  }
  return apiKey;
}
