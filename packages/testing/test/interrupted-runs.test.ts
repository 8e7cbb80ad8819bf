import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { describe, test } from '@octopoid/testing/vitest';
import pg from 'pg';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const ADMIN_URL =
  process.env.OCTOPOID_TEST_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

/**
 * Runs `script` (an ES module using the built kit) in a plain Node process, resolves the first
 * line it prints, and leaves the process running for the caller to kill.
 */
async function runUntilFirstLine(script: string) {
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [chunk] = (await once(child.stdout, 'data')) as [Buffer];
  return { child, line: chunk.toString().trim() };
}

async function databaseExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    const { rowCount } = await client.query('select 1 from pg_database where datname = $1', [name]);
    return rowCount === 1;
  } finally {
    await client.end();
  }
}

const answers = (url: string) =>
  fetch(`${url}/api/health`).then(
    (response) => response.ok,
    () => false,
  );

describe('interrupted runs', () => {
  for (const signal of ['SIGINT', 'SIGKILL'] as const) {
    test(`a fresh PostgreSQL database is dropped when its run dies by ${signal}`, async ({
      expect,
    }) => {
      const { child, line: url } = await runUntilFirstLine(`
        import { createFreshPostgresDatabase } from '@octopoid/testing';
        const fresh = await createFreshPostgresDatabase(${JSON.stringify(ADMIN_URL)});
        // Like vitest on a signal: exit at once, without the run's clean-up.
        process.on('SIGINT', () => process.exit(130));
        console.log(fresh.url);
        setInterval(() => {}, 1000);
      `);
      const name = new URL(url).pathname.slice(1);
      expect(await databaseExists(name)).toBe(true);
      const exited = once(child, 'exit');
      child.kill(signal);
      await exited;
      await expect.poll(() => databaseExists(name), { timeout: 10_000 }).toBe(false);
    });
  }

  test('a subprocess server stops when the process that started it is killed', async ({
    expect,
  }) => {
    const { child, line: url } = await runUntilFirstLine(`
      import { startTestServer } from '@octopoid/testing';
      const server = await startTestServer({ mode: 'subprocess' });
      console.log(server.url);
      setInterval(() => {}, 1000);
    `);
    expect(await answers(url)).toBe(true);
    const exited = once(child, 'exit');
    child.kill('SIGKILL');
    await exited;
    await expect.poll(() => answers(url), { timeout: 10_000 }).toBe(false);
  });
});
