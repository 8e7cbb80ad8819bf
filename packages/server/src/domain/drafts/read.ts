import type { DraftListQuery } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findDraft, listDrafts } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

export async function getDraft(ctx: ScopeContext, id: number) {
  const draft = await findDraft(ctx.store.db, ctx.scope, id);
  if (!draft) throw ApiError.notFound('draft', id);
  return draft;
}

export const findDrafts = (ctx: ScopeContext, query: DraftListQuery) =>
  ctx.store.snapshot((db) => listDrafts(db, ctx.scope, query, query));
