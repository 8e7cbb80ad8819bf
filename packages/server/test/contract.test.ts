/**
 * The OpenAPI document is a contract: every route it lists is called against the real server
 * (`ROUTE_CALLS` in ./contract-calls.ts says how), and every answer must be a status the
 * document lists for that route, with a body its schema accepts.
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { type ProbeRequest, ROUTE_CALLS, type RouteProbe } from './contract-calls.js';

interface MediaType {
  schema?: unknown;
}
interface Operation {
  parameters?: { name: string; in: string; schema?: unknown }[];
  requestBody?: unknown;
  responses: Record<string, { content?: Record<string, MediaType> }>;
}
interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, unknown> };
}

const HTTP_METHODS = new Set(['get', 'put', 'post', 'delete', 'patch']);
const API_PREFIX = '/api/v1/';
/** `{name}` in a route's path. */
const PATH_PARAMETER = /\{(\w+)\}/g;
/** Path parameters of routes exercised generically, where only the middleware's answer counts. */
const PLACEHOLDER_ID = '1';
/** The components' `$id`: `#/components/schemas/X` references become `<id>#/$defs/X`. */
const COMPONENTS_ID = 'urn:octopoid:openapi:components';

/** The document of one server, its routes by `METHOD /path`, and validators of its responses. */
class Contract {
  readonly routes = new Map<string, Operation>();
  readonly #ajv = new Ajv2020({ allErrors: true, allowUnionTypes: true });
  readonly #validators = new Map<string, ValidateFunction>();

  constructor(document: OpenApiDocument) {
    for (const [path, item] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(item)) {
        if (HTTP_METHODS.has(method)) this.routes.set(`${method.toUpperCase()} ${path}`, operation);
      }
    }
    addFormats.default(this.#ajv);
    // OpenAPI 3.1 keywords that are not JSON Schema's; they annotate and never validate.
    this.#ajv.addVocabulary(['example', 'discriminator', 'xml', 'externalDocs']);
    this.#ajv.addSchema({
      $id: COMPONENTS_ID,
      $defs: referencingComponents(document.components?.schemas ?? {}),
    });
  }

  /** Fails unless the document lists `status` and `contentType` for the route and `body` fits. */
  check(route: string, status: number, contentType: string, body: unknown): void {
    const responses = this.routes.get(route)?.responses ?? {};
    const media = responses[String(status)]?.content;
    expect(media, `${route} answered ${status}, which the document does not list`).toBeDefined();
    expect(
      Object.keys(media ?? {}),
      `${route} answered ${status} as ${contentType}, which the document does not list`,
    ).toContain(contentType);
    const key = `${route} ${status} ${contentType}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      validate = this.#ajv.compile(referencingComponents(media?.[contentType]?.schema ?? {}));
      this.#validators.set(key, validate);
    }
    if (!validate(body)) {
      const problems = this.#ajv.errorsText(validate.errors, { dataVar: 'body' });
      expect.fail(
        `${route} ${status}: the body breaks the document's schema: ${problems}\n` +
          JSON.stringify(body, null, 2).slice(0, 2000),
      );
    }
  }
}

function referencingComponents<T>(schema: T): T {
  const text = JSON.stringify(schema).replaceAll(
    '"#/components/schemas/',
    `"${COMPONENTS_ID}#/$defs/`,
  );
  return JSON.parse(text) as T;
}

const contracts = new Map<string, Promise<Contract>>();
/** The contract of the run's server, read once per test file. */
function contractOf(serverUrl: string): Promise<Contract> {
  let contract = contracts.get(serverUrl);
  if (!contract) {
    contract = fetch(new URL('/openapi.json', serverUrl))
      .then((response) => response.json() as Promise<OpenApiDocument>)
      .then((document) => new Contract(document));
    contracts.set(serverUrl, contract);
  }
  return contract;
}

/** Sends `request` to the route, checks the answer against the contract, returns the body. */
async function exchange(
  contract: Contract,
  serverUrl: string,
  scope: string,
  route: string,
  request: ProbeRequest,
): Promise<{ status: number; body: unknown }> {
  const [method = '', template = ''] = route.split(' ');
  const path = template.replace(PATH_PARAMETER, (_, name: string) => {
    const value = request.params?.[name];
    if (value === undefined) throw new Error(`${route}: no value for path parameter ${name}`);
    return encodeURIComponent(String(value));
  });
  const url = new URL(path, request.serverUrl ?? serverUrl);
  for (const [name, value] of Object.entries(request.query ?? {})) {
    url.searchParams.set(name, String(value));
  }
  const requestScope = request.scope === undefined ? scope : request.scope;
  if (requestScope !== null && template.startsWith(API_PREFIX)) {
    url.searchParams.set('scope', requestScope);
  }
  const headers = new Headers(request.headers);
  let body: string | undefined;
  if (request.rawBody !== undefined) body = request.rawBody;
  else if (request.body !== undefined) {
    body = JSON.stringify(request.body);
    headers.set('content-type', 'application/json');
  }
  const answer =
    request.announcedBodyBytes === undefined
      ? await fetchAnswer(url, method, headers, body)
      : await answerToHeaders(url, method, headers, request.announcedBodyBytes);
  const contentType = answer.contentType.split(';')[0]?.trim() ?? '';
  const parsed: unknown =
    contentType === 'application/json' ? JSON.parse(answer.text) : answer.text;
  contract.check(route, answer.status, contentType, parsed);
  return { status: answer.status, body: parsed };
}

interface RawAnswer {
  status: number;
  contentType: string;
  text: string;
}

async function fetchAnswer(
  url: URL,
  method: string,
  headers: Headers,
  body: string | undefined,
): Promise<RawAnswer> {
  const response = await fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  const text = await response.text();
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', text };
}

/** Sends only the headers of a request announcing `bodyBytes`, reads the answer, then hangs up. */
function answerToHeaders(
  url: URL,
  method: string,
  headers: Headers,
  bodyBytes: number,
): Promise<RawAnswer> {
  const plainHeaders: Record<string, string> = { 'content-length': String(bodyBytes) };
  headers.forEach((value, name) => {
    plainHeaders[name] = value;
  });
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(url, { method, headers: plainHeaders });
    outgoing.on('error', reject);
    outgoing.on('response', (incoming) => {
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('error', reject);
      incoming.on('end', () => {
        outgoing.destroy();
        resolve({
          status: incoming.statusCode ?? 0,
          contentType: incoming.headers['content-type'] ?? '',
          text: Buffer.concat(chunks).toString('utf8'),
        });
      });
    });
    outgoing.flushHeaders();
  });
}

const isError = (status: number) => status >= 400;

describe('the OpenAPI document', () => {
  test('lists no route that the contract table cannot call', async ({ serverUrl }) => {
    const contract = await contractOf(serverUrl);
    const missing = [...contract.routes.keys()].filter((route) => !(route in ROUTE_CALLS));
    expect(
      missing,
      `add to ROUTE_CALLS in packages/server/test/contract-calls.ts how to call: ${missing.join(', ')}`,
    ).toEqual([]);
  });

  test('declares the bearer API key on every /api/v1 route, and never on the others', async ({
    serverUrl,
  }) => {
    const document = await (await fetch(new URL('/openapi.json', serverUrl))).json();
    expect(document.components.securitySchemes.apiKey).toMatchObject({
      type: 'http',
      scheme: 'bearer',
    });
    const mismatched: string[] = [];
    for (const [path, item] of Object.entries<Record<string, { security?: unknown }>>(
      document.paths,
    )) {
      for (const [method, operation] of Object.entries(item)) {
        const declared = JSON.stringify(operation.security ?? null);
        const expected = path.startsWith('/api/v1/')
          ? JSON.stringify([{ apiKey: [] }, {}])
          : 'null';
        if (declared !== expected) mismatched.push(`${method.toUpperCase()} ${path}: ${declared}`);
      }
    }
    expect(mismatched).toEqual([]);
  });

  test('gives every route a schema for each path parameter and each response', async ({
    serverUrl,
  }) => {
    const contract = await contractOf(serverUrl);
    const gaps: string[] = [];
    for (const [route, operation] of contract.routes) {
      for (const [, name] of route.matchAll(PATH_PARAMETER)) {
        const parameter = operation.parameters?.find((p) => p.in === 'path' && p.name === name);
        if (!parameter?.schema) gaps.push(`${route}: path parameter ${name}`);
      }
      for (const [status, response] of Object.entries(operation.responses)) {
        const media = Object.values(response.content ?? {});
        if (media.length === 0 || media.some((m) => !m.schema)) gaps.push(`${route}: ${status}`);
      }
    }
    expect(gaps).toEqual([]);
  });

  test.for(Object.keys(ROUTE_CALLS))(
    '%s answers as the document says',
    async (route, { serverUrl, scopedSdk }) => {
      const contract = await contractOf(serverUrl);
      expect(contract.routes.has(route), `${route} is in ROUTE_CALLS but not in the document`).toBe(
        true,
      );
      const statuses: number[] = [];
      const probe: RouteProbe = {
        async expect(status, request = {}) {
          const scope = scopedSdk.scope as string;
          const answer = await exchange(contract, serverUrl, scope, route, request);
          statuses.push(answer.status);
          expect(answer.status, `${route}: ${JSON.stringify(answer.body)}`).toBe(status);
          return answer.body;
        },
      };
      await ROUTE_CALLS[route]?.(probe, scopedSdk);

      expect(
        statuses.some((s) => !isError(s)),
        `${route}: call it once successfully`,
      ).toBe(true);
      const documentedErrors = Object.keys(contract.routes.get(route)?.responses ?? {})
        .map(Number)
        .filter(isError);
      if (documentedErrors.length > 0) {
        expect(statuses.some(isError), `${route}: make it answer one of its errors`).toBe(true);
      }
    },
  );
});

/**
 * Sends `request` to every route of the document that `filter` keeps, path parameters filled
 * with placeholders (the scope's own name for `{scope}`); resolves each route's status.
 */
async function answersOfEveryRoute(
  serverUrl: string,
  scope: string,
  filter: (route: string, operation: Operation) => boolean,
  request: ProbeRequest,
): Promise<Record<string, number>> {
  const contract = await contractOf(serverUrl);
  const routes = [...contract.routes].filter(([route, operation]) => filter(route, operation));
  const answers = await Promise.all(
    routes.map(async ([route]) => {
      const params = Object.fromEntries(
        [...route.matchAll(PATH_PARAMETER)].map(([, name]) => [
          name,
          name === 'scope' ? scope : PLACEHOLDER_ID,
        ]),
      );
      const answer = await exchange(contract, serverUrl, scope, route, { params, ...request });
      return [route, answer.status] as const;
    }),
  );
  return Object.fromEntries(answers);
}

/** `answers` with every status replaced by `status`: what a passing run looks like. */
const all = (answers: Record<string, number>, status: number) =>
  Object.fromEntries(Object.keys(answers).map((route) => [route, status]));

const takesBody = (_route: string, operation: Operation) => operation.requestBody !== undefined;
const underApi = (route: string) => route.split(' ')[1]?.startsWith(API_PREFIX) ?? false;
/** The one `/api/v1` route served without a scope, so no key's scope can disagree with it. */
const SCOPE_LIST = 'GET /api/v1/scopes';

describe('errors answered before any route runs are documented for every route', () => {
  test('every route taking a body answers 413 to a body over the limit', async ({
    serverUrl,
    scopedSdk,
  }) => {
    const answers = await answersOfEveryRoute(serverUrl, scopedSdk.scope as string, takesBody, {
      announcedBodyBytes: 1024 * 1024 + 16,
      headers: { 'content-type': 'application/json' },
    });
    expect(answers).toEqual(all(answers, 413));
  });

  test('every route taking a body answers 415 to a body that is not JSON', async ({
    serverUrl,
    scopedSdk,
  }) => {
    const answers = await answersOfEveryRoute(serverUrl, scopedSdk.scope as string, takesBody, {
      rawBody: 'a=1',
      headers: { 'content-type': 'text/plain' },
    });
    expect(answers).toEqual(all(answers, 415));
  });

  test('every /api/v1 route answers 401 to an API key the server does not know', async ({
    serverUrl,
    scopedSdk,
  }) => {
    const answers = await answersOfEveryRoute(serverUrl, scopedSdk.scope as string, underApi, {
      headers: { authorization: `Bearer oct_${'0'.repeat(64)}` },
    });
    expect(answers).toEqual(all(answers, 401));
  });

  test('every scoped /api/v1 route answers 403 to a key of another scope', async ({
    serverUrl,
    scopedSdk,
  }) => {
    const { api_key } = await scopedSdk.orchestrators.register({
      cluster: 'contract',
      machine_id: 'm-1',
      repo_url: 'https://example.com/repo.git',
    });
    const scoped = (route: string) => underApi(route) && route !== SCOPE_LIST;
    const answers = await answersOfEveryRoute(serverUrl, `${scopedSdk.scope}-other`, scoped, {
      headers: { authorization: `Bearer ${api_key}` },
    });
    expect(answers).toEqual(all(answers, 403));
  });
});
