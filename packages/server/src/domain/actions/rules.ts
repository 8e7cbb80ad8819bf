import type { ActionStatus } from '@octopoid/api';

/**
 * The action lifecycle as data. A human executes a live proposal; the handler carrying it out
 * then reports completion or failure. PATCH stays the unchecked escape hatch of the v1 API.
 */
export type ActionMove = 'execute' | 'complete' | 'fail';

export const ACTION_MOVES: Record<ActionMove, { from: readonly ActionStatus[]; to: ActionStatus }> =
  {
    execute: { from: ['proposed'], to: 'execute_requested' },
    complete: { from: ['execute_requested', 'executing'], to: 'completed' },
    fail: { from: ['execute_requested', 'executing'], to: 'failed' },
  };

export function canMove(move: ActionMove, from: string): boolean {
  return (ACTION_MOVES[move].from as readonly string[]).includes(from);
}

/** Whether the action's `expires_at` (an ISO instant) has passed at `now`, compared as instants. */
export function isExpired(action: { expires_at: string | null }, now: string): boolean {
  return action.expires_at !== null && Date.parse(action.expires_at) <= Date.parse(now);
}
