import { type OrchestratorStatus, STALE_HEARTBEAT_SECONDS } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import {
  markOfflineBefore,
  scopesWithActiveOrchestrators,
  updateHeartbeat,
  updateOrchestrator,
} from '../../store/orchestrators.js';
import type { ScopeContext, Services } from '../context.js';

/**
 * A heartbeat, timed by the server's clock (a client's own timestamp is ignored). It brings an
 * offline orchestrator back to active, but leaves one an operator put in maintenance there.
 * @throws `ApiError` 404 when the orchestrator is not in the scope
 */
export async function recordHeartbeat(ctx: ScopeContext, id: string) {
  const orchestrator = await updateHeartbeat(
    ctx.store.db,
    ctx.scope,
    id,
    ctx.clocks.nowIso(ctx.scope),
  );
  if (!orchestrator) throw ApiError.notFound('orchestrator', id);
  return orchestrator;
}

/**
 * Sets an orchestrator's status (an operator's `maintenance`, or back).
 * @throws `ApiError` 404 when the orchestrator is not in the scope
 */
export async function setOrchestratorStatus(
  ctx: ScopeContext,
  id: string,
  status: OrchestratorStatus,
) {
  const orchestrator = await updateOrchestrator(ctx.store.db, ctx.scope, id, { status });
  if (!orchestrator) throw ApiError.notFound('orchestrator', id);
  return orchestrator;
}

const staleCutoff = (now: Date) =>
  new Date(now.getTime() - STALE_HEARTBEAT_SECONDS * 1000).toISOString();

/**
 * One pass of the background sweep: active orchestrators silent for longer than
 * STALE_HEARTBEAT_SECONDS go offline. Silent in real time means silent on every scope clock
 * (they only run ahead), so every scope is swept at the real time first; then each scope whose
 * clock was moved and that has active orchestrators is swept at its own time.
 */
export async function markStaleOrchestratorsOffline({ store, clocks }: Services) {
  let count = await markOfflineBefore(
    store.db,
    staleCutoff(new Date(clocks.realNowIso())),
    {},
    store.dialect,
  );
  if (!clocks.anyShifted()) return count;
  for (const scope of await scopesWithActiveOrchestrators(store.db)) {
    if (clocks.offsetOf(scope) === 0) continue;
    count += await markOfflineBefore(
      store.db,
      staleCutoff(clocks.now(scope)),
      { scope },
      store.dialect,
    );
  }
  return count;
}
