import { ScopeCounts } from '@octopoid/api';
import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import type { ScopedTable } from '../../store/scopes.js';
import { forgetScope, type ScopeContext } from '../context.js';

/** Tables holding scoped entities, children before parents so foreign keys never object. */
export const SCOPED_TABLES = [
  'task_history',
  'messages',
  'actions',
  'tasks',
  'projects',
  'drafts',
  'roles',
  'flows',
  'orchestrators',
  'api_keys',
] as const satisfies readonly ScopedTable[];

export type PurgeReport = ScopeCounts;

/** Counts of every table, all zero, in the order the API lists them. */
export function zeroCounts(): ScopeCounts {
  return Object.fromEntries(
    Object.keys(ScopeCounts.shape).map((table) => [table, 0]),
  ) as ScopeCounts;
}

/** Deletes every row of the scope inside the caller's transaction. */
export async function deleteScopeRows(tx: Kysely<Database>, scope: string): Promise<PurgeReport> {
  const counts = zeroCounts();
  for (const table of SCOPED_TABLES) {
    const result = await tx.deleteFrom(table).where('scope', '=', scope).executeTakeFirst();
    counts[table] = Number(result.numDeletedRows);
  }
  return counts;
}

/**
 * Deletes every entity of the scope in one transaction.
 * @throws `ApiError` 404 when the scope holds no entity
 */
export async function purgeScope(ctx: ScopeContext): Promise<PurgeReport> {
  const report = await ctx.store.transaction((tx) => deleteScopeRows(tx, ctx.scope));
  forgetScope(ctx, ctx.scope);
  if (Object.values(report).every((n) => n === 0)) {
    throw ApiError.notFound('scope', ctx.scope);
  }
  return report;
}
