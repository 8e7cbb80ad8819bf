import type { OrchestratorRegister } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import {
  insertOrchestratorIfAbsent,
  type OrchestratorChanges,
  type OrchestratorRow,
  updateOrchestrator,
} from '../../store/orchestrators.js';
import { admitToScope } from '../auth/issue.js';
import type { Caller } from '../auth/mode.js';
import type { ScopeContext } from '../context.js';

/** What a re-registration replaces, when sent (null clears it). */
const DESCRIPTIVE_FIELDS = ['repo_url', 'hostname', 'version', 'capabilities'] as const;

export interface Registration {
  orchestrator: OrchestratorRow;
  /** False when the orchestrator was registered already (a re-registration). */
  created: boolean;
  /** The scope's new API key, when this registration was the scope's first. */
  apiKey: string | undefined;
}

/**
 * Registers `<cluster>-<machine_id>` in the scope, or re-registers it: the fields sent replace
 * the stored ones, and it is active with a fresh heartbeat either way. Key issuance and the
 * orchestrator write commit together.
 * @throws `ApiError` 409 `conflict` when the id is registered for another cluster/machine_id
 */
export function registerOrchestrator(
  ctx: ScopeContext,
  input: OrchestratorRegister,
  caller: Caller,
): Promise<Registration> {
  const id = `${input.cluster}-${input.machine_id}`;
  const now = ctx.clocks.nowIso(ctx.scope);
  const changes: OrchestratorChanges = { status: 'active', last_heartbeat: now };
  for (const field of DESCRIPTIVE_FIELDS) {
    if (input[field] !== undefined) changes[field] = input[field];
  }
  return ctx.store.transaction(async (tx) => {
    const apiKey = await admitToScope(ctx, tx, caller);
    const inserted = await insertOrchestratorIfAbsent(tx, {
      scope: ctx.scope,
      id,
      cluster: input.cluster,
      machine_id: input.machine_id,
      repo_url: input.repo_url ?? null,
      hostname: input.hostname ?? null,
      version: input.version ?? null,
      capabilities: input.capabilities ?? null,
      status: 'active',
      registered_at: now,
      last_heartbeat: now,
    });
    if (inserted) return { orchestrator: inserted, created: true, apiKey };
    const updated = await updateOrchestrator(tx, ctx.scope, id, changes, {
      cluster: input.cluster,
      machine_id: input.machine_id,
    });
    if (!updated) {
      // `a-b` + `c` and `a` + `b-c` make the same id; never merge two machines into one row.
      throw ApiError.conflict(`orchestrator ${id} is registered for another cluster/machine_id`, [
        { field: 'machine_id', reason: `id ${id} is taken by another cluster and machine_id` },
      ]);
    }
    return { orchestrator: updated, created: false, apiKey };
  });
}
