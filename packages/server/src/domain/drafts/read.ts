import type { DraftListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findDraft, selectDrafts } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

/**
 * One draft of the scope.
 * @throws `ApiError` 404 when the draft is not in the scope
 */
export async function getDraft(ctx: ScopeContext, id: number) {
  const draft = await findDraft(ctx.store.db, ctx.scope, id);
  if (!draft) throw ApiError.notFound('draft', id);
  return draft;
}

/**
 * A page of the scope's drafts, filtered as the query asks.
 * @throws nothing beyond the query's own validation
 */
export const listDrafts = (ctx: ScopeContext, query: DraftListQuery) =>
  ctx.store.snapshot((db) => selectDrafts(db, ctx.scope, query, query));
