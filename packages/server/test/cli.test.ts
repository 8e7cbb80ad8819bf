import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, chown, mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, serverBin, test, waitFor } from '@octopoid/testing/vitest';

// The shipped binary on its built `dist/`, refused when older than the sources (`npm test` builds first).
const BIN = serverBin();
// File permissions do not bind root, so read-only cases run the server as `nobody` under root.
const NOBODY = 65_534;
const asUnprivileged: SpawnOptions = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};

function server(args: string[], options: SpawnOptions = {}): ChildProcess {
  const env = { ...process.env, OCTOPOID_DATABASE: undefined, OCTOPOID_ADMIN_KEY: undefined };
  return spawn(process.execPath, [BIN, ...args], {
    ...options,
    env: { ...env, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs the CLI to its exit: its exit code and what it printed. */
async function run(args: string[], options: SpawnOptions = {}) {
  const child = server(args, options);
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr?.on('data', (chunk) => {
    stderr += chunk;
  });
  const [code] = await once(child, 'exit');
  return { code: code as number, stdout, stderr };
}

/** The JSON log lines of a running server, as they arrive. */
function logOf(child: ChildProcess): Array<Record<string, unknown>> {
  const lines: Array<Record<string, unknown>> = [];
  createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) =>
    lines.push(JSON.parse(line)),
  );
  return lines;
}

async function listening(child: ChildProcess, log: Array<Record<string, unknown>>) {
  return waitFor(
    'the server to log that it listens',
    async () => {
      if (child.exitCode !== null) throw new Error(`the server exited (${child.exitCode})`);
      return log.find((line) => line.msg === 'octopoid server listening');
    },
    (line) => line !== undefined,
    { timeoutMs: 15_000 },
  ) as Promise<Record<string, unknown>>;
}

async function tempDir(onTestFinished: (fn: () => Promise<void>) => void): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'octopoid-cli-'));
  onTestFinished(() => rm(dir, { recursive: true, force: true }));
  return dir;
}

describe('octopoid-server CLI', () => {
  test.for<[string, string]>([
    ['postgres', 'names a backend, not a database'],
    ['mysql://localhost/x', 'has an unsupported scheme "mysql:"'],
    ['', 'is empty'],
  ])(
    '--db %j is refused with the accepted forms, and nothing is created',
    async ([db, why], { onTestFinished }) => {
      const dir = await tempDir(onTestFinished);
      const { code, stderr } = await run(['migrate', '--db', db], { cwd: dir });
      expect(code).toBe(1);
      expect(stderr).toContain(`--db ${JSON.stringify(db)} ${why}; use a SQLite file path`);
      expect(stderr).toContain('postgres:// or postgresql:// URL');
      expect(await readdir(dir)).toEqual([]);
    },
  );

  test('OCTOPOID_DATABASE is named when the bad location came from it', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const { code, stderr } = await run(['serve'], {
      cwd: dir,
      env: { OCTOPOID_DATABASE: 'postgres' },
    });
    expect(code).toBe(1);
    expect(stderr).toContain('OCTOPOID_DATABASE "postgres" names a backend');
    expect(await readdir(dir)).toEqual([]);
  });

  test('a missing folder is refused unless --create-db-dir asks for it', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const file = join(dir, 'missing', 'octopoid.db');
    const refused = await run(['migrate', '--db', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      `--db ${file}: folder ${join(dir, 'missing')} does not exist; create it, or pass --create-db-dir`,
    );
    expect(await readdir(dir)).toEqual([]);

    const created = await run(['migrate', '--db', file, '--create-db-dir']);
    expect(created).toMatchObject({ code: 0, stderr: '' });
    expect(await readdir(join(dir, 'missing'))).toContain('octopoid.db');
  });

  test('an invalid port is refused, naming the flag, before the database is created', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const { code, stderr } = await run(['serve', '--port', '99999', '--db', join(dir, 'x.db')]);
    expect(code).toBe(1);
    expect(stderr).toContain("option '--port <port>' argument '99999' is invalid");
    expect(stderr).toContain('It must be an integer from 0 to 65535.');
    expect(await readdir(dir)).toEqual([]);
  });

  test('a short admin key is refused naming its flag or variable, never echoing the key', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const db = join(dir, 'x.db');
    const flag = await run(['serve', '--admin-key', 'short-secret', '--db', db]);
    expect(flag.code).toBe(1);
    expect(flag.stderr).toContain('--admin-key must be at least 32 characters');
    const env = await run(['serve', '--db', db], { env: { OCTOPOID_ADMIN_KEY: 'short-secret' } });
    expect(env.code).toBe(1);
    expect(env.stderr).toContain('OCTOPOID_ADMIN_KEY must be at least 32 characters');
    expect(flag.stderr + env.stderr).not.toContain('short-secret');
    expect(await readdir(dir)).toEqual([]);
  });

  test('an unreachable PostgreSQL database is refused naming it, with the password masked', async () => {
    const { code, stderr } = await run([
      'serve',
      '--port',
      '0',
      '--db',
      'postgres://postgres:s3cret@127.0.0.1:1/octopoid',
    ]);
    expect(code).not.toBe(0);
    expect(stderr).toContain('postgres://postgres:***@127.0.0.1:1/octopoid');
    expect(stderr).not.toContain('s3cret');
  });

  test('a file that is not a database is refused naming its path', async ({ onTestFinished }) => {
    const dir = await tempDir(onTestFinished);
    const file = join(dir, 'notes.db');
    await writeFile(file, 'not a database, only some notes that happen to end in .db\n'.repeat(20));
    const { code, stderr } = await run(['migrate', '--db', file]);
    expect(code).toBe(1);
    expect(stderr).toContain(`database ${file}: file is not a database`);
  });

  test('a read-only database file is refused before start, naming the flag and the path', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const file = join(dir, 'octopoid.db');
    expect((await run(['migrate', '--db', file])).code).toBe(0);
    await chmod(dir, 0o755);
    await chmod(file, 0o444);
    const { code, stderr } = await run(['serve', '--port', '0', '--db', file], asUnprivileged);
    expect(code).toBe(1);
    expect(stderr).toContain(
      `--db ${file}: the database file is read-only; the server needs to write to it`,
    );
  });

  test('health reports a database that became read-only as not ready', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const data = join(dir, 'data');
    await mkdir(data);
    if (asUnprivileged.uid !== undefined) await chown(data, NOBODY, NOBODY);
    await chmod(dir, 0o755);
    const child = server(
      ['serve', '--port', '0', '--db', join(data, 'octopoid.db')],
      asUnprivileged,
    );
    onTestFinished(async () => {
      if (child.exitCode === null) {
        child.kill('SIGKILL');
        await once(child, 'exit');
      }
    });
    const { url } = await listening(child, logOf(child));
    expect((await fetch(`${url}/api/health`)).status).toBe(200);

    await chmod(join(data, 'octopoid.db'), 0o444);
    await chmod(data, 0o555);
    const health = await fetch(`${url}/api/health`);
    expect(health.status).toBe(503);
    expect(await health.json()).toMatchObject({ status: 'unhealthy', database: 'read-only' });
  });

  test('serve --help names the OCTOPOID_DATABASE variable and --create-db-dir', async () => {
    const { code, stdout } = await run(['serve', '--help']);
    expect(code).toBe(0);
    expect(stdout.replace(/\s+/g, ' ')).toContain('env: OCTOPOID_DATABASE');
    expect(stdout).toContain('--create-db-dir');
  });

  test('serve --help names the HTTP timeouts with their defaults; a request timeout below the headers timeout is refused', async () => {
    const help = (await run(['serve', '--help'])).stdout.replace(/\s+/g, ' ');
    expect(help).toContain('--headers-timeout-ms <ms>');
    expect(help).toMatch(/--request-timeout-ms <ms> .*\(default: 30000\)/);
    expect(help).toMatch(/--keep-alive-timeout-ms <ms> .*\(default: 5000\)/);
    const refused = await run([
      'serve',
      '--db',
      ':memory:',
      '--port',
      '0',
      '--headers-timeout-ms',
      '2000',
      '--request-timeout-ms',
      '1000',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(
      '--request-timeout-ms (1000) must be at least --headers-timeout-ms (2000)',
    );
  });

  test.for(['0x10', '1e3', ' 100', '1.5', '-1'])(
    'a number flag given %j is refused naming the flag',
    async (value) => {
      const { code, stderr } = await run([
        'serve',
        '--db',
        ':memory:',
        '--headers-timeout-ms',
        value,
      ]);
      expect(code).toBe(1);
      expect(stderr).toContain('--headers-timeout-ms');
      expect(stderr).toContain('must be an integer');
    },
  );

  test('serve logs the absolute database path, and a last line once stopped by a signal', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const child = server(['serve', '--port', '0'], { cwd: dir });
    const log = logOf(child);
    const start = await listening(child, log);
    expect(start).toMatchObject({
      dialect: 'sqlite',
      database: join(dir, '.octopoid', 'octopoid.db'),
    });

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
    expect(log.map((line) => line.msg).slice(-2)).toEqual([
      'shutting down: finishing in-flight requests',
      'octopoid server stopped',
    ]);
  });

  test('a server whose output nobody reads any more still stops on SIGTERM', async ({
    onTestFinished,
  }) => {
    const dir = await tempDir(onTestFinished);
    const child = server(['serve', '--port', '0', '--db', ':memory:'], { cwd: dir });
    onTestFinished(() => {
      child.kill('SIGKILL');
    });
    await listening(child, logOf(child));
    // As `serve | head -1` leaves it: the reader of its stdout is gone.
    child.stdout?.destroy();
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });
});
