import { ApiError } from '../../errors.js';
import { deleteDraft } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

/**
 * Deletes a draft of the scope.
 * @throws `ApiError` 404 when the draft is not in the scope
 */
export async function removeDraft(ctx: ScopeContext, id: number): Promise<void> {
  if (!(await deleteDraft(ctx.store.db, ctx.scope, id))) throw ApiError.notFound('draft', id);
}
