import { ApiError } from '../../errors.js';
import type { TaskRow } from '../../store/tasks.js';

/** When a caller says who it is, it must be the one holding the claim. */
export function assertClaimant(
  task: TaskRow,
  caller: { agent_name?: string | undefined; orchestrator_id?: string | undefined },
): void {
  const mismatches = [
    caller.agent_name !== undefined && caller.agent_name !== task.claimed_by ? 'agent_name' : null,
    caller.orchestrator_id !== undefined && caller.orchestrator_id !== task.orchestrator_id
      ? 'orchestrator_id'
      : null,
  ].filter((field): field is string => field !== null);
  if (mismatches.length > 0) {
    throw new ApiError(
      409,
      'conflict',
      `task ${task.id} is claimed by ${task.claimed_by} (${task.orchestrator_id})`,
      mismatches.map((field) => ({ field, reason: 'is not the current claimant' })),
    );
  }
}
