import type { RunnerTestCase } from 'vitest';

/** What one finished attempt of a test means for its scope. */
export type AttemptVerdict =
  /** The test passed (or, under `test.fails`, failed as expected): purge the scope. */
  | 'passed'
  /** The test failed for good: keep the scope for inspection. */
  | 'failed'
  /** The attempt failed and vitest runs the test again: this attempt's scope is superseded. */
  | 'retrying';

type Attempt = Pick<RunnerTestCase, 'fails' | 'retry' | 'result'>;

/** vitest's `retry` option: a count, or `{ count, condition }` (vitest 4 `TestOptions.retry`). */
function retryPolicy(retry: Attempt['retry']) {
  if (retry === undefined || typeof retry === 'number') return { count: retry ?? 0 };
  return { count: retry.count ?? 0, condition: retry.condition };
}

/**
 * The verdict of the attempt that just ran, read from its task at the end of the attempt (after
 * the test body, `afterEach` hooks, fixture teardown and the other `onTestFinished` hooks). It
 * applies vitest's own rules, which vitest applies only once the task has finished: a failed
 * attempt is retried while `retryCount < retry.count` and the last error meets
 * `retry.condition`; `test.fails` inverts the final result (`runTest` in `@vitest/runner`).
 */
export function attemptVerdict(task: Attempt): AttemptVerdict {
  const failed = task.result?.state === 'fail';
  const { count, condition } = retryPolicy(task.retry);
  if (failed && (task.result?.retryCount ?? 0) < count) {
    const last = task.result?.errors?.at(-1);
    const retried =
      condition === undefined ||
      (last !== undefined &&
        (condition instanceof RegExp ? condition.test(last.message ?? '') : condition(last)));
    if (retried) return 'retrying';
  }
  return failed === Boolean(task.fails) ? 'passed' : 'failed';
}
