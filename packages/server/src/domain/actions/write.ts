import { ApiError } from '../../errors.js';
import {
  type ActionChanges,
  type ActionRow,
  findAction,
  updateAction,
} from '../../store/actions.js';
import type { ScopeContext } from '../context.js';

/**
 * Runs one action write in a transaction: loads the action of the scope (row-locked where the
 * database can), lets `decide` check it and compute the change, and writes it.
 */
export function writeAction(
  ctx: ScopeContext,
  id: string,
  decide: (action: ActionRow, now: string) => ActionChanges,
): Promise<ActionRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    const action = await findAction(tx, ctx.scope, id, { forUpdate: true });
    if (!action) throw ApiError.notFound('action', id);
    return updateAction(tx, ctx.scope, id, decide(action, now));
  });
}
