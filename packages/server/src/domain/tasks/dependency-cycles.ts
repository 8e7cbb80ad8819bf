import { ApiError } from '../../errors.js';
import type { Db } from '../../store/store.js';
import { blockerOf } from '../../store/tasks.js';

/**
 * The longest `blocked_by` chain a write may extend: each link is one look-up during the write,
 * so a longer chain is refused rather than walked. Far beyond any real dependency chain.
 */
export const MAX_DEPENDENCY_CHAIN = 1_000;

/** Ids of a chain shown at each end of an error message; the middle is counted, not listed. */
const SHOWN_AT_EACH_END = 5;

const describe = (chain: readonly string[]) =>
  chain.length <= 2 * SHOWN_AT_EACH_END
    ? chain.join(' → ')
    : [
        ...chain.slice(0, SHOWN_AT_EACH_END),
        `… ${chain.length - 2 * SHOWN_AT_EACH_END} more …`,
        ...chain.slice(-SHOWN_AT_EACH_END),
      ].join(' → ');

/**
 * Walks `blocked_by` links from `blocker` for task `id`, skipping past tasks already known to
 * lead nowhere (`settled`); tasks of a walk that ended without a cycle are added to it. Since
 * each task has one `blocked_by`, a task whose onward chain ends cannot lead back to any task.
 */
async function walk(
  db: Db,
  scope: string,
  id: string,
  blocker: string | null,
  settled: Set<string>,
): Promise<void> {
  const chain = [id];
  const seen = new Set<string>();
  for (let next = blocker; next !== null; next = (await blockerOf(db, scope, next)) ?? null) {
    if (settled.has(next)) break;
    chain.push(next);
    if (next === id) {
      throw ApiError.conflict(`blocked_by would make a dependency cycle: ${describe(chain)}`, [
        { field: 'blocked_by', reason: `${describe(chain)} is a cycle; no task in it could run` },
      ]);
    }
    // A cycle that does not pass through `id` predates this check; it is not this write's doing.
    if (seen.has(next)) return;
    seen.add(next);
    if (chain.length > MAX_DEPENDENCY_CHAIN) {
      throw ApiError.conflict(
        `blocked_by would wait at the end of a chain of more than ${MAX_DEPENDENCY_CHAIN} tasks`,
        [{ field: 'blocked_by', reason: `the chain ${describe(chain)} goes on past the limit` }],
      );
    }
  }
  for (const task of seen) settled.add(task);
}

/**
 * Refuses (409 naming `blocked_by`) to make task `id` wait for `blocker` when `blocker` already
 * waits, directly or through a chain of `blocked_by` in the scope, for `id`: such tasks could
 * never be claimed. `blocker` equal to `id` is the shortest cycle. Also refuses (409) a chain
 * longer than {@link MAX_DEPENDENCY_CHAIN}.
 */
export function assertNoDependencyCycle(
  db: Db,
  scope: string,
  id: string,
  blocker: string | null | undefined,
): Promise<void> {
  return walk(db, scope, id, blocker || null, new Set());
}

/**
 * The same check for tasks written together (a merge): none of them may end up in a cycle. A
 * task's chain is looked up once across all of them, however many of them wait on it.
 */
export async function assertNoDependencyCycles(
  db: Db,
  scope: string,
  tasks: readonly { id: string; blocked_by: string | null }[],
): Promise<void> {
  const settled = new Set<string>();
  for (const task of tasks) await walk(db, scope, task.id, task.blocked_by || null, settled);
}
