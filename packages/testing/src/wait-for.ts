import type { OctopoidSDK, Task } from '@octopoid/sdk';

/**
 * How long a wait looks before giving up, in ms, for a client no test deadline is known for: a
 * second less than vitest's default test timeout (5000 ms), so a wait that runs out fails with its
 * own message (what it waited for, what it saw last) rather than vitest's "Test timed out".
 */
export const DEFAULT_WAIT_TIMEOUT_MS = 4_000;
/** Time left, before the test's own timeout, for the wait's error to reach vitest: 20 %, ≥ 500 ms. */
const DEADLINE_MARGIN = { share: 0.2, minMs: 500 };

const testDeadlines = new WeakMap<OctopoidSDK, number>();

/**
 * Ties `sdk` to the test it serves: waits on it then default to end before the test times out.
 * `startedAt` is an epoch time in ms, `testTimeoutMs` the test's timeout in ms. The kit's vitest
 * fixtures call it for `scopedSdk`.
 */
export function bindTestDeadline(sdk: OctopoidSDK, startedAt: number, testTimeoutMs: number): void {
  const margin = Math.max(DEADLINE_MARGIN.minMs, testTimeoutMs * DEADLINE_MARGIN.share);
  testDeadlines.set(sdk, startedAt + testTimeoutMs - margin);
}

/** The default wait for `sdk`: until shortly before its test's timeout, else 4000 ms. */
function defaultTimeoutMs(sdk: OctopoidSDK): number {
  const deadline = testDeadlines.get(sdk);
  return deadline === undefined
    ? DEFAULT_WAIT_TIMEOUT_MS
    : Math.max(Math.round(deadline - Date.now()), 0);
}

export interface WaitOptions {
  /**
   * Give up after this long. Default: until shortly before the test's timeout for the kit's
   * `scopedSdk`, else {@link DEFAULT_WAIT_TIMEOUT_MS} (4000 ms).
   */
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
  const {
    timeoutMs = DEFAULT_WAIT_TIMEOUT_MS,
    intervalMs = 20,
    describeLastSeen = JSON.stringify,
  } = options;
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
    { timeoutMs: defaultTimeoutMs(sdk), ...options, describeLastSeen: summarizeTask },
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
    {
      timeoutMs: defaultTimeoutMs(sdk),
      ...options,
      describeLastSeen: (total) => `${total} tasks`,
    },
  );
}
