import type { ActionCreate } from '@octopoid/api';
import { type ActionRow, insertAction } from '../../store/actions.js';
import type { ScopeContext } from '../context.js';
import { newId } from '../ids.js';

/**
 * Proposes an action. The entity is a reference by type and id that is never looked up, as in
 * the v1 API: clients propose actions on things the server does not hold (a draft named by its
 * file, a pull request), and the action itself stays inside the scope.
 * @throws nothing of its own: the server chooses the id
 */
export function createAction(ctx: ScopeContext, input: ActionCreate): Promise<ActionRow> {
  const now = ctx.clocks.now(ctx.scope);
  return insertAction(ctx.store.db, {
    scope: ctx.scope,
    id: newId('act', now),
    entity_type: input.entity_type,
    entity_id: input.entity_id,
    action_type: input.action_type,
    label: input.label,
    description: input.description ?? null,
    status: 'proposed',
    proposed_by: input.proposed_by,
    proposed_at: now.toISOString(),
    executed_at: null,
    expires_at: input.expires_at ? new Date(input.expires_at).toISOString() : null,
    result: null,
    metadata: input.metadata ?? null,
    action_data: input.action_data ?? null,
  });
}
