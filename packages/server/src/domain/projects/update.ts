import type { ProjectPatch } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { findProject, type ProjectRow, updateProject } from '../../store/projects.js';
import type { ScopeContext } from '../context.js';
import { assertPatchNamesAField } from '../patch.js';
import { completionTime } from './completion.js';

/**
 * Applies a PATCH to a project of the scope.
 * @throws `ApiError` 404 when the project is not in the scope
 */
export function patchProject(ctx: ScopeContext, id: string, patch: ProjectPatch) {
  assertPatchNamesAField(patch);
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx): Promise<ProjectRow> => {
    const project = await findProject(tx, ctx.scope, id, ctx.store.supportsRowLocks);
    if (!project) throw ApiError.notFound('project', id);
    const completedAt =
      patch.completed_at === undefined
        ? project.completed_at
        : patch.completed_at && new Date(patch.completed_at).toISOString();
    return updateProject(tx, ctx.scope, id, {
      ...patch,
      completed_at: completionTime(patch.status, completedAt, now),
      updated_at: now,
    });
  });
}
