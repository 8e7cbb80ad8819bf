// `npm run bench`: every speed figure next to a no-op node:http baseline measured by the same
// load client in the same run, printed as one table and written to bench/results/latest.json.
// Nothing here asserts: the machine may be loaded, so the load average is printed beside it.
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFreshPostgresDatabase } from '@octopoid/testing';
import pg from 'pg';
import { median, octopoidUrlFrom, SERVER_BIN, spawnServer, tempDir, untilHealthy } from './lib.mjs';
import { lifecycles, wakeUps } from './load.mjs';
import { perTestOverhead, startTimes } from './testing-kit.mjs';

const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const CONCURRENCY = [1, 16, 64];
const STARTS = 10;
const WAKE_ROUNDS = 30;
const POSTGRES_ADMIN_URL =
  process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const CLI_MODULES = fileURLToPath(new URL('../packages/server/dist/cli.js', import.meta.url));
const CLI_BUNDLE = fileURLToPath(new URL('../packages/server/dist/cli.bundle.js', import.meta.url));
const NOOP_SERVER = fileURLToPath(new URL('./noop-server.cjs', import.meta.url));
const noopUrlFrom = (log) => /URL (\S+)/.exec(log)?.[1];

const rows = [];
const latencies = [];
const ms = (value) => `${value.toFixed(1)} ms`;
/**
 * One line of the table; `ratio` is value ÷ baseline, or baseline ÷ value for times; `met`
 * says whether the figure reaches its target (undefined: no target on this line).
 */
const row = (figure, value, baseline, ratio, target = '', met = undefined) => {
  rows.push({
    figure,
    value,
    baseline,
    ratio: ratio === undefined ? '' : ratio.toFixed(2),
    target,
    met: met === undefined ? '' : met ? 'yes' : 'no',
  });
  console.error(`  ${figure}: ${value}`);
};

/** Median time from process start to the first healthy answer, in ms. */
async function startupMs(args, urlFrom) {
  const samples = [];
  for (let i = 0; i < STARTS; i++) {
    const begin = performance.now();
    const server = spawnServer(args(i), urlFrom);
    await untilHealthy(await server.url);
    samples.push(performance.now() - begin);
    await server.stop();
  }
  return median(samples);
}

/** Starts `count` CLI servers on one database; resolves their URLs and a stop function. */
async function cliServers(database, count) {
  const servers = [];
  for (let i = 0; i < count; i++) {
    servers.push(
      spawnServer([SERVER_BIN, 'serve', '--port', '0', '--db', database], octopoidUrlFrom),
    );
  }
  const urls = await Promise.all(servers.map((s) => s.url));
  await Promise.all(urls.map(untilHealthy));
  return { urls, stop: () => Promise.all(servers.map((s) => s.stop())) };
}

async function postgresReachable() {
  const client = new pg.Client({
    connectionString: POSTGRES_ADMIN_URL,
    connectionTimeoutMillis: 2_000,
  });
  client.on('error', () => {});
  try {
    await client.connect();
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

const began = performance.now();
const dir = tempDir();
const loadBefore = loadavg();
console.error(
  `octopoid bench — node ${process.version}, ${cpus().length} CPUs, load ${loadBefore.map((l) => l.toFixed(2)).join(' ')}`,
);

// Start-up: process start to first healthy answer, on a fresh SQLite file each time.
const noopStart = await startupMs(() => [NOOP_SERVER], noopUrlFrom);
const cliStart = (entry, tag) =>
  startupMs(
    (i) => [entry, 'serve', '--port', '0', '--db', join(dir, `${tag}-${i}.db`)],
    octopoidUrlFrom,
  );
const bundleStart = await cliStart(CLI_BUNDLE, 'bundle');
const modulesStart = await cliStart(CLI_MODULES, 'modules');
const noopNote = `no-op node:http ${ms(noopStart)}`;
row(
  'start-up, CLI single-file bundle (shipped), median of 10',
  ms(bundleStart),
  noopNote,
  noopStart / bundleStart,
  '≤ 300 ms',
  bundleStart <= 300,
);
row(
  'start-up, CLI as separate modules (before the bundle)',
  ms(modulesStart),
  noopNote,
  noopStart / modulesStart,
);
const inProcess = await startTimes('in-process', STARTS);
row(
  'start-up, in-process startTestServer (:memory:), median of 10',
  ms(inProcess.median),
  '',
  undefined,
  '≤ 50 ms',
  inProcess.median <= 50,
);

// Throughput: the no-op baseline, then each backend, at each concurrency.
const noop = spawnServer([NOOP_SERVER], noopUrlFrom);
const ceiling = {};
try {
  const url = await noop.url;
  for (const c of CONCURRENCY) {
    const result = await lifecycles([url], c, SECONDS);
    ceiling[c] = result.perSecond;
    latencies.push({ backend: 'no-op node:http', concurrency: c, ...result.latency });
    row(
      `no-op baseline lifecycles/s, c=${c} (4 requests each)`,
      result.perSecond.toFixed(0),
      '',
      1,
    );
  }
} finally {
  await noop.stop();
}

const backends = [
  {
    label: 'SQLite file (WAL, group commit)',
    database: () => join(dir, 'load.db'),
    target: '≥ 0.5',
    met: (_c, ratio) => ratio >= 0.5,
  },
  { label: 'SQLite :memory:', database: () => ':memory:' },
];
const postgres = await postgresReachable();
if (postgres) {
  for (const instances of [1, 2]) {
    backends.push({
      label: `PostgreSQL, ${instances} instance${instances > 1 ? 's' : ''} on one database`,
      instances,
      database: async () => createFreshPostgresDatabase(POSTGRES_ADMIN_URL),
      target: instances === 1 ? '≥ 0.3 at c=16' : 'faster than 1 instance',
      met:
        instances === 1
          ? (c, ratio) => (c === 16 ? ratio >= 0.3 : undefined)
          : (c, _ratio, perSecond) => perSecond > onePostgresInstance[c],
    });
  }
} else {
  console.error(
    `  PostgreSQL not reachable at BENCH_POSTGRES_URL / local default: its rows are left out`,
  );
}

const wake = [];
/** Lifecycles/s of one PostgreSQL instance per concurrency, which two instances must beat. */
const onePostgresInstance = {};
for (const backend of backends) {
  const fresh = await backend.database();
  const database = typeof fresh === 'string' ? fresh : fresh.url;
  const servers = await cliServers(database, backend.instances ?? 1);
  try {
    for (const c of CONCURRENCY) {
      const result = await lifecycles(servers.urls, c, SECONDS);
      latencies.push({ backend: backend.label, concurrency: c, ...result.latency });
      const ratio = result.perSecond / ceiling[c];
      if (backend.instances === 1) onePostgresInstance[c] = result.perSecond;
      row(
        `lifecycles/s, ${backend.label}, c=${c}`,
        result.perSecond.toFixed(0),
        `no-op ${ceiling[c].toFixed(0)}/s`,
        ratio,
        backend.target ?? '',
        backend.met?.(c, ratio, result.perSecond),
      );
      if (c === 16 && backend.label.startsWith('SQLite file')) {
        row(
          'claim p99 at c=16, SQLite file',
          ms(result.latency.claim.p99),
          `no-op ${ms(latencies.find((l) => l.backend === 'no-op node:http' && l.concurrency === 16).claim.p99)}`,
          undefined,
          '≤ 10 ms',
          result.latency.claim.p99 <= 10,
        );
      }
    }
    if (backend.label !== 'SQLite :memory:') {
      const [waiterUrl, writerUrl = waiterUrl] = servers.urls;
      const gap = await wakeUps(waiterUrl, writerUrl, WAKE_ROUNDS);
      wake.push({ backend: backend.label, p50Ms: gap });
      const how = waiterUrl === writerUrl ? 'same instance' : 'created on the other instance';
      row(
        `long-poll wake-up p50, ${backend.label} (${how})`,
        ms(gap),
        '',
        undefined,
        '≤ 5 ms',
        gap <= 5,
      );
    }
  } finally {
    await servers.stop();
    if (typeof fresh !== 'string') await fresh.drop();
  }
}

// The testing kit: what `scopedSdk` adds to a test (a fresh scope, one task, the purge).
const kit = await perTestOverhead();
row(
  'per-test scopedSdk overhead (cycle − one create), median',
  ms(kit.cycle - kit.baseline),
  `one create ${ms(kit.baseline)}`,
  undefined,
  '≤ 2 ms',
  kit.cycle - kit.baseline <= 2,
);

const loadAfter = loadavg();
console.log(
  `\noctopoid bench — node ${process.version}, ${cpus().length} CPUs, ${SECONDS} s per load run; load average before ${loadBefore.map((l) => l.toFixed(2)).join(' ')}, after ${loadAfter.map((l) => l.toFixed(2)).join(' ')}`,
);
console.log(
  'ratio: value ÷ no-op baseline measured by the same client in this run (start-up: baseline ÷ value)\n',
);
const busiest = Math.max(loadBefore[0], loadAfter[0]);
if (busiest > cpus().length / 2) {
  console.log(
    `warning: the machine was busy (load average up to ${busiest.toFixed(2)} on ${cpus().length} CPUs): the server and the load client shared the CPUs with other work, so the figures are low; run again on an idle machine\n`,
  );
}
const COLUMNS = ['figure', 'value', 'baseline', 'ratio', 'target', 'met'];
const widths = COLUMNS.map((key) =>
  Math.max(key.length, ...rows.map((r) => String(r[key]).length)),
);
const line = (cells) => `| ${cells.map((cell, i) => String(cell).padEnd(widths[i])).join(' | ')} |`;
console.log(line(COLUMNS));
console.log(line(widths.map((w) => '-'.repeat(w))));
for (const r of rows) console.log(line(COLUMNS.map((key) => r[key])));
console.log('\nlatency per request kind, ms (p50 / p99)');
for (const l of latencies) {
  const kinds = ['create', 'claim', 'submit', 'accept'].map(
    (k) => `${k} ${l[k].p50.toFixed(1)}/${l[k].p99.toFixed(1)}`,
  );
  console.log(`  ${l.backend}, c=${l.concurrency}: ${kinds.join('  ')}`);
}

const out = fileURLToPath(new URL('./results/latest.json', import.meta.url));
mkdirSync(fileURLToPath(new URL('./results/', import.meta.url)), { recursive: true });
writeFileSync(
  out,
  `${JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, loadBefore, loadAfter, seconds: SECONDS, rows, latencies, wake, startup: { noopStart, bundleStart, modulesStart, inProcess }, kit }, null, 2)}\n`,
);
console.log(`\nwritten to ${out}; took ${((performance.now() - began) / 1000).toFixed(0)} s`);
