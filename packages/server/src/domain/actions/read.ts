import type { ActionListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { type ActionRow, findAction, selectLiveActions } from '../../store/actions.js';
import type { ScopeContext } from '../context.js';

/**
 * Actions of the scope, newest first, leaving out those expired by the scope's clock.
 * @throws nothing beyond the query's own validation
 */
export function listActions(ctx: ScopeContext, query: ActionListQuery) {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.snapshot((db) =>
    selectLiveActions(db, ctx.scope, query, now, query, ctx.store.dialect),
  );
}

/**
 * One action of the scope, expired or not.
 * @throws `ApiError` 404 when the action is not in the scope
 */
export async function getAction(ctx: ScopeContext, id: string): Promise<ActionRow> {
  const action = await findAction(ctx.store.db, ctx.scope, id);
  if (!action) throw ApiError.notFound('action', id);
  return action;
}
