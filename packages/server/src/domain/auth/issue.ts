import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import { insertApiKeyIfAbsent } from '../../store/api-keys.js';
import type { Database } from '../../store/schema.js';
import { scopeHoldsRows } from '../../store/scopes.js';
import type { ScopeContext } from '../context.js';
import { SCOPED_TABLES } from '../scopes/purge.js';
import { generateApiKey, hashApiKey } from './keys.js';
import type { Caller } from './mode.js';

const keyRequired = (scope: string, reason: string) =>
  new ApiError(
    'unauthorized',
    `scope ${scope} ${reason}: send its key (or the admin key) as "Authorization: Bearer <key>" to register`,
    [{ field: 'header.authorization', reason: `required to join a scope that ${reason}` }],
  );

/**
 * Lets a registration into the scope proceed, inside its transaction. A caller with the scope's
 * key joins; a key-less caller of a scope without a key receives that scope's new key (returned,
 * shown once). A key-less caller of a keyed scope joins with no key in `optional` mode, as in the
 * v1 API (an orchestrator that lost its key file re-registers that way, and key-less requests may
 * do everything else there anyway), and is refused with a 401 in `required` mode. Either way a
 * race of first registrations issues one key: the first stores it, the others get none.
 * In `required` mode a key-less caller (admitted only under open registration) may take only a
 * scope that holds nothing at all: a clone, a merge target or a scope written in another auth
 * mode holds data without a key, and must not go to the first anonymous caller.
 */
export async function admitToScope(
  ctx: ScopeContext,
  tx: Kysely<Database>,
  caller: Caller,
): Promise<string | undefined> {
  if (caller.mode === 'off' || caller.apiKey) return undefined;
  if (caller.mode === 'required' && !caller.admin) {
    if (await scopeHoldsRows(tx, SCOPED_TABLES, ctx.scope)) {
      throw keyRequired(ctx.scope, 'holds data');
    }
  }
  const apiKey = generateApiKey();
  const stored = await insertApiKeyIfAbsent(tx, {
    key_hash: hashApiKey(apiKey),
    scope: ctx.scope,
    created_at: ctx.clocks.nowIso(ctx.scope),
    last_used_at: null,
  });
  if (!stored) {
    if (caller.admin || caller.mode === 'optional') return undefined;
    throw keyRequired(ctx.scope, 'has an API key');
  }
  return apiKey;
}
