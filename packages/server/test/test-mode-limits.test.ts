import {
  jsonBytes,
  MAX_FAULT_BODY_BYTES,
  MAX_FAULT_MATCH_PATH_LENGTH,
  MAX_FAULT_PATTERN_LENGTH,
  MAX_FAULT_PATTERN_SIZE,
  MAX_FAULT_PATTERN_SIZE_PER_SCOPE,
  MAX_FAULT_RULE_BYTES,
  MAX_FAULT_RULE_BYTES_PER_SCOPE,
  MAX_FAULT_RULES_PER_SCOPE,
} from '@octopoid/api';
import { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startPrivateServer, test } from '@octopoid/testing/vitest';
import { claimant, expectError, expectSdkError, newTask, send } from './tasks-support.js';

const TEN_YEARS = '3650d';

describe('test mode cannot hurt other tenants', () => {
  test('a catastrophic-backtracking pattern is matched in linear time', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    // With a backtracking engine, `(a+)+b` against 400 a's never finishes; RE2 answers at once.
    await scope.faults.add({ path: /(a+)+b/, status: 503 });
    const path = `/tasks/${'a'.repeat(400)}`;
    expectError(
      await send(serverUrl, 'GET', path, { query: { scope: scope.name } }),
      404,
      'not_found',
    );
    const faulted = await send(serverUrl, 'GET', `${path}b`, { query: { scope: scope.name } });
    expect(faulted.status).toBe(503);
    expect(await sdk.tasks.list()).toEqual([]);
  });

  test.for([
    ['a back-reference', '(a)\\1'],
    ['a look-ahead', 'tasks(?=/t-1)'],
    ['a look-behind', '(?<=tasks/)t-1'],
    ['an unclosed group', '('],
    ['a counted repetition past the program size', `a{${MAX_FAULT_PATTERN_SIZE}}[QZ]`],
    ['nested repetitions', '(?:(?:a|b){16}){16}'],
    ['more characters than allowed', 'a'.repeat(MAX_FAULT_PATTERN_LENGTH + 1)],
  ])(
    'a pattern with %s is refused with 400 naming pathRegex',
    async ([, pathRegex], { serverUrl, scope }) => {
      const response = await send(serverUrl, 'POST', '/test/faults', {
        query: { scope: scope.name },
        json: { pathRegex, status: 503 },
      });
      expectError(response, 400, 'validation_failed', 'pathRegex');
      expect(await scope.faults.list()).toEqual([]);
    },
  );

  test('RE2 syntax that JavaScript lacks, like (?i), is accepted', async ({
    scopedSdk: sdk,
    scope,
    serverUrl,
  }) => {
    // JavaScript's RegExp refuses `(?i)`, so the rule is sent as the wire's pathRegex string.
    const added = await send(serverUrl, 'POST', '/test/faults', {
      query: { scope: scope.name },
      json: { pathRegex: '(?i)/API/V1/TASKS$', status: 503 },
    });
    expect(added.status).toBe(201);
    await expectSdkError(sdk.tasks.list(), 503, 'service_unavailable', 'fault');
  });

  test('a path pattern is not tested against a path longer than the bound', async ({
    scope,
    serverUrl,
  }) => {
    await scope.faults.add({ path: /a$/, status: 503 });
    const path = (length: number) => `/tasks/${'a'.repeat(length - '/api/v1/tasks/'.length)}`;
    const query = { scope: scope.name };
    const atBound = await send(serverUrl, 'GET', path(MAX_FAULT_MATCH_PATH_LENGTH), { query });
    expect(atBound.status).toBe(503);
    const past = await send(serverUrl, 'GET', path(MAX_FAULT_MATCH_PATH_LENGTH + 1), { query });
    expectError(past, 404, 'not_found');
  });

  test('a scope’s path patterns together are bounded; the next is a 409 naming faults', async ({
    scope,
    serverUrl,
  }) => {
    // `a{n}` compiles to n + 2 RE2 instructions: the pattern is as large as one may be.
    const pathRegex = `a{${MAX_FAULT_PATTERN_SIZE - 2}}`;
    const path = new RegExp(pathRegex);
    const fits = Math.floor(MAX_FAULT_PATTERN_SIZE_PER_SCOPE / MAX_FAULT_PATTERN_SIZE);
    for (let i = 0; i < fits; i++) await scope.faults.add({ path, status: 503 });
    const response = await send(serverUrl, 'POST', '/test/faults', {
      query: { scope: scope.name },
      json: { pathRegex, status: 503 },
    });
    expectError(response, 409, 'conflict', 'faults');
    expect(await scope.faults.list()).toHaveLength(fits);
  });

  test('a scope clock runs at most 100 years ahead; the refused advance changes nothing', async ({
    scope,
  }) => {
    for (let i = 0; i < 10; i++) await scope.clock.advance(TEN_YEARS);
    const before = await scope.clock.now();
    await expectSdkError(scope.clock.advance(TEN_YEARS), 400, 'validation_failed', 'advance');
    expect((await scope.clock.now()).offsetMs).toBe(before.offsetMs);
    expect(before.now).toMatch(/^2\d{3}-/);
    await scope.clock.reset();
    expect((await scope.clock.advance('1m')).offsetMs).toBe(60_000);
  });

  test('a lease still expires on a clock moved to its limit', async ({ scopedSdk: sdk, scope }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim({ ...claimant, lease_duration_seconds: 60 });
    for (let i = 0; i < 10; i++) await scope.clock.advance(TEN_YEARS);
    expect((await sdk.tasks.get('t-1'))?.queue).toBe('incoming');
  });

  test('a scope holds at most the allowed number of fault rules', async ({ scope, serverUrl }) => {
    for (let i = 0; i < MAX_FAULT_RULES_PER_SCOPE; i++) {
      await scope.faults.add({ path: `/api/v1/never/${i}`, status: 503 });
    }
    const response = await send(serverUrl, 'POST', '/test/faults', {
      query: { scope: scope.name },
      json: { status: 503 },
    });
    expectError(response, 409, 'conflict', 'faults');
    expect(await scope.faults.list()).toHaveLength(MAX_FAULT_RULES_PER_SCOPE);
    expect(await scope.faults.clear()).toBe(MAX_FAULT_RULES_PER_SCOPE);
    await expect(scope.faults.add({ status: 503, path: '/api/v1/never' })).resolves.toMatchObject({
      status: 503,
    });
  });

  test('a fault body larger than the limit is refused with 400 naming body', async ({
    scopedSdk: sdk,
    scope,
  }) => {
    await expectSdkError(
      scope.faults.add({ status: 503, body: 'x'.repeat(MAX_FAULT_BODY_BYTES) }),
      400,
      'validation_failed',
      'body',
    );
    expect(await scope.faults.list()).toEqual([]);
    await expect(sdk.tasks.list()).resolves.toEqual([]);
  });

  test('one client filling the server with fault rules across many scopes cannot deny another scope its rules', {
    timeout: 120_000,
  }, async () => {
    // A server of its own: filling the run's server would free other tests' rules.
    await using server = await startPrivateServer({ testMode: true });
    const client = (scope: string) => new OctopoidSDK({ serverUrl: server.url, scope }).testMode;
    // No path pattern: the rule's counted size is exactly its JSON text.
    const rule = {
      status: 503,
      method: 'DELETE' as const,
      body: 'x'.repeat(MAX_FAULT_BODY_BYTES - 64),
    };
    const bytes = jsonBytes(await client('probe').faults.add(rule));
    await client('probe').faults.clear();
    const perScope = Math.floor(MAX_FAULT_RULE_BYTES_PER_SCOPE / bytes);
    const hogs = Array.from(
      { length: Math.floor(MAX_FAULT_RULE_BYTES / (perScope * bytes)) },
      (_, i) => `hog-${i}`,
    );
    for (const hog of hogs) {
      for (let i = 0; i < perScope; i++) await client(hog).faults.add(rule);
    }
    // A full scope is refused, naming the scope's own budget.
    const full = await send(server.url, 'POST', '/test/faults', {
      query: { scope: 'hog-0' },
      json: rule,
    });
    expectError(full, 409, 'conflict', 'faults');
    // The server is full, yet another scope gets its rules: the least recently used scope's are freed.
    const tenant = client('tenant');
    for (let i = 0; i < perScope; i++) await tenant.faults.add(rule);
    expect(await tenant.faults.list()).toHaveLength(perScope);
    expect(await client('hog-0').faults.list()).toEqual([]);
    expect(await client(hogs.at(-1) as string).faults.list()).toHaveLength(perScope);
  });
});
