import { REVIEW_QUEUE, type SchedulerPoll } from '@octopoid/api';
import { selectFlows } from '../../store/flows.js';
import { findOrchestrator } from '../../store/orchestrators.js';
import { countTasksByQueue, reviewQueue } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';

/** Queues every poll reports, even when empty: the Python client reads them unconditionally. */
const REPORTED_QUEUES = ['incoming', 'claimed', REVIEW_QUEUE] as const;

/**
 * One scheduler tick's view of the scope: task counts per queue, the tasks awaiting review,
 * whether the orchestrator is registered here, and the scope's flows. Nothing from another
 * scope, unlike v1 (which mixed every scope's flows and found orchestrators anywhere).
 */
export async function pollScheduler(
  ctx: ScopeContext,
  orchestratorId: string | undefined,
): Promise<SchedulerPoll> {
  const { db } = ctx.store;
  const [counts, provisional, orchestrator, flows] = await Promise.all([
    countTasksByQueue(db, ctx.scope),
    reviewQueue(db, ctx.scope),
    orchestratorId === undefined ? undefined : findOrchestrator(db, ctx.scope, orchestratorId),
    selectFlows(db, ctx.scope),
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
      flows.map((flow) => [flow.name, { states: JSON.parse(flow.states) as string[] }]),
    ),
  };
}
