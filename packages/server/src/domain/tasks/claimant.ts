import { ApiError } from '../../errors.js';
import type { TaskRow } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { recordHistory } from './write.js';

/** Who a submit or renewal says it is; every field is optional for v1 clients. */
export interface ClaimantProof {
  agent_name?: string | undefined;
  orchestrator_id?: string | undefined;
  lease_token?: string | undefined;
}

/** A request refused because it comes from a former claimant, or cannot prove it does not. */
export class StaleClaimantError extends ApiError {
  constructor(
    readonly task: TaskRow,
    readonly caller: ClaimantProof,
    message: string,
    details: { field: string; reason: string }[],
  ) {
    super('conflict', message, details);
  }
}

/**
 * Fencing: a caller holding the claim may act on it; anyone else gets a 409.
 * - a `lease_token` must be the current claim's (each claim hands out a new one);
 * - an `agent_name` or `orchestrator_id` must be the current claimant's;
 * - a caller that sends none of them (the v1 client) is taken for the claimant only while no
 *   lease on the task has expired since its last submit: after that it may be a former claimant,
 *   and crediting its work to the current one is what fencing prevents.
 */
export function assertClaimant(task: TaskRow, caller: ClaimantProof): void {
  const claimedBy = `task ${task.id} is claimed by ${task.claimed_by} (${task.orchestrator_id})`;
  const mismatches = [
    caller.lease_token !== undefined && caller.lease_token !== task.lease_token
      ? 'lease_token'
      : null,
    caller.agent_name !== undefined && caller.agent_name !== task.claimed_by ? 'agent_name' : null,
    caller.orchestrator_id !== undefined && caller.orchestrator_id !== task.orchestrator_id
      ? 'orchestrator_id'
      : null,
  ].filter((field): field is string => field !== null);
  if (mismatches.length > 0) {
    throw new StaleClaimantError(
      task,
      caller,
      claimedBy,
      mismatches.map((field) => ({ field, reason: 'is not the current claimant' })),
    );
  }
  const anonymous =
    caller.lease_token === undefined &&
    caller.agent_name === undefined &&
    caller.orchestrator_id === undefined;
  if (anonymous && task.lost_leases > 0) {
    throw new StaleClaimantError(
      task,
      caller,
      `${claimedBy}, and an earlier lease on it expired: say which claim this is`,
      [
        {
          field: 'lease_token',
          reason: 'required (or agent_name) once a lease on the task has expired',
        },
      ],
    );
  }
}

/**
 * Runs a claimant's write; when fencing refuses it, records the refused request in the task's
 * history (in its own transaction, as the write's rolled back) before the 409 goes out.
 */
export async function fenced<T>(
  ctx: ScopeContext,
  verb: 'submit' | 'renew',
  write: () => Promise<T>,
): Promise<T> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof StaleClaimantError)) throw error;
    const { task, caller } = error;
    await ctx.store.transaction((tx) =>
      recordHistory(tx, ctx.scope, task.id, ctx.clocks.nowIso(ctx.scope), [
        {
          event: `stale_${verb}_refused`,
          agent: caller.agent_name ?? null,
          details: {
            claimed_by: task.claimed_by,
            ...(caller.orchestrator_id === undefined
              ? {}
              : { orchestrator_id: caller.orchestrator_id }),
            proof: caller.lease_token !== undefined ? 'lease_token' : 'none',
            reason: error.message,
          },
        },
      ]),
    );
    throw error;
  }
}

/** Whether the lease (an ISO instant) has ended at `now` (an ISO instant). */
export const leaseEnded = (leaseExpiresAt: string, now: string) =>
  Date.parse(leaseExpiresAt) <= Date.parse(now);
