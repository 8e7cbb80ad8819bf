import { INCOMING_QUEUE, type RoleRegister } from '@octopoid/api';
import { ApiError } from '../errors.js';
import type { Page } from '../store/listing.js';
import { findOrchestrator } from '../store/orchestrators.js';
import { findRole, selectRolePage, selectRoles, upsertRoles } from '../store/roles.js';
import type { Db } from '../store/store.js';
import type { ScopeContext } from './context.js';

/** Once a scope registers roles, tasks and claims may only name those roles. */
export async function assertKnownRoles(
  db: Db,
  scope: string,
  names: readonly string[],
  field: string,
): Promise<void> {
  if (names.length === 0) return;
  const registered = await selectRoles(db, scope);
  if (registered.length === 0) return;
  const known = new Set(registered.map((r) => r.name));
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) {
    throw ApiError.invalid(
      field,
      `unknown role ${unknown.join(', ')}: this scope has ${[...known].join(', ')}`,
    );
  }
}

/** The queue a role claims from, when the scope registered that role. */
export async function claimsFrom(db: Db, scope: string, role: string): Promise<string | undefined> {
  return (await findRole(db, scope, role))?.claims_from;
}

/**
 * Registers an orchestrator's roles in the scope: each named role is created, or replaced by
 * the new definition (keeping when it was first registered). Returns that orchestrator's roles.
 * @throws `ApiError` 404 when the orchestrator is not registered in the scope; 400
 *   `validation_failed` when a role claims from a queue no flow has
 */
export function registerRoles(ctx: ScopeContext, input: RoleRegister) {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    if (!(await findOrchestrator(tx, ctx.scope, input.orchestrator_id))) {
      throw new ApiError(
        'not_found',
        `orchestrator ${input.orchestrator_id} not found in this scope`,
        [{ field: 'orchestrator_id', reason: 'no orchestrator with this id in this scope' }],
      );
    }
    await upsertRoles(
      tx,
      input.roles.map((role) => ({
        scope: ctx.scope,
        name: role.name,
        description: role.description ?? null,
        claims_from: role.claims_from ?? INCOMING_QUEUE,
        orchestrator_id: input.orchestrator_id,
        created_at: now,
      })),
    );
    return selectRoles(tx, ctx.scope, input.orchestrator_id);
  });
}

/**
 * One page of the scope's roles, by name, with the count of them all.
 * @throws nothing: an empty scope answers an empty list
 */
export function listRoles(ctx: ScopeContext, page: Page) {
  return ctx.store.snapshot((db) => selectRolePage(db, ctx.scope, page));
}

/**
 * One role of the scope.
 * @throws `ApiError` 404 when the scope holds no role of that name
 */
export async function getRole(ctx: ScopeContext, name: string) {
  const role = await findRole(ctx.store.db, ctx.scope, name);
  if (!role) throw ApiError.notFound('role', name);
  return role;
}
