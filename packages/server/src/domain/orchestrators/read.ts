import type { OrchestratorListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findOrchestrator, selectOrchestrators } from '../../store/orchestrators.js';
import type { ScopeContext } from '../context.js';

/**
 * One orchestrator of the scope.
 * @throws `ApiError` 404 when the orchestrator is not in the scope
 */
export async function getOrchestrator(ctx: ScopeContext, id: string) {
  const orchestrator = await findOrchestrator(ctx.store.db, ctx.scope, id);
  if (!orchestrator) throw ApiError.notFound('orchestrator', id);
  return orchestrator;
}

/**
 * A page of the scope's orchestrators, filtered as the query asks, with the count of every match.
 * @throws nothing beyond the query's own validation
 */
export function listOrchestrators(ctx: ScopeContext, query: OrchestratorListQuery) {
  return ctx.store.snapshot((db) => selectOrchestrators(db, ctx.scope, query, query));
}
