// Cost of the testing kit: what `scopedSdk` adds to each test, and what `globalSetup` adds to
// each run. Plain Node over the built packages: run `npx tsc -b` first, then
// `node bench/testing-kit.mjs` (`npm run bench` includes these figures).
import { pathToFileURL } from 'node:url';
import { OctopoidSDK } from '@octopoid/sdk';
import { scopeForTest, startTestServer } from '@octopoid/testing';

const ITERATIONS = Number(process.env.BENCH_KIT_ITERATIONS ?? 500);
const WARMUP = 50;
const SERVER_STARTS = 10;
const SUBPROCESS_STARTS = 5;

const median = (samples) => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const ms = (value) => `${value.toFixed(2)} ms`;

async function timed(work) {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

const task = (id) => ({ id, file_path: `tasks/${id}.md`, branch: 'main', title: id });

/** One test's life as the `scopedSdk` fixture runs it: a fresh scope, one task, the purge. */
async function scopedTestCycle(serverUrl, i) {
  const sdk = new OctopoidSDK({ serverUrl, scope: scopeForTest(`bench test ${i}`) });
  await sdk.tasks.create(task('t-1'));
  await sdk.scopes.purge();
}

export async function perTestOverhead() {
  // No `await using` here: Node 20 does not parse it in plain JavaScript.
  const server = await startTestServer();
  try {
    const shared = new OctopoidSDK({ serverUrl: server.url, scope: 'bench-baseline' });
    const baseline = [];
    const cycle = [];
    for (let i = 0; i < WARMUP + ITERATIONS; i++) {
      // Interleaved, so load from elsewhere on the machine weighs on both series alike.
      const bare = await timed(() => shared.tasks.create(task(`t-${i}`)));
      const full = await timed(() => scopedTestCycle(server.url, i));
      if (i >= WARMUP) {
        baseline.push(bare);
        cycle.push(full);
      }
    }
    return { baseline: median(baseline), cycle: median(cycle) };
  } finally {
    await server.close();
  }
}

/** Start times of `count` servers, one after another; the first pays for loading the modules. */
export async function startTimes(mode, count) {
  const starts = [];
  for (let i = 0; i < count; i++) {
    let server;
    starts.push(
      await timed(async () => {
        server = await startTestServer({ mode });
      }),
    );
    await server.close();
  }
  return { first: starts[0], median: median(starts) };
}

if (import.meta.url === pathToFileURL(process.argv[1]).href) {
  // Server starts first, so the first in-process start is cold, as in a fresh `vitest run`.
  const inProcess = await startTimes('in-process', SERVER_STARTS);
  const subprocess = await startTimes('subprocess', SUBPROCESS_STARTS);
  const { baseline, cycle } = await perTestOverhead();

  const rows = [
    ['baseline: one create request', ms(baseline), `median of ${ITERATIONS}`],
    ['scopedSdk test cycle: new scope, create, purge', ms(cycle), `median of ${ITERATIONS}`],
    ['  per-test overhead of scopedSdk', ms(cycle - baseline), 'cycle - baseline'],
    ['  ratio cycle / baseline', `${(cycle / baseline).toFixed(2)}x`, ''],
    [
      'startTestServer in-process (globalSetup)',
      ms(inProcess.median),
      `median of ${SERVER_STARTS}`,
    ],
    ['  first start, loading the modules', ms(inProcess.first), ''],
    ['  ratio start / baseline', `${(inProcess.median / baseline).toFixed(1)}x`, ''],
    [
      'startTestServer subprocess (shipped CLI)',
      ms(subprocess.median),
      `median of ${SUBPROCESS_STARTS}`,
    ],
  ];
  for (const [label, value, note] of rows) {
    console.log(`${label.padEnd(48)} ${value.padStart(11)}  ${note}`);
  }
}
