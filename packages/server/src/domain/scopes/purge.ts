import { ScopeCounts } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { deleteScopeRows } from '../../store/scopes.js';
import type { Db } from '../../store/store.js';
import { forgetScope, type ScopeContext } from '../context.js';

export type PurgeReport = ScopeCounts;

/** Counts of every table, all zero, in the order the API lists them. */
export function zeroCounts(): ScopeCounts {
  return Object.fromEntries(
    Object.keys(ScopeCounts.shape).map((table) => [table, 0]),
  ) as ScopeCounts;
}

/** Deletes every row of the scope inside the caller's transaction; counts them per table. */
export async function emptyScope(tx: Db, scope: string): Promise<PurgeReport> {
  return { ...zeroCounts(), ...(await deleteScopeRows(tx, scope)) };
}

/**
 * Deletes every entity of the scope in one transaction.
 * @throws `ApiError` 404 when the scope holds no entity
 */
export async function purgeScope(ctx: ScopeContext): Promise<PurgeReport> {
  const report = await ctx.store.transaction((tx) => emptyScope(tx, ctx.scope));
  forgetScope(ctx, ctx.scope);
  if (Object.values(report).every((n) => n === 0)) {
    throw ApiError.notFound('scope', ctx.scope);
  }
  return report;
}
