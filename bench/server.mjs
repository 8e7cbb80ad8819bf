import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { OctopoidSDK } from '@octopoid/sdk';
import {
  fmt,
  median,
  spawnServer,
  startCliServer,
  tempDir,
  throughput,
  untilHealthy,
} from './lib.mjs';

const STARTS = 10;
const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);

/** Process start to first healthy response, on a fresh SQLite file each time. */
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

async function lifecycles(url, concurrency) {
  const sdk = new OctopoidSDK({ serverUrl: url, scope: `bench-${randomUUID().slice(0, 8)}` });
  const claimant = { orchestrator_id: 'bench', agent_name: 'bench-agent' };
  return throughput(concurrency, SECONDS, async (worker, i) => {
    const id = `t-${worker}-${i}`;
    await sdk.tasks.create({ id, file_path: `${id}.md`, branch: 'main' });
    const task = await sdk.tasks.claim(claimant);
    if (!task) throw new Error('nothing to claim');
    await sdk.tasks.submit(task.id, { commits_count: 1, turns_used: 1 });
    await sdk.tasks.accept(task.id);
  });
}

/** Four health requests stand for one lifecycle's four requests: the HTTP floor of the server. */
async function healthFloor(url, concurrency) {
  const sdk = new OctopoidSDK({ serverUrl: url });
  const perSecond = await throughput(concurrency, SECONDS, () => sdk.health.check());
  return perSecond / 4;
}

export async function benchServer(report) {
  const dir = tempDir();
  const baselineStart = await startupMs(
    () => [
      '-e',
      "require('node:http').createServer((q,s)=>s.end('{}')).listen(0,'127.0.0.1',function(){console.log('URL http://127.0.0.1:'+this.address().port)})",
    ],
    (log) => /URL (\S+)/.exec(log)?.[1],
  );
  const octopoidStart = await startupMs(
    (i) => [
      new URL('../packages/server/bin/octopoid-server.js', import.meta.url).pathname,
      'serve',
      '--port',
      '0',
      '--db',
      join(dir, `start-${i}.db`),
    ],
    (log) => /"url":"(http:[^"]+)"/.exec(log)?.[1],
  );
  report('start to first healthy response, fresh SQLite file (median of 10)', {
    value: `${fmt(octopoidStart)} ms`,
    baseline: `bare node:http server ${fmt(baselineStart)} ms`,
    ratio: octopoidStart / baselineStart,
  });

  const databases = [['SQLite file (WAL, synchronous=FULL)', join(dir, 'load.db')]];
  if (process.env.BENCH_POSTGRES_URL)
    databases.push(['PostgreSQL', process.env.BENCH_POSTGRES_URL]);
  for (const [label, database] of databases) {
    const server = await startCliServer(database);
    try {
      for (const concurrency of [1, 16]) {
        const floor = await healthFloor(server.url, concurrency);
        const rate = await lifecycles(server.url, concurrency);
        report(`create→claim→submit→accept per second, ${label}, concurrency ${concurrency}`, {
          value: `${fmt(rate)} /s`,
          baseline: `health-check floor ${fmt(floor)} /s (4 requests each)`,
          ratio: rate / floor,
        });
      }
    } finally {
      await server.stop();
    }
  }
}
