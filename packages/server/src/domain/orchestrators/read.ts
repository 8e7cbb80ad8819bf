import type { OrchestratorListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findOrchestrator, selectOrchestrators } from '../../store/orchestrators.js';
import type { ScopeContext } from '../context.js';

export async function getOrchestrator(ctx: ScopeContext, id: string) {
  const orchestrator = await findOrchestrator(ctx.store.db, ctx.scope, id);
  if (!orchestrator) throw ApiError.notFound('orchestrator', id);
  return orchestrator;
}

export function listOrchestrators(ctx: ScopeContext, query: OrchestratorListQuery) {
  return selectOrchestrators(ctx.store.db, ctx.scope, query);
}
