import { OctopoidSDK } from '@octopoid/sdk';
import type { ServerOptions } from '@octopoid/server';
import { describe, expect, startPrivateServer, test, waitFor } from '@octopoid/testing/vitest';
import { parseScopeTtl } from '../src/scope-ttl.js';
import { newTask } from './tasks-support.js';

const extraServer = (options: Omit<ServerOptions, 'database'>) =>
  startPrivateServer({ leaseSweepSeconds: 1, ...options });

const namesOn = async (sdk: OctopoidSDK) => (await sdk.scopes.list()).map((s) => s.scope);

describe('scope time-to-live', () => {
  test('an inactive scope matching a rule is purged in the background; others stay', async () => {
    await using server = await extraServer({ scopeTtl: [{ pattern: 'ttl-*', ttlMs: 1_000 }] });
    const client = (scope: string) => new OctopoidSDK({ serverUrl: server.url, scope });
    await client('ttl-run-1').tasks.create(newTask('t-1'));
    await client('kept-run-1').tasks.create(newTask('t-1'));

    const names = await waitFor(
      'the ttl-* scope to be purged',
      () => namesOn(client('observer')),
      (scopes) => !scopes.includes('ttl-run-1'),
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    expect(names).toEqual(['kept-run-1']);
    expect(await client('kept-run-1').tasks.get('t-1')).toMatchObject({ id: 't-1' });
  });

  test("idleness is measured on the scope's own clock: a scope that moved on is purged, a fresh one is not", async () => {
    await using server = await extraServer({
      testMode: true,
      scopeTtl: [{ pattern: 'agent-*', ttlMs: 60 * 60_000 }],
    });
    const idle = new OctopoidSDK({ serverUrl: server.url, scope: 'agent-idle' });
    const busy = idle.withScope('agent-busy');
    await idle.tasks.create(newTask('t-1'));
    await busy.tasks.create(newTask('t-1'));

    await idle.testMode.clock.advance('2h');
    await waitFor(
      'the idle scope to be purged',
      () => idle.scopes.get(),
      (summary) => summary === null,
      { timeoutMs: 15_000, intervalMs: 200 },
    );

    expect((await busy.scopes.get())?.counts.tasks).toBe(1);
  });

  test('rules are checked when the server starts', async () => {
    await expect(extraServer({ scopeTtl: [{ pattern: 'a b', ttlMs: 1_000 }] })).rejects.toThrow(
      /pattern/,
    );
    await expect(extraServer({ scopeTtl: [{ pattern: 'a-*', ttlMs: 0 }] })).rejects.toThrow(
      /ttlMs/,
    );
  });

  test('the CLI form PATTERN=DURATION reads durations like 90s, 30m and 24h', () => {
    expect(parseScopeTtl('test-*=24h')).toEqual({ pattern: 'test-*', ttlMs: 24 * 3_600_000 });
    expect(parseScopeTtl('agent-*=30m')).toEqual({ pattern: 'agent-*', ttlMs: 30 * 60_000 });
    expect(parseScopeTtl('tmp=90s')).toEqual({ pattern: 'tmp', ttlMs: 90_000 });
    expect(() => parseScopeTtl('test-*')).toThrow(/PATTERN=DURATION/);
    expect(() => parseScopeTtl('test-*=soon')).toThrow(/duration/);
    expect(() => parseScopeTtl('test-*=0s')).toThrow(/duration/);
    expect(() => parseScopeTtl('a/b=1h')).toThrow(/pattern/);
  });
});
