import type { ActionOutcome, ActionPatch } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import type { ActionRow } from '../../store/actions.js';
import type { ScopeContext } from '../context.js';
import { ACTION_MOVES, type ActionMove, canMove, isExpired } from './rules.js';
import { writeAction } from './write.js';

function assertCanMove(action: ActionRow, move: ActionMove): void {
  if (canMove(move, action.status)) return;
  const allowed = ACTION_MOVES[move].from.join(' or ');
  throw new ApiError(
    'invalid_transition',
    `cannot ${move} action ${action.id}: it is ${action.status}`,
    [{ field: 'status', reason: `${move} needs status ${allowed}, not ${action.status}` }],
  );
}

/**
 * A human approves a live proposal; the handler picks it up from `execute_requested`.
 * @throws `ApiError` 404 when the action is not in the scope; 409 `invalid_transition` unless it is
 *   `proposed`; 409 `conflict` once it expired
 */
export const executeAction = (ctx: ScopeContext, id: string) =>
  writeAction(ctx, id, (action, now) => {
    assertCanMove(action, 'execute');
    if (isExpired(action, now)) {
      throw new ApiError('conflict', `action ${id} expired at ${action.expires_at}`, [
        { field: 'expires_at', reason: `expired at ${action.expires_at}` },
      ]);
    }
    return { status: ACTION_MOVES.execute.to, executed_at: now };
  });

const finish =
  (move: 'complete' | 'fail') => (ctx: ScopeContext, id: string, input: ActionOutcome) =>
    writeAction(ctx, id, (action) => {
      assertCanMove(action, move);
      return {
        status: ACTION_MOVES[move].to,
        ...(input.result !== undefined ? { result: input.result } : {}),
      };
    });

/** The handler reports the outcome of an action it was asked to execute. */
export const completeAction = finish('complete');
export const failAction = finish('fail');

/**
 * Direct edit of status and result, as the v1 API allows: any status may follow any other.
 * @throws `ApiError` 400 when no updatable field is given; 404 when the action is not in the scope
 */
export function patchAction(ctx: ScopeContext, id: string, patch: ActionPatch) {
  const changes = {
    ...(patch.status !== undefined ? { status: patch.status } : {}),
    ...(patch.result !== undefined ? { result: patch.result } : {}),
  };
  if (Object.keys(changes).length === 0) {
    throw new ApiError('validation_failed', 'no updatable field given', [
      { reason: 'send status, result or both' },
    ]);
  }
  return writeAction(ctx, id, () => changes);
}
