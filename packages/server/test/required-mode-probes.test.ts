import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, type InProcessServer, test } from '@octopoid/testing/vitest';
import { ADMIN_KEY, bearer, machine, withRequiredApp } from './auth-support.js';
import { newTask, type RawResponse, send } from './tasks-support.js';

const VICTIM = 'victim';
const OTHER = 'other';
const UNKNOWN_KEY = `oct_${'0'.repeat(64)}`;

interface Route {
  method: string;
  /** The path under `/api/v1`, its parameters filled in. */
  path: string;
}

/** Every `/api/v1` route of the server's own OpenAPI document, so a new route is probed too. */
async function everyRoute(server: InProcessServer): Promise<Route[]> {
  const document = (await (await server.fetch(new URL('/openapi.json', server.url))).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  return Object.entries(document.paths).flatMap(([path, operations]) =>
    path.startsWith('/api/v1/')
      ? Object.keys(operations).map((method) => ({
          method: method.toUpperCase(),
          path: path
            .slice('/api/v1'.length)
            .replace('{scope}', VICTIM)
            .replace(/\{[^}]+\}/g, 't-1'),
        }))
      : [],
  );
}

/** How a probe presents itself, and the answer it must get. */
interface Probe {
  name: string;
  /**
   * 401 without a valid key; 403 when a valid key meets another scope. A scope's own key on a
   * path naming that scope, with another scope in the query or a header, has sources that
   * disagree among themselves: 400 `scope_mismatch` there.
   */
  status: 401 | 403 | 'mismatch';
  headers: Record<string, string>;
  query?: Record<string, string>;
  /** The JSON body's `scope`, on methods that carry a body. */
  bodyScope?: string;
}

function probes(victimKey: string, otherKey: string): Probe[] {
  return [
    { name: 'no key', status: 401, headers: {}, query: { scope: VICTIM } },
    { name: 'no key, scope in a header', status: 401, headers: { 'x-octopoid-scope': VICTIM } },
    { name: 'an unknown key', status: 401, headers: bearer(UNKNOWN_KEY), query: { scope: VICTIM } },
    {
      name: 'a near miss of the admin key',
      status: 401,
      headers: bearer(`${ADMIN_KEY}0`),
      query: { scope: VICTIM },
    },
    { name: 'not a bearer token', status: 401, headers: { authorization: `Basic ${victimKey}` } },
    {
      name: 'another scope’s key, scope in the query',
      status: 403,
      headers: bearer(otherKey),
      query: { scope: VICTIM },
    },
    {
      name: 'another scope’s key, scope in a header',
      status: 403,
      headers: { ...bearer(otherKey), 'x-octopoid-scope': VICTIM },
    },
    {
      name: 'another scope’s key, scope in the body',
      status: 403,
      headers: bearer(otherKey),
      bodyScope: VICTIM,
    },
    {
      name: 'the key with another scope in the query',
      status: 'mismatch',
      headers: bearer(victimKey),
      query: { scope: OTHER },
    },
    {
      name: 'the key with another scope in a header',
      status: 'mismatch',
      headers: { ...bearer(victimKey), 'x-octopoid-scope': OTHER },
    },
  ];
}

const WITH_BODY = new Set(['POST', 'PUT', 'PATCH']);

function probe(server: InProcessServer, route: Route, p: Probe): Promise<RawResponse> {
  const json = WITH_BODY.has(route.method)
    ? { ...(p.bodyScope ? { scope: p.bodyScope } : {}) }
    : undefined;
  return send(server, route.method, route.path, {
    headers: p.headers,
    ...(p.query ? { query: p.query } : {}),
    ...(json ? { json } : {}),
  });
}

/** What a scope holds, as its key sees it: entity counts, tasks, fault rules and clock. */
async function stateOf(sdk: OctopoidSDK) {
  const summary = await sdk.scopes.get();
  return {
    counts: summary?.counts,
    tasks: await sdk.tasks.list(),
    faults: await sdk.testMode.faults.list(),
    offsetMs: (await sdk.testMode.clock.now()).offsetMs,
  };
}

describe('auth required: every route refuses every way in but the right key', () => {
  test('no key, a wrong key, another scope’s key and scope/key mismatches: 4xx and no change', async () => {
    // In process: every route times every probe, all answered before any socket would matter.
    await withRequiredApp({ testMode: true }, async (server) => {
      const keyOf = async (scope: string) => {
        const admin = server.sdk(scope).withApiKey(ADMIN_KEY);
        const apiKey = (await admin.orchestrators.register(machine('m1'))).api_key as string;
        return { apiKey, sdk: server.sdk(scope).withApiKey(apiKey) };
      };
      const victimKey = await keyOf(VICTIM);
      const otherKey = await keyOf(OTHER);
      const [victim, other] = [victimKey.sdk, otherKey.sdk];
      await victim.tasks.create(newTask('t-1'));
      await other.tasks.create(newTask('t-1'));
      const before = [await stateOf(victim), await stateOf(other)];

      const routes = await everyRoute(server);
      expect(routes.length).toBeGreaterThan(50);
      const cases = probes(victimKey.apiKey, otherKey.apiKey);
      const failures: string[] = [];
      for (const route of routes) {
        for (const p of cases) {
          if (p.bodyScope && !WITH_BODY.has(route.method)) continue;
          const response = await probe(server, route, p);
          const named = (response.body?.details ?? []).map((d: { field?: string }) => d.field);
          const field = p.status === 401 ? 'header.authorization' : undefined;
          const expected =
            p.status === 'mismatch' ? (route.path.includes(VICTIM) ? 400 : 403) : p.status;
          if (
            response.status !== expected ||
            typeof response.body?.error !== 'string' ||
            (field !== undefined && !named.includes(field))
          ) {
            failures.push(`${route.method} ${route.path} with ${p.name}: ${response.status}`);
          }
        }
      }
      expect(failures).toEqual([]);
      expect([await stateOf(victim), await stateOf(other)]).toEqual(before);
    });
  }, 60_000);
});
