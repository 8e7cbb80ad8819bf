import type { DraftListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findDraft, selectDrafts } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

export async function getDraft(ctx: ScopeContext, id: number) {
  const draft = await findDraft(ctx.store.db, ctx.scope, id);
  if (!draft) throw ApiError.notFound('draft', id);
  return draft;
}

export const listDrafts = (ctx: ScopeContext, query: DraftListQuery) =>
  ctx.store.snapshot((db) => selectDrafts(db, ctx.scope, query, query));
