/**
 * Property-based fuzzing of every route the OpenAPI document lists: random path parameters,
 * query values, bodies (shaped by each route's schema, laced with hostile values) and headers
 * (scope, key, content type). Whatever arrives, the server answers below 500, every refusal is
 * the one error shape with a validation failure naming its fields, and a refused request leaves
 * the scope exactly as it was. The test-mode routes are left out: their fault rules answer 5xx
 * on purpose.
 */
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import fc from 'fast-check';
import { newTask } from './tasks-support.js';

/** Property runs per route; with 55 routes this is 1,375 requests per backend. */
const RUNS_PER_ROUTE = 25;

type Schema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  properties?: Record<string, Schema>;
  items?: Schema;
  anyOf?: Schema[];
  oneOf?: Schema[];
};
interface Operation {
  parameters?: { name: string; in: string }[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
}

/** Values that have broken servers before: huge, negative, odd text, wrong types. */
const HOSTILE = [
  0,
  -1,
  1.5,
  2_147_483_648,
  -2_147_483_649,
  2 ** 53 + 2,
  1e308,
  '',
  ' ',
  'x'.repeat(5_000),
  '\u0000',
  '\ud800',
  '__proto__',
  'constructor',
  '../../etc/passwd',
  "'; drop table tasks; --",
  '%00',
  '9999999999',
  '1e400',
  true,
  null,
  [],
  {},
  [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]],
  { __proto__: null, nested: { deeper: ['x'] } },
] as const;

/** Text the routes actually use, so some requests get past validation and do work. */
const PLAUSIBLE_TEXT = [
  't-1',
  't-2',
  'p-1',
  '1',
  'incoming',
  'claimed',
  'provisional',
  'done',
  'failed',
  'main',
  'tasks/t-1.md',
  'P1',
  'M',
  'orch-1',
  'agent-1',
  'implement',
  'default',
  'task',
  'lint',
  'passed',
];

const hostile = fc.constantFrom(...HOSTILE);
/** Leases long enough never to expire during the run, so a refusal's before/after compare holds. */
const LEASE_SECONDS = fc.constantFrom(3_600, 0, -1, 604_801, 'x', null);
const text = fc.oneof(fc.constantFrom(...PLAUSIBLE_TEXT), fc.string({ maxLength: 24 }));

class Schemas {
  constructor(private readonly components: Record<string, Schema>) {}

  resolve(schema: Schema | undefined): Schema {
    let current = schema ?? {};
    for (let hops = 0; current.$ref && hops < 10; hops++) {
      current = this.components[current.$ref.split('/').pop() ?? ''] ?? {};
    }
    return current;
  }

  /** A value this schema accepts most of the time, and a hostile one now and then. */
  value(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
    const s = this.resolve(schema);
    const variants = s.anyOf ?? s.oneOf;
    let shaped: fc.Arbitrary<unknown>;
    if (s.enum) shaped = fc.constantFrom(...s.enum);
    else if (variants && depth < 3) {
      shaped = fc.oneof(...variants.map((variant) => this.value(variant, depth + 1)));
    } else {
      const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
      if (type === 'integer') shaped = fc.integer({ min: -2, max: 600 });
      else if (type === 'number') shaped = fc.double({ min: 0, max: 1, noNaN: true });
      else if (type === 'boolean') shaped = fc.boolean();
      else if (type === 'array' && depth < 3) {
        shaped = fc.array(this.value(s.items, depth + 1), { maxLength: 3 });
      } else if (type === 'object' && depth < 3) shaped = this.object(s, depth + 1);
      else shaped = text;
    }
    return fc.oneof({ weight: 4, arbitrary: shaped }, { weight: 1, arbitrary: hostile });
  }

  /** Some of the declared fields, and now and then an undeclared one. */
  object(schema: Schema, depth = 0): fc.Arbitrary<Record<string, unknown>> {
    const fields = Object.entries(this.resolve(schema).properties ?? {});
    const declared = fc.record(
      Object.fromEntries(
        fields.map(([name, field]) => [
          name,
          name === 'lease_duration_seconds' ? LEASE_SECONDS : this.value(field, depth),
        ]),
      ),
      { requiredKeys: [] },
    );
    return fc
      .tuple(declared, fc.dictionary(fc.string({ maxLength: 8 }), hostile, { maxKeys: 1 }))
      .map(([known, extra]) => ({ ...extra, ...known }));
  }
}

interface Route {
  method: string;
  path: string;
  operation: Operation;
}

function routesOf(document: OpenApiDocument): Route[] {
  return Object.entries(document.paths).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
      .filter(() => !path.startsWith('/api/v1/test/'))
      .map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
  );
}

/** Where the request names its scope: the usual places, none, or places that disagree. */
type ScopeSource = 'query' | 'header' | 'body' | 'none' | 'mismatch' | 'invalid';

interface Probe {
  params: Record<string, unknown>;
  query: Record<string, unknown>;
  body: unknown;
  bodyForm: 'json' | 'none' | 'text' | 'malformed';
  scopeSource: ScopeSource;
  authorization: string | undefined;
}

function probes(route: Route, schemas: Schemas): fc.Arbitrary<Probe> {
  const parameters = route.operation.parameters ?? [];
  const named = (where: string) =>
    fc.record(
      Object.fromEntries(
        parameters
          .filter((p) => p.in === where && p.name !== 'scope')
          .map((p) => [p.name, fc.oneof({ weight: 3, arbitrary: text }, hostile)]),
      ),
      { requiredKeys: where === 'path' ? undefined : [] },
    );
  const bodySchema = route.operation.requestBody?.content?.['application/json']?.schema;
  return fc.record({
    params: named('path'),
    query: named('query'),
    body: bodySchema ? schemas.object(bodySchema) : fc.constant(undefined),
    bodyForm: fc.constantFrom('json', 'json', 'json', 'none', 'text', 'malformed'),
    scopeSource: fc.constantFrom('query', 'query', 'header', 'body', 'none', 'mismatch', 'invalid'),
    authorization: fc.option(
      fc.constantFrom('Bearer nonsense', `Bearer oct_${'0'.repeat(64)}`, 'Basic Zm9vOmJhcg==', ''),
    ),
  });
}

const asText = (value: unknown) => (typeof value === 'string' ? value : JSON.stringify(value));

/** Percent-encodes every UTF-8 byte, so any text (a lone surrogate too) makes a path segment. */
const pathSegment = (value: string) =>
  [...new TextEncoder().encode(value)]
    .map((byte) => `%${byte.toString(16).padStart(2, '0')}`)
    .join('');

/** Builds and sends one probe in the given scope; resolves the status and parsed body. */
async function send(serverUrl: string, scope: string, route: Route, probe: Probe) {
  const path = route.path.replace(/\{(\w+)\}/g, (_, name: string) =>
    pathSegment(asText(probe.params[name]) ?? 'x'),
  );
  const url = new URL(path, serverUrl);
  for (const [key, value] of Object.entries(probe.query)) {
    if (value !== undefined) url.searchParams.set(key, asText(value));
  }
  const headers: Record<string, string> = {};
  let body: Record<string, unknown> | undefined =
    probe.body === undefined ? undefined : { ...(probe.body as object) };
  switch (probe.scopeSource) {
    case 'query':
      url.searchParams.set('scope', scope);
      break;
    case 'header':
      headers['x-octopoid-scope'] = scope;
      break;
    case 'body':
      body = { ...body, scope };
      break;
    case 'mismatch':
      url.searchParams.set('scope', scope);
      headers['x-octopoid-scope'] = `${scope}-other`;
      break;
    case 'invalid':
      url.searchParams.set('scope', 'no spaces allowed');
      break;
  }
  if (probe.authorization !== undefined) headers.authorization = probe.authorization;
  let payload: string | undefined;
  if (route.method !== 'GET' && probe.bodyForm !== 'none') {
    headers['content-type'] = probe.bodyForm === 'text' ? 'text/plain' : 'application/json';
    payload = probe.bodyForm === 'malformed' ? '{"a":' : JSON.stringify(body ?? {});
  }
  const response = await fetch(url, {
    method: route.method,
    headers,
    ...(payload === undefined ? {} : { body: payload }),
  });
  const raw = await response.text();
  let parsed: unknown;
  try {
    parsed = raw ? JSON.parse(raw) : undefined;
  } catch {
    parsed = raw;
  }
  return { status: response.status, body: parsed as Record<string, unknown> | undefined };
}

/**
 * Everything a write could change in a scope: its entity counts, latest activity and tasks. The
 * fuzz never claims with a short lease (see `LEASE_SECONDS`), so no lease expires between looks.
 */
async function stateOf(sdk: OctopoidSDK) {
  const summary = await sdk.scopes.get();
  return { summary, tasks: summary ? await sdk.tasks.list({ limit: 500 }) : [] };
}

/** Asserts the one error shape; a validation failure must name at least one field. */
function expectRefusal(answer: { status: number; body: Record<string, unknown> | undefined }) {
  const body = answer.body ?? {};
  expect(typeof body.error, JSON.stringify(body)).toBe('string');
  expect(typeof body.code, JSON.stringify(body)).toBe('string');
  if (body.code === 'validation_failed') {
    const details = body.details as { field?: unknown }[] | undefined;
    expect(details?.length, JSON.stringify(body)).toBeGreaterThan(0);
    for (const detail of details ?? []) expect(typeof detail.field).toBe('string');
  }
}

describe('fuzzing every route', () => {
  test('no input gets a 5xx, every refusal names its fields, and a refusal writes nothing', {
    timeout: 300_000,
  }, async ({ scopedSdk: sdk, serverUrl }) => {
    const document = (await (
      await fetch(new URL('/openapi.json', serverUrl))
    ).json()) as OpenApiDocument;
    const schemas = new Schemas(document.components?.schemas ?? {});
    const routes = routesOf(document);
    expect(routes.length).toBeGreaterThan(40);
    const scope = sdk.scope as string;
    await sdk.tasks.create(newTask('t-1', { hooks: [{ name: 'lint' }] }));
    await sdk.tasks.create(newTask('t-2'));
    await sdk.projects.create({ id: 'p-1', title: 'P', branch: 'main' });

    const statuses = new Map<number, number>();
    // The state after a refusal is the state before the next request; only a success moves it.
    let known: Awaited<ReturnType<typeof stateOf>> | undefined;
    for (const route of routes) {
      await fc.assert(
        fc.asyncProperty(probes(route, schemas), async (probe) => {
          const before = known ?? (await stateOf(sdk));
          known = undefined;
          const answer = await send(serverUrl, scope, route, probe);
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          expect(
            answer.status,
            `${route.method} ${route.path}: ${JSON.stringify(answer.body)}`,
          ).toBeLessThan(500);
          if (answer.status >= 400) {
            expectRefusal(answer);
            const after = await stateOf(sdk);
            expect(after, `${route.method} ${route.path} refused`).toEqual(before);
            known = after;
          }
        }),
        { numRuns: RUNS_PER_ROUTE },
      );
    }
    const total = [...statuses.values()].reduce((a, b) => a + b, 0);
    const succeeded = [...statuses].filter(([s]) => s < 300).reduce((a, [, n]) => a + n, 0);
    expect(total).toBe(routes.length * RUNS_PER_ROUTE);
    // Not every probe is refused: the fuzz reaches the routes' work, not only their validation.
    expect(succeeded).toBeGreaterThan(total / 20);
  });
});
