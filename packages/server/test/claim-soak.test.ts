/**
 * A soak of the queue under concurrency: many claimers work a scope's tasks to the end, each
 * claim followed at random by a submit then an accept or a reject, a requeue, or a crash (the
 * claim abandoned until its lease runs out on the scope clock). At the end every task is in
 * exactly one final queue and its history tells exactly what the claimers were told.
 *
 * Every claim and transition goes over HTTP. Only the set-up (the tasks, copied in one
 * transaction from one created over HTTP) and the final check (every task and history row, in
 * two queries) use the private server's store, so the run's time goes to the claims.
 * `OCTOPOID_SOAK_TASKS` sets the number of tasks (default 2,000: a claim reads its whole queue
 * to order it, so a run's time grows with the square of the tasks); `OCTOPOID_SOAK_SEED` replays
 * a failed run's choices.
 */
import { OctopoidError, OctopoidSDK, type Task } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { insertRows, rowsOfScope } from '../src/store/scopes.js';
import type { Store } from '../src/store/store.js';
import { newTask } from './tasks-support.js';

const TASKS = Number(process.env.OCTOPOID_SOAK_TASKS ?? 2_000);
const CLAIMERS = 64;
const LEASE_SECONDS = 600;
const FINAL_QUEUES = new Set(['done', 'failed']);
const SCOPE = 'soak';

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

/**
 * `count` tasks `t-0` … in the scope: `t-0` is created over HTTP, the others are copies of its
 * row and its `created` history entry, inserted in one transaction.
 */
async function createTasks(sdk: OctopoidSDK, store: Store, count: number): Promise<string[]> {
  const ids = Array.from({ length: count }, (_, i) => `t-${i}`);
  await sdk.tasks.create(newTask('t-0'));
  await store.transaction(async (tx) => {
    const [task] = await rowsOfScope(tx, 'tasks', SCOPE);
    const [created] = await rowsOfScope(tx, 'task_history', SCOPE);
    if (!task || !created) throw new Error('the template task is missing');
    const { id: _sequence, ...entry } = created;
    const copies = ids.slice(1);
    await insertRows(
      tx,
      'tasks',
      copies.map((id) => ({ ...task, id, title: id, file_path: newTask(id).file_path })),
    );
    await insertRows(
      tx,
      'task_history',
      copies.map((id) => ({ ...entry, task_id: id })),
    );
  });
  return ids;
}

/** Every task of the scope with its history in order, read in two queries. */
async function everyTask(store: Store) {
  const tasks = await rowsOfScope(store.db, 'tasks', SCOPE);
  const history = await store.db
    .selectFrom('task_history')
    .select(['task_id', 'seq', 'event'])
    .where('scope', '=', SCOPE)
    .orderBy('task_id')
    .orderBy('seq')
    .execute();
  const byTask = new Map<string, typeof history>();
  for (const entry of history) {
    const entries = byTask.get(entry.task_id);
    if (entries) entries.push(entry);
    else byTask.set(entry.task_id, [entry]);
  }
  return tasks.map((task) => ({ task, history: byTask.get(task.id) ?? [] }));
}

describe('the queue under a soak of concurrent claimers', () => {
  test(`${CLAIMERS} claimers work ${TASKS} tasks to the end: one final state each, history matching every acknowledgement`, {
    timeout: 600_000,
  }, async () => {
    await using server = await startPrivateServer({ testMode: true });
    // 64 claims queue behind one another on SQLite's one connection: a slow machine may hold one
    // longer than the SDK's default 30 s, which is waiting, not a failure.
    const sdk = new OctopoidSDK({ serverUrl: server.url, scope: SCOPE, timeoutMs: 300_000 });
    const seed = Number(process.env.OCTOPOID_SOAK_SEED ?? Date.now() % 2 ** 31);
    const roll = random(seed);
    const ids = await createTasks(sdk, server.store, TASKS);

    const acked = new Acknowledged();
    const progress = new Progress();
    let inFlight = 0;
    let finished = false;
    let settling: Promise<void> | undefined;

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

    /**
     * Nothing is claimable and nothing in flight: only abandoned claims and backed-off returns
     * are left, if anything. Lets their time pass on the scope clock, then asks whether every
     * task is final; one claimer does it while the others wait for its answer.
     */
    function settle(): Promise<void> {
      settling ??= sdk.testMode.clock
        .advance(`${LEASE_SECONDS + 1}s`)
        .then(async () => {
          finished = await allFinal(sdk);
        })
        .finally(() => {
          settling = undefined;
        });
      return settling;
    }

    async function claimer(n: number): Promise<void> {
      const agent = `agent-${n}`;
      while (!finished) {
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
        } else if (inFlight > 0) {
          await progress.next;
        } else {
          await settle();
        }
      }
    }

    await Promise.all(Array.from({ length: CLAIMERS }, (_, n) => claimer(n)));

    const tasks = await everyTask(server.store);
    expect(tasks.map(({ task }) => task.id).sort()).toEqual([...ids].sort());
    for (const { task, history } of tasks) {
      const context = `seed ${seed}, task ${task.id}: ${history.map((h) => h.event).join(' ')}`;
      const count = (event: string) => history.filter((entry) => entry.event === event).length;
      expect(FINAL_QUEUES.has(task.queue), context).toBe(true);
      expect(
        history.map((entry) => entry.seq),
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
