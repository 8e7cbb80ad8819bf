import { ApiError } from '../../errors.js';
import type { Db } from '../../store/store.js';
import { blockerOf } from '../../store/tasks.js';

/**
 * Refuses (409 naming `blocked_by`) to make task `id` wait for `blocker` when `blocker` already
 * waits, directly or through a chain of `blocked_by` in the scope, for `id`: such tasks could
 * never be claimed. `blocker` equal to `id` is the shortest cycle.
 */
export async function assertNoDependencyCycle(
  db: Db,
  scope: string,
  id: string,
  blocker: string | null | undefined,
): Promise<void> {
  const chain = [id];
  const seen = new Set<string>();
  for (
    let next = blocker || null;
    next !== null;
    next = (await blockerOf(db, scope, next)) ?? null
  ) {
    chain.push(next);
    if (next === id) {
      throw ApiError.conflict(`blocked_by would make a dependency cycle: ${chain.join(' → ')}`, [
        { field: 'blocked_by', reason: `${chain.join(' → ')} is a cycle; no task in it could run` },
      ]);
    }
    // A cycle that does not pass through `id` predates this check; it is not this write's doing.
    if (seen.has(next)) return;
    seen.add(next);
  }
}

/** The same check for tasks written together (a merge): none of them may end up in a cycle. */
export async function assertNoDependencyCycles(
  db: Db,
  scope: string,
  tasks: readonly { id: string; blocked_by: string | null }[],
): Promise<void> {
  for (const task of tasks) await assertNoDependencyCycle(db, scope, task.id, task.blocked_by);
}
