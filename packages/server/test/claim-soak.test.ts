/**
 * A soak of the queue under concurrency: many claimers work a scope's tasks to the end, each
 * claim followed at random by a submit then an accept or a reject, a requeue, or a crash (the
 * claim abandoned until its lease runs out on the scope clock). At the end every task is in
 * exactly one final queue and its history tells exactly what the claimers were told.
 * `OCTOPOID_SOAK_TASKS` sets the number of tasks (default 20,000).
 *
 * The soak proves the queue's transactions, not the socket: it runs on a server of its own that
 * answers in process (the whole application, middleware and group commit included), which makes
 * the 20,000 tasks' lifecycles fit the suite's time.
 */
import type { Task } from '@octopoid/api';
import { OctopoidError, type OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startInProcessServer, test } from '@octopoid/testing/vitest';
import { newTask } from './tasks-support.js';

const TASKS = Number(process.env.OCTOPOID_SOAK_TASKS ?? 20_000);
const CLAIMERS = 64;
const LEASE_SECONDS = 600;
const FINAL_QUEUES = new Set(['done', 'failed']);

/** A small seeded generator (mulberry32), so a failing run can be replayed from its seed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Runs `work` over `items` with at most `width` at a time. */
async function inParallel<T, R>(width: number, items: T[], work: (item: T) => Promise<R>) {
  const results: R[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < items.length) {
        const index = next++;
        results[index] = await work(items[index] as T);
      }
    }),
  );
  return results;
}

/** What the claimers were told happened, per task and event. */
class Acknowledged {
  readonly #events = new Map<string, Map<string, number>>();

  record(taskId: string, event: string): void {
    const events = this.#events.get(taskId) ?? new Map<string, number>();
    events.set(event, (events.get(event) ?? 0) + 1);
    this.#events.set(taskId, events);
  }

  count(taskId: string, event: string): number {
    return this.#events.get(taskId)?.get(event) ?? 0;
  }
}

/** Wakes waiters whenever a claimer finishes a step; idle claimers wait on it, never sleep. */
class Progress {
  #wake: () => void = () => {};
  #next = this.#renew();

  #renew(): Promise<void> {
    return new Promise((resolve) => {
      this.#wake = resolve;
    });
  }

  made(): void {
    this.#wake();
    this.#next = this.#renew();
  }

  get next(): Promise<void> {
    return this.#next;
  }
}

async function allFinal(sdk: OctopoidSDK): Promise<boolean> {
  const { queue_counts } = await sdk.scheduler.poll();
  return Object.entries(queue_counts).every(([queue, n]) => FINAL_QUEUES.has(queue) || n === 0);
}

async function everyTask(sdk: OctopoidSDK): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let offset = 0; ; offset += 500) {
    const page = await sdk.tasks.list({ limit: 500, offset, sort: 'created' });
    tasks.push(...page);
    if (page.length < 500) return tasks;
  }
}

describe('the queue under a soak of concurrent claimers', () => {
  test(`${CLAIMERS} claimers work ${TASKS} tasks to the end: one final state each, history matching every acknowledgement`, {
    timeout: 900_000,
  }, async () => {
    await using server = await startInProcessServer({ testMode: true });
    const sdk = server.sdk('soak');
    const seed = Number(process.env.OCTOPOID_SOAK_SEED ?? Date.now() % 2 ** 31);
    const roll = random(seed);
    const ids = Array.from({ length: TASKS }, (_, i) => `t-${i}`);
    await inParallel(16, ids, (id) => sdk.tasks.create(newTask(id)));

    const acked = new Acknowledged();
    const progress = new Progress();
    let inFlight = 0;
    let advancing: Promise<unknown> | undefined;
    let finalCheck: Promise<boolean> | undefined;

    /** One claimed task worked by one claimer; a 409 means the claim was lost (lease expired). */
    async function work(task: Task, agent: string): Promise<void> {
      const chance = roll();
      if (chance < 0.05) return; // crashed: the claim stays until its lease runs out
      try {
        if (chance < 0.15) {
          await sdk.tasks.requeue(task.id, { version: task.version });
          acked.record(task.id, 'requeued');
          return;
        }
        await sdk.tasks.submit(task.id, {
          commits_count: 1,
          turns_used: 1,
          agent_name: agent,
          orchestrator_id: 'soak',
        });
        acked.record(task.id, 'submitted');
        if (chance < 0.3 && task.rejection_count < 2) {
          await sdk.tasks.reject(task.id, { reason: 'try again', rejected_by: 'soak' });
          acked.record(task.id, 'rejected');
        } else {
          await sdk.tasks.accept(task.id, { accepted_by: 'soak' });
          acked.record(task.id, 'accepted');
        }
      } catch (error) {
        if (!(error instanceof OctopoidError && error.status === 409)) throw error;
      }
    }

    async function claimer(n: number): Promise<void> {
      const agent = `agent-${n}`;
      for (;;) {
        const task = await sdk.tasks.claim({
          orchestrator_id: 'soak',
          agent_name: agent,
          lease_duration_seconds: LEASE_SECONDS,
        });
        if (task) {
          acked.record(task.id, 'claimed');
          inFlight++;
          try {
            await work(task, agent);
          } finally {
            inFlight--;
            progress.made();
          }
          continue;
        }
        // Counting queues reads the whole scope: only when no claimer holds work to finish.
        if (inFlight > 0) {
          await progress.next;
          continue;
        }
        finalCheck ??= allFinal(sdk).finally(() => {
          finalCheck = undefined;
        });
        if (await finalCheck) return;
        // Only abandoned claims (or backed-off returns) are left: let their time pass.
        advancing ??= sdk.testMode.clock.advance(`${LEASE_SECONDS + 1}s`).finally(() => {
          advancing = undefined;
        });
        await advancing;
      }
    }

    await Promise.all(Array.from({ length: CLAIMERS }, (_, n) => claimer(n)));

    const tasks = await everyTask(sdk);
    expect(tasks.map((task) => task.id).sort()).toEqual([...ids].sort());
    const histories = await inParallel(16, tasks, async (task) => ({
      task,
      history: (await sdk.tasks.history(task.id)).history,
    }));
    for (const { task, history } of histories) {
      const context = `seed ${seed}, task ${task.id}: ${history.map((h) => h.event).join(' ')}`;
      const count = (event: string) => history.filter((entry) => entry.event === event).length;
      expect(FINAL_QUEUES.has(task.queue), context).toBe(true);
      expect(
        history.map((entry) => entry.id),
        context,
      ).toEqual(history.map((_, i) => i + 1));
      // Every write bumps the version once and records its history; running out of attempts is
      // recorded beside the write that used the last one.
      expect(task.version, context).toBe(history.length - count('attempts_exhausted'));
      for (const event of ['claimed', 'submitted', 'requeued', 'rejected', 'accepted']) {
        expect(count(event), `${context}: ${event}`).toBe(acked.count(task.id, event));
      }
      // Each claim ended one way: submitted, requeued, or its lease expired.
      expect(count('claimed'), context).toBe(
        count('submitted') + count('requeued') + count('lease_expired'),
      );
      if (task.queue === 'done') {
        expect(count('accepted'), context).toBe(1);
        expect(history.at(-1)?.event, context).toBe('accepted');
      } else {
        expect(count('accepted'), context).toBe(0);
        expect(history.at(-1)?.event, context).toBe('attempts_exhausted');
      }
    }
  });
});
