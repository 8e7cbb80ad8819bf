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
  startTestServer,
  test,
} from '@octopoid/testing/vitest';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));

/** Runs the nested suite against `serverUrl` the way a user's `vitest run` would. */
async function runNestedSuite(serverUrl: string, dir: string) {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !name.startsWith('VITEST')),
  );
  const scopeLog = join(dir, 'scopes.jsonl');
  const report = join(dir, 'report.json');
  const child = spawn(
    process.execPath,
    [
      join(repoRoot, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      'packages/testing/test/nested/vitest.config.ts',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
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
  const scopes: Record<string, string> = Object.fromEntries(
    (await readFile(scopeLog, 'utf8'))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line))
      .map(({ label, scope }: { label: string; scope: string }) => [label, scope]),
  );
  const results: NestedResult[] = JSON.parse(await readFile(report, 'utf8')).testResults.flatMap(
    (file: { assertionResults: NestedResult[] }) => file.assertionResults,
  );
  return { exitCode, output, scopes, results };
}

interface NestedResult {
  title: string;
  status: string;
  meta: { octopoid?: { keptScope: string; dashboard: string } };
}

const PURGED = ['pass', 'fails-as-expected', 'attempt-1', 'attempt-2', 'held'];
const KEPT = ['fail', 'fails-but-passed', 'hook-throws'];

describe('cleanup policy', () => {
  test('a scope is purged or kept by vitest’s final verdict, disarmed, and reported under its test', async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'octopoid-nested-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const database = join(dir, 'run.db');
    const server = await startTestServer({ database });
    const run = await runNestedSuite(server.url, dir).finally(() => server.close());
    expect(run.exitCode, run.output).toBe(1);
    expect(Object.keys(run.scopes).sort()).toEqual([...PURGED, ...KEPT].sort());

    // A second server on the same data: a request held past the end of its test must not have
    // landed after the purge, not even once the first server closed.
    await using reopened = await startTestServer({ database });
    const sdkOf = (label: string) =>
      new OctopoidSDK({ serverUrl: reopened.url, scope: run.scopes[label] as string });
    for (const label of PURGED) {
      expect(await sdkOf(label).tasks.list(), label).toEqual([]);
    }
    for (const label of KEPT) {
      expect(await sdkOf(label).tasks.get('t-1'), label).toMatchObject({ id: 't-1' });
    }
    const statuses = Object.fromEntries(run.results.map((r) => [r.title, r.status]));
    expect(statuses).toEqual({
      'a passing test': 'passed',
      'a failing test': 'failed',
      'a test.fails test that fails as expected': 'passed',
      'a test.fails test that passes unexpectedly': 'failed',
      'a test whose onTestFinished hook throws': 'failed',
      'a test that passes on its second attempt': 'passed',
      'a passing test whose held request outlives its client': 'passed',
    });
    const kept = Object.fromEntries(
      run.results.map((r) => [r.title, r.meta.octopoid?.keptScope ?? null]),
    );
    expect(kept).toMatchObject({
      'a passing test': null,
      'a failing test': run.scopes.fail,
      'a test.fails test that fails as expected': null,
      'a test.fails test that passes unexpectedly': run.scopes['fails-but-passed'],
      'a test whose onTestFinished hook throws': run.scopes['hook-throws'],
      'a test that passes on its second attempt': null,
    });
    const failing = run.results.find((r) => r.title === 'a failing test');
    expect(failing?.meta.octopoid?.dashboard).toBe(
      `${server.url}/ui?scope=${encodeURIComponent(run.scopes.fail as string)}`,
    );
    expect(run.output).toContain(
      `kept scope ${run.scopes.fail} of failed test "packages/testing/test/nested/cleanup.suite.ts > failing > a failing test"`,
    );
    expect(run.output).toContain(`curl '${server.url}/api/v1/tasks?scope=${run.scopes.fail}'`);
    expect(run.output).toContain(
      `or open its board: ${server.url}/ui?scope=${encodeURIComponent(run.scopes.fail as string)}`,
    );
    for (const label of PURGED) expect(run.output).not.toContain(`kept scope ${run.scopes[label]}`);
  }, 60_000);

  test('a kept scope’s fault rules and clock are cleared, however they were set', async ({
    onTestFinished,
  }) => {
    const dir = await mkdtemp(join(tmpdir(), 'octopoid-nested-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    await using server = await startTestServer();
    const run = await runNestedSuite(server.url, dir);
    const failed = new OctopoidSDK({ serverUrl: server.url, scope: run.scopes.fail as string });
    expect(await failed.testMode.faults.list()).toEqual([]);
    expect(await failed.testMode.clock.now()).toMatchObject({ offsetMs: 0 });
    expect(await failed.tasks.get('t-1')).toMatchObject({ queue: 'incoming' });
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
    expect(inMemory).toMatch(
      /until this run ends \(set OCTOPOID_KEEP_SERVER=1 or OCTOPOID_TEST_DATABASE/,
    );
    expect(
      keptScopeMessage({ ...kept, data: { until: 'deleted', database: '/tmp/run.db' } }),
    ).toContain(
      `sqlite3 '/tmp/run.db' 'select id, queue, title, version from tasks where scope = '\\''s-1'\\'''`,
    );
    const postgres = { until: 'deleted', database: 'postgres://u@h/db' } as const;
    expect(keptScopeMessage({ ...kept, data: postgres })).toContain("psql 'postgres://u@h/db' -c ");
    const secret = { until: 'deleted', database: 'postgres://u:s3cret@h:5432/db' } as const;
    const masked = keptScopeMessage({ ...kept, data: secret });
    expect(masked).not.toContain('s3cret');
    expect(masked).toContain("psql 'postgres://u@h:5432/db' -c ");
  });
});
