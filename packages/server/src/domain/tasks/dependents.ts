import type { Db } from '../../store/store.js';
import { dependentsOf, updateTask } from '../../store/tasks.js';
import { recordHistory } from './write.js';

/**
 * Clears `blocked_by` on the scope's tasks waiting for `blockerId`, once it is done or deleted,
 * with a version bump and an `unblocked` history row each. Other scopes are never touched.
 */
export async function releaseDependents(
  tx: Db,
  scope: string,
  blockerId: string,
  now: string,
  reason: 'blocker_done' | 'blocker_deleted',
): Promise<void> {
  for (const dependent of await dependentsOf(tx, scope, blockerId)) {
    await updateTask(tx, scope, dependent.id, dependent.version, {
      blocked_by: null,
      updated_at: now,
    });
    await recordHistory(tx, scope, dependent.id, now, [
      { event: 'unblocked', details: { blocked_by: blockerId, reason } },
    ]);
  }
}
