import { ApiError } from '../../errors.js';
import { replaceApiKey } from '../../store/api-keys.js';
import type { ScopeContext } from '../context.js';
import { generateApiKey, hashApiKey } from './keys.js';
import type { Caller } from './mode.js';

/**
 * Replaces the scope's key with a new one; the old key stops working at once. Only the holder
 * of the current key may rotate it (the scope middleware already refused another scope's key).
 * @throws `ApiError` 404 when the server runs without keys (auth off) or the scope has no key; 401
 *   `unauthorized` when the caller sent no key
 */
export async function rotateApiKey(ctx: ScopeContext, caller: Caller): Promise<string> {
  if (caller.mode === 'off') {
    throw new ApiError('not_found', 'this server does not use API keys (auth mode off)');
  }
  if (!caller.apiKey) {
    throw new ApiError('unauthorized', "rotating a key needs the scope's current key", [
      { field: 'header.authorization', reason: 'required' },
    ]);
  }
  const apiKey = generateApiKey();
  const replaced = await replaceApiKey(
    ctx.store.db,
    ctx.scope,
    caller.apiKey.keyHash,
    hashApiKey(apiKey),
    ctx.clocks.nowIso(ctx.scope),
  );
  if (!replaced) throw new ApiError('not_found', `scope ${ctx.scope} has no such API key`);
  return apiKey;
}
