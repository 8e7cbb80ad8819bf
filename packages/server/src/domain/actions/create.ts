import type { ActionCreate } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import {
  type ActionRow,
  entityExists,
  insertAction,
  STORED_ENTITY_TYPES,
  type StoredEntityType,
} from '../../store/actions.js';
import type { ScopeContext } from '../context.js';
import { newId } from '../ids.js';

const isStoredEntityType = (type: string): type is StoredEntityType =>
  (STORED_ENTITY_TYPES as readonly string[]).includes(type);

/**
 * Proposes an action. An action on a task, project or draft must name one of this scope;
 * other entity types belong to the client and are taken as given.
 */
export function createAction(ctx: ScopeContext, input: ActionCreate): Promise<ActionRow> {
  const now = ctx.clocks.now(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    const { entity_type: type, entity_id: entityId } = input;
    if (isStoredEntityType(type) && !(await entityExists(tx, ctx.scope, type, entityId))) {
      throw new ApiError(404, 'not_found', `${type} ${entityId} not found in this scope`, [
        { field: 'entity_id', reason: `no ${type} ${entityId} in this scope` },
      ]);
    }
    return insertAction(tx, {
      scope: ctx.scope,
      id: newId('act', now),
      entity_type: type,
      entity_id: entityId,
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
  });
}
