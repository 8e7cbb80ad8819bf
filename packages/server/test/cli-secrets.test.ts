import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, expect, serverBin, test } from '@octopoid/testing/vitest';
import { ADMIN_KEY } from './auth-support.js';

const BIN = serverBin();

interface Served {
  url: string;
  /** Every line the CLI printed on stdout and stderr so far. */
  output: string[];
  child: ChildProcess;
}

/** Spawns `octopoid-server serve` with `args`; resolves once it logs its URL. */
function serve(args: string[], env: Record<string, string> = {}): Promise<Served> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--db', ':memory:', '--auth', 'required', ...args],
    { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const output: string[] = [];
  return new Promise((resolve, reject) => {
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream as NodeJS.ReadableStream }).on('line', (line) => {
        output.push(line);
        const url = line.includes('listening') ? JSON.parse(line).url : undefined;
        if (url) resolve({ url, output, child });
      });
    }
    child.once('exit', (code) => reject(new Error(`exited with ${code}: ${output.join('\n')}`)));
  });
}

/** Runs `octopoid-server serve` expecting it to refuse to start; resolves its exit and output. */
function refusedStart(args: string[]): Promise<{ code: number | null; output: string }> {
  const child = spawn(
    process.execPath,
    [BIN, 'serve', '--port', '0', '--db', ':memory:', ...args],
    {
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
  });
  child.stderr.on('data', (chunk) => {
    output += chunk;
  });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, output })));
}

async function stop(served: Served) {
  const gone = new Promise((resolve) => served.child.once('exit', resolve));
  served.child.kill('SIGTERM');
  await gone;
}

const listScopes = (url: string, key: string) =>
  fetch(`${url}/api/v1/scopes`, { headers: { authorization: `Bearer ${key}` } });

async function tempFile(text: string): Promise<{ path: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'octopoid-secret-'));
  const path = join(dir, 'admin-key');
  await writeFile(path, text, { mode: 0o600 });
  return { path, remove: () => rm(dir, { recursive: true, force: true }) };
}

describe('the admin key of the CLI', () => {
  test('given on the command line works, with a warning that never shows the key', async () => {
    const served = await serve(['--admin-key', ADMIN_KEY, '--log-level', 'info']);
    try {
      expect((await listScopes(served.url, ADMIN_KEY)).status).toBe(200);
      expect(served.output.some((line) => line.includes('process list'))).toBe(true);
      expect(served.output.join('\n')).not.toContain(ADMIN_KEY);
    } finally {
      await stop(served);
    }
  }, 30_000);

  test('read from OCTOPOID_ADMIN_KEY works without a warning', async () => {
    const served = await serve([], { OCTOPOID_ADMIN_KEY: ADMIN_KEY });
    try {
      expect((await listScopes(served.url, ADMIN_KEY)).status).toBe(200);
      expect(served.output.some((line) => line.includes('process list'))).toBe(false);
    } finally {
      await stop(served);
    }
  }, 30_000);

  test('read from --admin-key-file works, its final line break ignored', async ({
    onTestFinished,
  }) => {
    const file = await tempFile(`${ADMIN_KEY}\n`);
    onTestFinished(file.remove);
    const served = await serve(['--admin-key-file', file.path]);
    try {
      expect((await listScopes(served.url, ADMIN_KEY)).status).toBe(200);
      expect((await listScopes(served.url, ADMIN_KEY.slice(1))).status).toBe(401);
      expect(served.output.some((line) => line.includes('process list'))).toBe(false);
      expect(served.output.join('\n')).not.toContain(ADMIN_KEY);
    } finally {
      await stop(served);
    }
  }, 30_000);

  test('is refused at start when given twice, from an empty file or a missing one', async ({
    onTestFinished,
  }) => {
    const empty = await tempFile('');
    onTestFinished(empty.remove);
    const both = await refusedStart(['--admin-key', ADMIN_KEY, '--admin-key-file', empty.path]);
    expect(both.code).not.toBe(0);
    expect(both.output).toMatch(/--admin-key-file.*cannot be used with.*--admin-key/s);
    const blank = await refusedStart(['--admin-key-file', empty.path]);
    expect(blank.code).not.toBe(0);
    expect(blank.output).toContain('is empty');
    const missing = await refusedStart(['--admin-key-file', join(tmpdir(), 'no-such-key-file')]);
    expect(missing.code).not.toBe(0);
    expect(missing.output).toContain('cannot read the admin key file');
  }, 30_000);
});
