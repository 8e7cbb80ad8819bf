import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVER_BIN = fileURLToPath(
  new URL('../packages/server/bin/octopoid-server.js', import.meta.url),
);

export const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

export const tempDir = () => mkdtempSync(join(tmpdir(), 'octopoid-bench-'));

/** Spawns a Node process and resolves the URL it prints once it listens. */
export function spawnServer(args, urlFrom) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = new Promise((resolve, reject) => {
    let buffer = '';
    child.stdout.on('data', (chunk) => {
      buffer += chunk;
      const found = urlFrom(buffer);
      if (found) resolve(found);
    });
    child.once('exit', (code) => reject(new Error(`server exited with ${code} before listening`)));
  });
  return {
    child,
    url,
    stop: () =>
      new Promise((resolve) => {
        child.once('exit', resolve);
        child.kill('SIGTERM');
      }),
  };
}

export const octopoidUrlFrom = (log) => /"url":"(http:[^"]+)"/.exec(log)?.[1];

/** Starts the real CLI server on a fresh database and resolves once it answers /api/health. */
export async function startCliServer(database) {
  const server = spawnServer(
    [SERVER_BIN, 'serve', '--port', '0', '--db', database, '--log-level', 'info'],
    octopoidUrlFrom,
  );
  const url = await server.url;
  await untilHealthy(url);
  return { url, stop: server.stop };
}

export async function untilHealthy(url) {
  for (;;) {
    const ok = await fetch(`${url}/api/health`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return;
    await new Promise((r) => setTimeout(r, 2));
  }
}

/** Runs `worker` on `concurrency` loops for `seconds`; resolves completed iterations per second. */
export async function throughput(concurrency, seconds, worker) {
  const deadline = performance.now() + seconds * 1000;
  let done = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async (_, index) => {
      for (let i = 0; performance.now() < deadline; i++) {
        await worker(index, i);
        done++;
      }
    }),
  );
  return done / ((performance.now() - start) / 1000);
}

export const fmt = (n, digits = 1) => n.toFixed(digits);
