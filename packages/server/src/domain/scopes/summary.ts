import type { ScopeSummary } from '@octopoid/api';
import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { type TableActivity, tableActivity } from '../../store/scopes.js';
import type { ScopeContext, Services } from '../context.js';
import { SCOPED_TABLES, zeroCounts } from './purge.js';

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

/** Every scope that holds any entity, by name. */
export async function listScopes(services: Services): Promise<ScopeSummary[]> {
  return summarize(await tableActivity(services.store.db, SCOPED_TABLES));
}

/** One scope's summary, or undefined when it holds nothing. */
export async function scopeSummary(
  db: Kysely<Database>,
  scope: string,
): Promise<ScopeSummary | undefined> {
  return summarize(await tableActivity(db, SCOPED_TABLES, scope))[0];
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
