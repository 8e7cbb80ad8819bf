import type { DraftCreate } from '@octopoid/api';
import { type DraftRow, insertDraft, nextDraftId } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

/**
 * Creates a draft with the scope's next integer id (one more than its highest).
 * @throws nothing of its own: ids are allocated inside the write transaction
 */
export function createDraft(ctx: ScopeContext, input: DraftCreate): Promise<DraftRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    return insertDraft(tx, {
      scope: ctx.scope,
      id: await nextDraftId(tx, ctx.store.dialect, ctx.scope),
      title: input.title,
      author: input.author,
      status: input.status ?? 'idea',
      domain: input.domain ?? null,
      file_path: input.file_path ?? null,
      linked_task_id: input.linked_task_id ?? null,
      linked_project_id: input.linked_project_id ?? null,
      tags: input.tags ?? null,
      created_at: now,
      updated_at: now,
    });
  });
}
