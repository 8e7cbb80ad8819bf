import { ApiError } from '../../errors.js';
import { deleteDraft } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

export async function removeDraft(ctx: ScopeContext, id: number): Promise<void> {
  if (!(await deleteDraft(ctx.store.db, ctx.scope, id))) throw ApiError.notFound('draft', id);
}
