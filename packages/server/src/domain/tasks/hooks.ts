import type { HookComplete } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import type { ScopeContext } from '../context.js';
import { writeTask } from './write.js';

type StoredHook = { name: string; status?: string; evidence?: unknown };

/**
 * Records a hook's outcome inside the task's hooks JSON.
 * @throws `ApiError` 404 when the task is not in the scope; 409 `version_conflict` when `version`
 *   is stale; 409 `conflict` when a concurrent write got there first; 404 when the task has no hook
 *   of that name
 */
export function completeHook(ctx: ScopeContext, id: string, name: string, input: HookComplete) {
  return writeTask(ctx, id, undefined, async (task) => {
    const hooks = parseHooks(task.hooks);
    const hook = hooks.find((h) => h.name === name);
    if (!hook) throw ApiError.notFound('hook', `${name} of task ${id}`);
    hook.status = input.status;
    if (input.evidence !== undefined) hook.evidence = input.evidence;
    return {
      changes: { hooks: JSON.stringify(hooks) },
      history: [{ event: 'hook_completed', details: { hook: name, status: input.status } }],
    };
  });
}

function parseHooks(text: string | null): StoredHook[] {
  if (!text) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return Array.isArray(parsed) ? (parsed as StoredHook[]) : [];
  } catch {
    return [];
  }
}
