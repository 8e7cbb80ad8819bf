import type { DraftPatch } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { updateDraft } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';
import { assertPatchNamesAField } from '../patch.js';

/**
 * Applies a PATCH to a draft of the scope.
 * @throws `ApiError` 400 when no updatable field is given; 404 when the draft is not in the scope
 */
export async function patchDraft(ctx: ScopeContext, id: number, patch: DraftPatch) {
  assertPatchNamesAField(patch);
  const updated = await updateDraft(ctx.store.db, ctx.scope, id, {
    ...patch,
    updated_at: ctx.clocks.nowIso(ctx.scope),
  });
  if (!updated) throw ApiError.notFound('draft', id);
  return updated;
}
