import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import type { ScopeContext } from '../context.js';

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
] as const satisfies readonly (keyof Database)[];

export type PurgeReport = Record<(typeof SCOPED_TABLES)[number], number>;

/** Deletes every entity of the scope in one transaction. */
export async function purgeScope(ctx: ScopeContext): Promise<PurgeReport> {
  const report = await ctx.store.transaction(async (tx) => {
    const counts: Partial<PurgeReport> = {};
    for (const table of SCOPED_TABLES) {
      const result = await tx.deleteFrom(table).where('scope', '=', ctx.scope).executeTakeFirst();
      counts[table] = Number(result.numDeletedRows);
    }
    return counts as PurgeReport;
  });
  ctx.clocks.reset(ctx.scope);
  if (Object.values(report).every((n) => n === 0)) {
    throw ApiError.notFound('scope', ctx.scope);
  }
  return report;
}
