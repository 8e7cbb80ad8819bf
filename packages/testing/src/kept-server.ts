import { spawn } from 'node:child_process';
import { serverBin } from './server-bin.js';

const READY_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 100;

/** A server left running after the run, for looking at the scopes of failed tests. */
export interface KeptServer {
  url: string;
  pid: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Starts `octopoid-server serve --test-mode` on `database` at `url`'s port, detached from this
 * process so it outlives the run, and resolves once it answers its health check. `database` must
 * outlive the run too (a SQLite file or a kept PostgreSQL database). Throws with the URL when it
 * does not come up within 15 s.
 */
export async function startKeptServer(url: string, database: string): Promise<KeptServer> {
  const { hostname, port } = new URL(url);
  const child = spawn(
    process.execPath,
    [serverBin(), 'serve', '--host', hostname, '--port', port, '--test-mode', '--db', database],
    { detached: true, stdio: 'ignore' },
  );
  child.unref();
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    const healthy = await fetch(`${url}/api/health`).then(
      (response) => response.ok,
      () => false,
    );
    if (healthy && child.pid !== undefined) return { url, pid: child.pid };
    if (child.exitCode !== null) break;
    await sleep(READY_POLL_MS);
  }
  child.kill();
  throw new Error(`octopoid: the kept server did not come up at ${url}`);
}

/** What the run prints about the server it kept. */
export function keptServerMessage(kept: KeptServer): string {
  return (
    `octopoid: OCTOPOID_KEEP_SERVER is set and tests failed: the server and its data stay up at ` +
    `${kept.url} (dashboard: ${kept.url}/ui); stop it with: kill ${kept.pid}`
  );
}
