import type { ScopeSummary } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import type { Page } from '../../store/listing.js';
import { scopeNames, type TableActivity, tableActivity } from '../../store/scopes.js';
import type { Db } from '../../store/store.js';
import type { ScopeContext, Services } from '../context.js';
import { zeroCounts } from './purge.js';

function summarize(activity: readonly TableActivity[]): ScopeSummary[] {
  const byScope = new Map<string, ScopeSummary>();
  for (const { scope, table, rows, createdAt, changedAt } of activity) {
    const summary = byScope.get(scope) ?? {
      scope,
      counts: zeroCounts(),
      created_at: createdAt,
      last_activity_at: changedAt,
    };
    summary.counts[table] = rows;
    if (createdAt < summary.created_at) summary.created_at = createdAt;
    if (changedAt > summary.last_activity_at) summary.last_activity_at = changedAt;
    byScope.set(scope, summary);
  }
  return [...byScope.values()].sort((a, b) => (a.scope < b.scope ? -1 : 1));
}

/** One page of the scopes that hold any entity, by name, and how many there are. */
export function listScopes(
  services: Services,
  page: Page,
): Promise<{ scopes: ScopeSummary[]; total: number }> {
  return services.store.snapshot(async (db) => {
    const { names, total } = await scopeNames(db, page);
    return { scopes: summarize(await tableActivity(db, names)), total };
  });
}

/** One scope's summary, or undefined when it holds nothing. */
export async function scopeSummary(db: Db, scope: string): Promise<ScopeSummary | undefined> {
  return summarize(await tableActivity(db, [scope]))[0];
}

/**
 * The scope's entity counts and first and last activity.
 * @throws `ApiError` 404 when the scope holds no entity
 */
export async function getScope(ctx: ScopeContext): Promise<ScopeSummary> {
  const summary = await scopeSummary(ctx.store.db, ctx.scope);
  if (!summary) throw ApiError.notFound('scope', ctx.scope);
  return summary;
}
