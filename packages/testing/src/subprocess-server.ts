import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { serverBin } from './server-bin.js';
import type { AuthMode, TestServer } from './start-test-server.js';

const START_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 5_000;
const LISTENING_MESSAGE = 'octopoid server listening';

const exited = (child: ChildProcess) => child.exitCode !== null || child.signalCode !== null;

/**
 * Resolves the URL from the CLI's "listening" log line (pino JSON on stdout). Rejects with the
 * tail of stderr if the process exits or stays silent too long.
 */
function listeningUrl(child: ChildProcess, stderrTail: () => string): Promise<string> {
  return new Promise((resolve, reject) => {
    const fail = (reason: string) => {
      clearTimeout(timer);
      reject(new Error(`octopoid-server ${reason}\n${stderrTail()}`));
    };
    const timer = setTimeout(
      () => fail(`printed no URL within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.once('exit', (code, signal) => fail(`exited (${signal ?? code}) before listening`));
    // Every line is read, not only the first: an unread pipe would fill and block the server.
    createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
      let entry: { msg?: unknown; url?: unknown };
      try {
        entry = JSON.parse(line);
      } catch {
        return;
      }
      if (entry.msg === LISTENING_MESSAGE && typeof entry.url === 'string') {
        clearTimeout(timer);
        resolve(entry.url);
      }
    });
  });
}

async function stop(child: ChildProcess): Promise<void> {
  if (exited(child)) return;
  const gone = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS);
  await gone;
  clearTimeout(timer);
}

/** Spawns `octopoid-server serve --port 0 --test-mode`, waits for its URL and a healthy answer. */
export async function startSubprocessServer(options: {
  database: string;
  leaseSweepSeconds: number;
  auth: AuthMode;
  legacyUnscopedIds: boolean;
  openRegistration: boolean;
  keepAliveTimeoutMs: number;
}): Promise<TestServer> {
  const args = [
    serverBin(),
    'serve',
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--test-mode',
    '--db',
    options.database,
    '--lease-sweep-seconds',
    String(options.leaseSweepSeconds),
    '--log-level',
    'info',
    '--auth',
    options.auth,
    '--keep-alive-timeout-ms',
    String(options.keepAliveTimeoutMs),
    ...(options.legacyUnscopedIds ? ['--legacy-unscoped-ids'] : []),
    ...(options.openRegistration ? ['--open-registration'] : []),
  ];
  // The IPC channel is how the server notices this process is gone (it then exits by itself).
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe', 'ipc'] });
  child.channel?.unref();
  const stderr: string[] = [];
  createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
    stderr.push(line);
    if (stderr.length > 20) stderr.shift();
  });
  const close = () => stop(child);
  try {
    const url = await listeningUrl(child, () => stderr.join('\n'));
    const health = await fetch(`${url}/api/health`);
    if (!health.ok)
      throw new Error(`octopoid-server at ${url} answered ${health.status} to /api/health`);
    return { url, close, [Symbol.asyncDispose]: close };
  } catch (error) {
    await close();
    throw error;
  }
}
