import {
  OctopoidConnectionError,
  OctopoidError,
  type OctopoidSDK,
  OctopoidTimeoutError,
  type Task,
} from '@octopoid/sdk';

export interface WorkResult {
  commits: number;
  turns: number;
}

export interface Verdict {
  approve: boolean;
  /** Why the work was rejected; required when `approve` is false. */
  reason?: string;
}

export interface OrchestratorOptions {
  sdk: OctopoidSDK;
  orchestratorId: string;
  agentName: string;
  /** Does a claimed task's work, e.g. by running an agent. */
  work(task: Task): Promise<WorkResult>;
  /** Judges submitted work. */
  review(task: Task, result: WorkResult): Promise<Verdict>;
  /** Tries per server call before giving up. Default 4. */
  attempts?: number;
  /** Pause before the first retry; it doubles with each one. Default 10 ms. */
  backoffMs?: number;
}

export interface Outcome {
  taskId: string;
  verdict: 'accepted' | 'rejected';
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Worth another try: the server was unreachable, slow, or failed on its side. */
function isTransient(error: unknown): boolean {
  return (
    error instanceof OctopoidConnectionError ||
    error instanceof OctopoidTimeoutError ||
    (error instanceof OctopoidError && error.status >= 500)
  );
}

/**
 * A minimal orchestrator: claim a task, have it worked, submit it, review it, accept or reject.
 * Server calls are retried on transient failures. A failure after sending may hide a call that
 * did land, so a retried transition answered 409 is checked against the task's actual state.
 */
export class Orchestrator {
  readonly #options: OrchestratorOptions;
  readonly #attempts: number;
  readonly #backoffMs: number;

  constructor(options: OrchestratorOptions) {
    this.#options = options;
    this.#attempts = options.attempts ?? 4;
    this.#backoffMs = options.backoffMs ?? 10;
  }

  /** Works one task from claim to verdict; `null` when nothing is claimable. */
  async runOnce(): Promise<Outcome | null> {
    const { sdk, orchestratorId, agentName } = this.#options;
    const task = await this.#retry(() =>
      sdk.tasks.claim({ orchestrator_id: orchestratorId, agent_name: agentName }),
    );
    if (task === null) return null;

    const result = await this.#options.work(task);
    const submitted = await this.#transition(
      task.id,
      () => sdk.tasks.submit(task.id, { commits_count: result.commits, turns_used: result.turns }),
      (seen) => seen.queue === 'provisional' && seen.version > task.version,
    );

    const verdict = await this.#options.review(submitted, result);
    if (verdict.approve) {
      await this.#transition(
        task.id,
        () => sdk.tasks.accept(task.id, { accepted_by: agentName }),
        (seen) => seen.queue === 'done',
      );
      return { taskId: task.id, verdict: 'accepted' };
    }
    const reason = verdict.reason ?? 'rejected in review';
    await this.#transition(
      task.id,
      () => sdk.tasks.reject(task.id, { reason, rejected_by: agentName }),
      (seen) => seen.rejection_count > submitted.rejection_count,
    );
    return { taskId: task.id, verdict: 'rejected' };
  }

  /** Works tasks until none is claimable (or `limit` verdicts, against endless rejections). */
  async runUntilIdle(limit = 100): Promise<Outcome[]> {
    const outcomes: Outcome[] = [];
    while (outcomes.length < limit) {
      const outcome = await this.runOnce();
      if (outcome === null) break;
      outcomes.push(outcome);
    }
    return outcomes;
  }

  async #retry<T>(call: () => Promise<T>): Promise<T> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await call();
      } catch (error) {
        if (!isTransient(error) || attempt >= this.#attempts) throw error;
        await sleep(this.#backoffMs * 2 ** (attempt - 1));
      }
    }
  }

  /**
   * A state change, retried on transient failures. When a retry is refused with 409, an
   * earlier attempt may have landed after all: `landed` decides from the task as it is now.
   */
  async #transition(id: string, call: () => Promise<Task>, landed: (task: Task) => boolean) {
    let retried = false;
    return this.#retry(async () => {
      try {
        return await call();
      } catch (error) {
        if (retried && error instanceof OctopoidError && error.status === 409) {
          const now = await this.#options.sdk.tasks.get(id);
          if (now !== null && landed(now)) return now;
        }
        retried = true;
        throw error;
      }
    });
  }
}
