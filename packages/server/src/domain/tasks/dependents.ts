import type { Db } from '../../store/store.js';
import { unblockDependents } from '../../store/tasks.js';
import { historyRecords } from './write.js';

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
  await unblockDependents(
    tx,
    scope,
    blockerId,
    now,
    historyRecords([{ event: 'unblocked', details: { blocked_by: blockerId, reason } }]),
  );
}
