import type { OctopoidSDK, Task } from '@octopoid/sdk';

export interface WaitOptions {
  /** Give up after this long. Default 5000 ms, below vitest's test timeout. */
  timeoutMs?: number;
  /** Pause between looks. Default 20 ms. */
  intervalMs?: number;
}

/** A wait ran out of time; `lastSeen` is the state it saw last. */
export class WaitTimeoutError extends Error {
  constructor(
    description: string,
    readonly lastSeen: unknown,
    timeoutMs: number,
    lastSeenText: string,
  ) {
    super(`${description} within ${timeoutMs} ms; last seen: ${lastSeenText}`);
    this.name = 'WaitTimeoutError';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Looks at `probe` until `done` holds, then resolves its value. Errors of `probe` end the wait
 * at once: waiting never hides a failing request.
 */
export async function waitFor<T>(
  description: string,
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  options: WaitOptions & { describeLastSeen?: (value: T) => string } = {},
): Promise<T> {
  const { timeoutMs = 5_000, intervalMs = 20, describeLastSeen = JSON.stringify } = options;
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() >= deadline) {
      throw new WaitTimeoutError(description, value, timeoutMs, describeLastSeen(value));
    }
    await sleep(intervalMs);
  }
}

function summarizeTask(task: Task | null): string {
  if (task === null) return 'no such task';
  const { queue, version, claimed_by, lease_expires_at, updated_at } = task;
  return JSON.stringify({ queue, version, claimed_by, lease_expires_at, updated_at });
}

export interface WaitForTaskOptions extends WaitOptions {
  /** Wait until the task is in this queue. */
  queue?: string;
  /** Wait until this holds for the task (and it is in `queue`, when given). */
  predicate?: (task: Task) => boolean;
}

/** Resolves the task once it exists in the client's scope and meets `queue` and `predicate`. */
export async function waitForTask(
  sdk: OctopoidSDK,
  id: string,
  options: WaitForTaskOptions = {},
): Promise<Task> {
  const { queue, predicate } = options;
  const goal = [queue === undefined ? 'exist' : `reach queue ${queue}`];
  if (predicate) goal.push(`satisfy ${predicate.name || 'the predicate'}`);
  const task = await waitFor(
    `task ${id} in scope ${sdk.scope} did not ${goal.join(' and ')}`,
    () => sdk.tasks.get(id),
    (seen) =>
      seen !== null &&
      (queue === undefined || seen.queue === queue) &&
      (predicate === undefined || predicate(seen)),
    { ...options, describeLastSeen: summarizeTask },
  );
  return task as Task;
}

/** Resolves once the client's scope holds exactly `count` tasks in `queue`. */
export function waitForQueueCount(
  sdk: OctopoidSDK,
  queue: string,
  count: number,
  options: WaitOptions = {},
): Promise<number> {
  return waitFor(
    `queue ${queue} of scope ${sdk.scope} did not hold ${count} tasks`,
    async () => (await sdk.tasks.page({ queue, limit: 1 })).total,
    (total) => total === count,
    { ...options, describeLastSeen: (total) => `${total} tasks` },
  );
}
