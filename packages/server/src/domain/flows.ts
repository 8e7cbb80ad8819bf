import type { ErrorDetail, FlowRegister } from '@octopoid/api';
import { ApiError } from '../errors.js';
import {
  deleteFlow,
  type FlowRow,
  findFlow,
  selectFlowPage,
  selectFlows,
  upsertFlow,
} from '../store/flows.js';
import type { Page } from '../store/listing.js';
import type { Db } from '../store/store.js';
import type { ScopeContext } from './context.js';
import {
  defaultFlow,
  type FlowDefinition,
  type FlowTransition,
  isBuiltInQueue,
  isKnownQueue,
} from './transitions.js';

/**
 * A scope's flows: named sets of queues and the moves between them. The built-in queues
 * (incoming, claimed, done, failed) belong to every flow whether it lists them or not, because
 * the server moves tasks there whatever the flow says (claims to claimed, expiries back to
 * incoming, operators to failed). So a flow need not list them, and its transitions may name
 * them; v1 instead refused a flow that left one out.
 */

/** The flow of a task that names none. */
export const DEFAULT_FLOW_NAME = 'default';

function toDefinition(row: Pick<FlowRow, 'name' | 'states' | 'transitions'>): FlowDefinition {
  return {
    name: row.name,
    states: JSON.parse(row.states) as string[],
    transitions: JSON.parse(row.transitions) as FlowTransition[],
  };
}

/** The scope's registered flow of that name, or the built-in default flow. */
export async function loadFlow(
  db: Db,
  scope: string,
  name: string | null | undefined,
): Promise<FlowDefinition> {
  const flowName = name || DEFAULT_FLOW_NAME;
  return flowFrom(flowName, await findFlow(db, scope, flowName));
}

/** The flow named `name` given its registered row, or the built-in default flow without one. */
export function flowFrom(
  name: string | null | undefined,
  row: Pick<FlowRow, 'name' | 'states' | 'transitions'> | undefined,
): FlowDefinition {
  return row ? toDefinition(row) : defaultFlow(name || DEFAULT_FLOW_NAME);
}

export function assertKnownQueue(queue: string, flow: FlowDefinition, field = 'queue'): void {
  if (!isKnownQueue(queue, flow)) {
    throw ApiError.invalid(
      field,
      `unknown queue ${queue}: flow ${flow.name} has ${[...flow.states].join(', ')}`,
    );
  }
}

/**
 * The name of the flow a task names (`default` when it names none), once `queue` is known to be
 * one of that flow's. The flow is looked up only for a queue that is not built-in: the built-in
 * queues belong to every flow.
 * @throws `ApiError` 400 `validation_failed` naming `field` for a queue the flow does not know
 */
export async function flowWithQueue(
  db: Db,
  scope: string,
  name: string | null | undefined,
  queue: string,
  field = 'queue',
): Promise<string> {
  const flowName = name || DEFAULT_FLOW_NAME;
  if (!isBuiltInQueue(queue)) {
    assertKnownQueue(queue, await loadFlow(db, scope, flowName), field);
  }
  return flowName;
}

/**
 * A claim names a queue but no flow, so the queue must belong to one of the scope's flows. The
 * built-in default flow counts unless the scope registered its own `default`, since tasks that
 * name no flow use it.
 */
export async function assertQueueOfScope(
  db: Db,
  scope: string,
  queue: string,
  field = 'queue',
): Promise<void> {
  const flows = (await selectFlows(db, scope)).map(toDefinition);
  if (!flows.some((flow) => flow.name === DEFAULT_FLOW_NAME)) {
    flows.push(defaultFlow(DEFAULT_FLOW_NAME));
  }
  if (!flows.some((flow) => isKnownQueue(queue, flow))) {
    throw ApiError.invalid(field, `unknown queue ${queue}: no flow of this scope has it`);
  }
}

/** Every transition must move between the flow's states or the built-in queues. */
function assertTransitionsWithinStates(flow: FlowDefinition): void {
  const details: ErrorDetail[] = (flow.transitions ?? []).flatMap((transition, index) =>
    (['from', 'to'] as const)
      .filter((end) => !isKnownQueue(transition[end], flow))
      .map((end) => ({
        field: `transitions.${index}.${end}`,
        reason: `${transition[end]} is neither among the states nor a built-in queue`,
      })),
  );
  if (details.length > 0) {
    throw new ApiError(
      'validation_failed',
      `transitions name unknown states: ${details.map((d) => d.field).join(', ')}`,
      details,
    );
  }
}

/**
 * Registers the flow, or replaces its definition; `registered_at` stays the first one.
 * @throws `ApiError` 400 when a transition names a state the flow does not list
 */
export function registerFlow(ctx: ScopeContext, name: string, input: FlowRegister) {
  assertTransitionsWithinStates(toDefinition({ name, ...input }));
  const now = ctx.clocks.nowIso(ctx.scope);
  return upsertFlow(ctx.store.db, {
    scope: ctx.scope,
    name,
    states: input.states,
    transitions: input.transitions,
    description: input.description ?? null,
    child_flow: input.child_flow ?? null,
    registered_at: now,
    updated_at: now,
  });
}

/**
 * One flow of the scope.
 * @throws `ApiError` 404 when the scope holds no flow of that name
 */
export async function getFlow(ctx: ScopeContext, name: string): Promise<FlowRow> {
  const flow = await findFlow(ctx.store.db, ctx.scope, name);
  if (!flow) throw ApiError.notFound('flow', name);
  return flow;
}

/**
 * One page of the scope's flows, by name, with the count of them all.
 * @throws nothing: an empty scope answers an empty list
 */
export const listFlows = (ctx: ScopeContext, page: Page) =>
  ctx.store.snapshot((db) => selectFlowPage(db, ctx.scope, page));

/**
 * Tasks that named the flow fall back to the built-in default flow.
 * @throws `ApiError` 404 when the scope holds no flow of that name
 */
export async function removeFlow(ctx: ScopeContext, name: string): Promise<void> {
  if (!(await deleteFlow(ctx.store.db, ctx.scope, name))) throw ApiError.notFound('flow', name);
}
