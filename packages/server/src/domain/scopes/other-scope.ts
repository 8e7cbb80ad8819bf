import { ApiError } from '../../errors.js';
import type { ScopeContext } from '../context.js';

/**
 * The second scope a clone or merge names must differ from the one it addresses.
 * @throws `ApiError` 400 `validation_failed` when `scope` is the addressed scope
 */
export function otherScope(ctx: ScopeContext, scope: string, field: string): string {
  if (scope === ctx.scope) throw ApiError.invalid(field, `must name a scope other than ${scope}`);
  return scope;
}
