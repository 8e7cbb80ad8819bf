import { CLAIMED_QUEUE, INCOMING_QUEUE, REVIEW_QUEUE, type SchedulerPoll } from '@octopoid/api';
import { selectFlowPage } from '../../store/flows.js';
import { findOrchestrator } from '../../store/orchestrators.js';
import { countTasksByQueue, reviewQueue } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';

/**
 * The most review tasks and flows one poll lists (both also cut by the response-size budget):
 * the oldest reviews first, so a scheduler working through them meets the rest on later polls;
 * `queue_counts` still counts every task.
 */
export const POLL_LIST_LIMIT = 500;

/** Queues every poll reports, even when empty: the Python client reads them unconditionally. */
const REPORTED_QUEUES = [INCOMING_QUEUE, CLAIMED_QUEUE, REVIEW_QUEUE] as const;

/**
 * One scheduler tick's view of the scope: task counts per queue, the tasks awaiting review
 * (oldest first) and the scope's flows (by name), at most {@link POLL_LIST_LIMIT} of each, and
 * whether the orchestrator is registered here. Nothing from another scope, unlike v1 (which
 * mixed every scope's flows and found orchestrators anywhere).
 */
export async function pollScheduler(
  ctx: ScopeContext,
  orchestratorId: string | undefined,
): Promise<SchedulerPoll> {
  const { db } = ctx.store;
  const [counts, provisional, orchestrator, flows] = await Promise.all([
    countTasksByQueue(db, ctx.scope),
    reviewQueue(db, ctx.scope, POLL_LIST_LIMIT),
    orchestratorId === undefined ? undefined : findOrchestrator(db, ctx.scope, orchestratorId),
    selectFlowPage(db, ctx.scope, { limit: POLL_LIST_LIMIT, offset: 0 }),
  ]);
  // A Map, so a queue named like an Object.prototype member (`__proto__`) is counted too.
  const queueCounts = new Map<string, number>(REPORTED_QUEUES.map((queue) => [queue, 0]));
  for (const row of counts) queueCounts.set(row.queue, Number(row.total));
  return {
    queue_counts: Object.fromEntries(queueCounts),
    provisional_tasks: provisional,
    orchestrator_registered: orchestrator !== undefined,
    scope: ctx.scope,
    flows: Object.fromEntries(
      flows.rows.map((flow) => [flow.name, { states: JSON.parse(flow.states) as string[] }]),
    ),
  };
}
