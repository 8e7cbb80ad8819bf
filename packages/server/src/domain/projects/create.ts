import type { ProjectCreate } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { insertProject, type ProjectRow } from '../../store/projects.js';
import type { ScopeContext } from '../context.js';
import { completionTime } from './completion.js';

/**
 * Creates a project under the id the client chose.
 * @throws `ApiError` 409 `conflict` when the scope already holds that id
 */
export async function createProject(ctx: ScopeContext, input: ProjectCreate): Promise<ProjectRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  const status = input.status ?? 'draft';
  const created = await insertProject(ctx.store.db, {
    scope: ctx.scope,
    id: input.id,
    title: input.title,
    description: input.description ?? null,
    status,
    branch: input.branch,
    base_branch: input.base_branch ?? 'main',
    auto_accept: input.auto_accept ?? 0,
    created_by: input.created_by ?? null,
    pr_url: input.pr_url ?? null,
    pr_number: input.pr_number ?? null,
    created_at: now,
    updated_at: now,
    completed_at: completionTime(status, null, now),
  });
  if (!created) {
    throw ApiError.conflict(`a project with id ${input.id} already exists in this scope`, [
      { field: 'id', reason: 'already exists' },
    ]);
  }
  return created;
}
