// The load client: create→claim→submit→accept lifecycles over plain HTTP (fetch), the same code
// against Octopoid and against the no-op baseline. A lifecycle is a dependent sequence (the
// claim's answer names the task to submit), which autocannon's fixed request lists cannot
// express without its per-request callbacks doing the same work as this loop.
import { randomUUID } from 'node:crypto';

export const KINDS = ['create', 'claim', 'submit', 'accept'];

/** Sends one JSON POST; resolves the parsed answer. Throws on any status but 200 and 201. */
async function post(url, body) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (response.status !== 200 && response.status !== 201) {
    throw new Error(`POST ${url}: ${response.status} ${text}`);
  }
  return JSON.parse(text);
}

const percentile = (sorted, p) =>
  sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))];

/**
 * Runs `concurrency` loops of lifecycles for `seconds`, spreading the loops over `urls` (one
 * per server instance). Resolves `{ perSecond, latency: { kind: { p50, p99 } } }` in ms.
 */
export async function lifecycles(urls, concurrency, seconds) {
  const scope = `bench-${randomUUID().slice(0, 8)}`;
  const samples = Object.fromEntries(KINDS.map((kind) => [kind, []]));
  const timed = async (kind, work) => {
    const start = performance.now();
    const answer = await work();
    samples[kind].push(performance.now() - start);
    return answer;
  };
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const begin = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, worker) => {
      const base = `${urls[worker % urls.length]}/api/v1/tasks`;
      const q = `?scope=${scope}`;
      for (let i = 0; performance.now() < deadline; i++) {
        const id = `t-${worker}-${i}`;
        await timed('create', () =>
          post(`${base}${q}`, { id, file_path: `${id}.md`, branch: 'main' }),
        );
        const claimed = await timed('claim', () =>
          post(`${base}/claim${q}`, { orchestrator_id: 'bench', agent_name: `agent-${worker}` }),
        );
        const taskId = claimed.id ?? id; // the no-op baseline answers {}
        const body = { commits_count: 1, turns_used: 1, lease_token: claimed.lease_token };
        await timed('submit', () => post(`${base}/${taskId}/submit${q}`, body));
        await timed('accept', () => post(`${base}/${taskId}/accept${q}`, {}));
        done++;
      }
    }),
  );
  const elapsed = (performance.now() - begin) / 1000;
  const latency = {};
  for (const kind of KINDS) {
    const sorted = samples[kind].sort((a, b) => a - b);
    latency[kind] = { p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99) };
  }
  return { perSecond: done / elapsed, latency };
}

/**
 * Long-poll wake-up: a claimer waits (`wait_seconds`) on `waiterUrl`, a task is created through
 * `writerUrl`; the figure is the time from the create's answer to the waiter's claim answer, in
 * ms. Resolves the median of `rounds`.
 */
export async function wakeUps(waiterUrl, writerUrl, rounds) {
  const base = `${waiterUrl}/api/v1/tasks`;
  const q = `?scope=bench-wake-${randomUUID().slice(0, 8)}`;
  const gaps = [];
  for (let i = 0; i < rounds; i++) {
    let claimedAt = 0;
    const waiting = post(`${base}/claim${q}`, {
      orchestrator_id: 'bench',
      agent_name: 'waiter',
      wait_seconds: 10,
    }).then((task) => {
      claimedAt = performance.now();
      return task;
    });
    // Time for the claim to reach the server and find nothing; a benchmark may sleep.
    await new Promise((resolve) => setTimeout(resolve, 20));
    await post(`${writerUrl}/api/v1/tasks${q}`, {
      id: `w-${i}`,
      file_path: `w-${i}.md`,
      branch: 'main',
    });
    const createdAt = performance.now();
    const task = await waiting;
    if (task.id !== `w-${i}`) throw new Error(`the waiter claimed ${task.id}`);
    gaps.push(Math.max(0, claimedAt - createdAt));
  }
  return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)];
}
