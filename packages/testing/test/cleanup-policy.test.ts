import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { OctopoidSDK } from '@octopoid/sdk';
import {
  describe,
  expect,
  keptScopeMessage,
  startPrivateServer,
  test,
} from '@octopoid/testing/vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the nested suite against `serverUrl` the way a user's `vitest run` would. */
async function runNestedSuite(serverUrl: string, scopeLog: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'packages/testing/test/nested/vitest.config.ts',
    ],
    {
      cwd: repoRoot,
      env: { ...env, OCTOPOID_TEST_SERVER_URL: serverUrl, OCTOPOID_NESTED_SCOPE_LOG: scopeLog },
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
  const [exitCode] = await once(child, 'exit');
  const scopes = Object.fromEntries(
    (await readFile(scopeLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map(({ outcome, scope }: { outcome: string; scope: string }) => [outcome, scope]),
  );
  return { exitCode, output, scopes: scopes as { pass: string; fail: string } };
}

describe('cleanup policy', () => {
  test('a passing test’s scope is purged; a failing test’s scope is kept, disarmed, and named', async ({
    onTestFinished,
  }) => {
    await using server = await startPrivateServer({ testMode: true });
    const dir = await mkdtemp(join(tmpdir(), 'octopoid-nested-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));

    const run = await runNestedSuite(server.url, join(dir, 'scopes.jsonl'));
    expect(run.exitCode, run.output).toBe(1);

    const passed = new OctopoidSDK({ serverUrl: server.url, scope: run.scopes.pass });
    const failed = new OctopoidSDK({ serverUrl: server.url, scope: run.scopes.fail });
    expect(await passed.tasks.get('t-1')).toBeNull();
    expect(await passed.scopes.purge()).toBeNull();
    expect(await failed.testMode.faults.list()).toEqual([]);
    expect(await failed.tasks.get('t-1')).toMatchObject({ scope: run.scopes.fail });
    expect(run.output).toContain(`kept scope ${run.scopes.fail} of failed test "a failing test"`);
    expect(run.output).toContain(`curl '${server.url}/api/v1/tasks?scope=${run.scopes.fail}'`);
    expect(run.output).toContain(`or open its board: ${server.url}/ui?scope=${run.scopes.fail}`);
    expect(run.output).not.toContain(`kept scope ${run.scopes.pass}`);
  }, 60_000);

  test('the kept-scope message gives a command that works for as long as the data lives', () => {
    const kept = { scope: 's-1', testName: 't', serverUrl: 'http://127.0.0.1:1' };
    const curl = "curl 'http://127.0.0.1:1/api/v1/tasks?scope=s-1'";
    expect(keptScopeMessage({ ...kept, data: { until: 'server-stops' } })).toContain(curl);
    expect(keptScopeMessage({ ...kept, data: { until: 'server-stops' } })).toContain(
      'or open its board: http://127.0.0.1:1/ui?scope=s-1',
    );
    const inMemory = keptScopeMessage({ ...kept, data: { until: 'run-ends' } });
    expect(inMemory).toContain(curl);
    expect(inMemory).toMatch(/until this run ends \(set OCTOPOID_TEST_DATABASE=<file>/);
    expect(
      keptScopeMessage({ ...kept, data: { until: 'deleted', database: '/tmp/run.db' } }),
    ).toContain(
      `sqlite3 '/tmp/run.db' 'select id, queue, title, version from tasks where scope = '\\''s-1'\\'''`,
    );
    const postgres = { until: 'deleted', database: 'postgres://u@h/db' } as const;
    expect(keptScopeMessage({ ...kept, data: postgres })).toContain("psql 'postgres://u@h/db' -c ");
  });
});
