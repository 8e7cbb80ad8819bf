import {
  BUILT_IN_QUEUES,
  CLAIMED_QUEUE,
  CONTINUATION_QUEUE,
  DONE_QUEUE,
  FAILED_QUEUE,
  INCOMING_QUEUE,
  REVIEW_QUEUE,
} from '@octopoid/api';

/**
 * The task state machine as data. Pure: no storage, no clock, so it is unit-tested directly.
 *
 * Glossary:
 * - claim queues: `claimed` (work) and `provisional` (review); a claim in `provisional` leaves the
 *   task there and only sets the claim fields.
 * - flow: a scope's named set of states and allowed transitions; without a registered flow the
 *   built-in default below applies.
 */

export type FlowTransition = { from: string; to: string };

export interface FlowDefinition {
  name: string;
  states: readonly string[];
  /** `null` for the built-in default flow, which uses the fixed source sets below. */
  transitions: readonly FlowTransition[] | null;
}

export const DEFAULT_FLOW_STATES = [
  INCOMING_QUEUE,
  CLAIMED_QUEUE,
  REVIEW_QUEUE,
  CONTINUATION_QUEUE,
  DONE_QUEUE,
  FAILED_QUEUE,
] as const;

export const defaultFlow = (name: string): FlowDefinition => ({
  name,
  states: DEFAULT_FLOW_STATES,
  transitions: null,
});

export type ReviewAction = 'accept' | 'reject' | 'requeue';

export const REVIEW_ACTION_TARGET: Record<ReviewAction, string> = {
  accept: DONE_QUEUE,
  reject: INCOMING_QUEUE,
  requeue: INCOMING_QUEUE,
};

const BUILT_IN_SOURCES: Record<ReviewAction, readonly string[]> = {
  accept: [REVIEW_QUEUE, CLAIMED_QUEUE],
  reject: [REVIEW_QUEUE, CLAIMED_QUEUE],
  requeue: [CLAIMED_QUEUE, REVIEW_QUEUE],
};

/** A registered flow replaces the built-in sources: the move must be listed in its transitions. */
export function isAllowed(action: ReviewAction, from: string, flow: FlowDefinition): boolean {
  const to = REVIEW_ACTION_TARGET[action];
  if (flow.transitions === null) return BUILT_IN_SOURCES[action].includes(from);
  return flow.transitions.some((t) => t.from === from && t.to === to);
}

export function isKnownQueue(queue: string, flow: FlowDefinition): boolean {
  return flow.states.includes(queue) || isBuiltInQueue(queue);
}

/** The queues every flow has, listed or not (`BUILT_IN_QUEUES`). */
export const isBuiltInQueue = (queue: string): boolean =>
  (BUILT_IN_QUEUES as readonly string[]).includes(queue);

/**
 * Queues a claim may take work from: any but `done` (finished work is reopened by force-queue,
 * never by a claim) and `claimed` (held work changes hands only when its lease expires).
 */
export function isClaimSource(queue: string): boolean {
  return queue !== DONE_QUEUE && queue !== CLAIMED_QUEUE;
}

/** Reviewers claim from `provisional` and the task stays there; every other claim moves it. */
export function claimTarget(source: string): string {
  return source === REVIEW_QUEUE ? REVIEW_QUEUE : CLAIMED_QUEUE;
}

export const BURNOUT_TURNS_WITHOUT_COMMITS = 80;
export const BURNOUT_TURNS = 100;

/** An agent that spent many turns without committing, or too many turns at all, burnt out. */
export function isBurnout(commits: number | null, turns: number | null): boolean {
  if (turns === null) return false;
  return (commits === 0 && turns >= BURNOUT_TURNS_WITHOUT_COMMITS) || turns >= BURNOUT_TURNS;
}

export function submitTarget(commits: number | null, turns: number | null): string {
  return isBurnout(commits, turns) ? CONTINUATION_QUEUE : REVIEW_QUEUE;
}

/**
 * Queues in which a claim is a claim: only there does a lease run, expire or renew. Claim fields
 * a PATCH left on a task elsewhere are notes, not a lease.
 */
export const CLAIM_QUEUES: readonly string[] = [CLAIMED_QUEUE, REVIEW_QUEUE];

export function isClaimQueue(queue: string): boolean {
  return CLAIM_QUEUES.includes(queue);
}

/** Queues in which a task may hold claim fields; a move anywhere else clears them. */
export function keepsClaim(queue: string): boolean {
  return queue === CLAIMED_QUEUE;
}
