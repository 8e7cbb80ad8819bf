import type { DraftCreate } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { type DraftRow, insertDraft, nextDraftId } from '../../store/drafts.js';
import type { ScopeContext } from '../context.js';

/** Concurrent creates in one scope on PostgreSQL may pick the same next id; the loser retries. */
const ID_ATTEMPTS = 5;

/** Creates a draft with the scope's next integer id (one more than its highest). */
export function createDraft(ctx: ScopeContext, input: DraftCreate): Promise<DraftRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    for (let attempt = 0; attempt < ID_ATTEMPTS; attempt++) {
      const created = await insertDraft(tx, {
        scope: ctx.scope,
        id: await nextDraftId(tx, ctx.scope),
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
      if (created) return created;
    }
    throw ApiError.conflict('too many drafts were created at once in this scope; retry');
  });
}
