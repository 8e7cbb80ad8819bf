import { MAX_INT, MAX_LIST_LENGTH } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, test } from '@octopoid/testing/vitest';
import { bearer, registerFirst } from './auth-support.js';
import { inProcessServerOfFile } from './in-process-support.js';
import { siblingScope } from './scopes-support.js';
import {
  claimant,
  events,
  expectError,
  mustGet,
  newTask,
  type RawResponse,
  send,
  snapshot,
} from './tasks-support.js';

// Refusals are answered by the middleware and the routes' validation: the tests that send raw
// requests go to an in-process server of this file on the project's backend, each on a fresh
// scope; the rest use the run's server.
const { server, freshSdk } = inProcessServerOfFile('input-bounds');

/** `[[[…]]]` nested `depth` times, built as text: a JavaScript value that deep could not be sent. */
const nestedArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

/** One write route per resource, each with a body it would otherwise accept. */
const WRITE_ROUTES: [method: string, path: string, body: Record<string, unknown>][] = [
  ['POST', '/orchestrators/register', { cluster: 'c', machine_id: 'm' }],
  ['POST', '/tasks', newTask('t-new')],
  ['PATCH', '/tasks/t-1', { title: 'renamed' }],
  ['POST', '/tasks/claim', claimant],
  ['POST', '/roles/register', { orchestrator_id: 'c-m', roles: [{ name: 'implement' }] }],
  ['PUT', '/flows/f', { states: ['incoming', 'done'] }],
  ['POST', '/projects', { id: 'p-1', title: 'P' }],
  ['POST', '/drafts', { title: 'D', author: 'me' }],
  ['POST', '/messages', { task_id: 't-1', from_actor: 'a', to_actor: 'b', type: 'note' }],
  ['POST', '/actions', { entity_type: 'task', entity_id: 't-1', label: 'L' }],
];

const scopeOf = (sdk: OctopoidSDK) => ({ scope: sdk.scope as string });

/** What a refused request must leave untouched: the scope's entity counts and its tasks. */
async function state(sdk: OctopoidSDK) {
  return { scope: (await sdk.scopes.get())?.counts, tasks: await snapshot(sdk) };
}

function expectFieldStartingWith(response: RawResponse, prefix: string) {
  expectError(response, 400, 'validation_failed');
  const fields: string[] = response.body.details.map((d: { field: string }) => d.field);
  expect(
    fields.some((field) => field.startsWith(prefix)),
    fields.join(', '),
  ).toBe(true);
}

describe('deeply nested JSON', () => {
  test('8,000 nested arrays are a 400 naming the field on every write route, without a key', async () => {
    const sdk = freshSdk();
    await sdk.tasks.create(newTask('t-1'));
    const before = await state(sdk);
    for (const [method, path, body] of WRITE_ROUTES) {
      const raw = `${JSON.stringify(body).slice(0, -1)},"x":${nestedArrays(8000)}}`;
      const response = await send(server(), method, path, {
        query: scopeOf(sdk),
        raw,
        contentType: 'application/json',
      });
      expectFieldStartingWith(response, 'x.0.0.0');
      expect(response.body.details[0].reason).toBe('nests deeper than 32 levels');
    }
    expect(await state(sdk)).toEqual(before);
  });

  test('JSON text nested too deeply inside a text field is a 400 naming that field', async () => {
    const sdk = freshSdk();
    const response = await send(server(), 'POST', '/tasks', {
      query: scopeOf(sdk),
      json: newTask('t-1', { flow_overrides: `{"a":${nestedArrays(8000)}}` }),
    });
    expectError(response, 400, 'validation_failed', 'flow_overrides');
    expect(await sdk.tasks.list()).toEqual([]);
  });

  test('nesting up to the limit is stored as given', async ({ scopedSdk: sdk }) => {
    let deep: unknown = 'leaf';
    // The body, flow_overrides and 30 arrays: 32 levels.
    for (let level = 0; level < 30; level++) deep = [deep];
    await sdk.tasks.create(newTask('t-1', { flow_overrides: { deep } }));
    expect((await mustGet(sdk, 't-1')).flow_overrides).toBe(JSON.stringify({ deep }));
  });
});

describe('lists are bounded', () => {
  test('registering more roles than the limit is a 400 naming roles, on both backends', async () => {
    const sdk = freshSdk();
    const { apiKey, keyed } = await registerFirst(sdk);
    for (const count of [5_462, 11_000]) {
      const roles = Array.from({ length: count }, (_, i) => ({ name: `role-${i}` }));
      const response = await send(server(), 'POST', '/roles/register', {
        headers: bearer(apiKey),
        json: { orchestrator_id: 'prod-m1', roles },
      });
      expectError(response, 400, 'validation_failed', 'roles');
    }
    expect(await keyed.roles.list()).toEqual([]);
    const roles = Array.from({ length: MAX_LIST_LENGTH }, (_, i) => ({ name: `role-${i}` }));
    expect(await keyed.roles.register({ orchestrator_id: 'prod-m1', roles })).toHaveLength(
      MAX_LIST_LENGTH,
    );
  });

  test('a claim filtering by 40,000 types is a 400 naming type_filter; the task stays put', async () => {
    const sdk = freshSdk();
    await sdk.tasks.create(newTask('t-1', { type: 'code' }));
    const types = Array.from({ length: 40_000 }, (_, i) => `t${i}`);
    const response = await send(server(), 'POST', '/tasks/claim', {
      query: scopeOf(sdk),
      json: { ...claimant, type_filter: types },
    });
    expectError(response, 400, 'validation_failed', 'type_filter');
    const allowed = [...types.slice(0, MAX_LIST_LENGTH - 1), 'code'];
    expect(await sdk.tasks.claim({ ...claimant, type_filter: allowed })).toMatchObject({
      id: 't-1',
    });
  });

  test('a query listing more values than the limit is a 400 naming it, on every list route', async () => {
    const sdk = freshSdk();
    const values = Array.from({ length: MAX_LIST_LENGTH + 1 }, (_, i) => `v${i}`).join(',');
    const commaLists: [string, string][] = [
      ['/tasks', 'queue'],
      ['/tasks', 'priority'],
      ['/tasks', 'role'],
      ['/tasks', 'fields'],
      ['/tasks', 'omit'],
      ['/orchestrators', 'status'],
    ];
    for (const [route, parameter] of commaLists) {
      const response = await send(server(), 'GET', route, {
        query: { ...scopeOf(sdk), [parameter]: values },
      });
      expectError(response, 400, 'validation_failed', `query.${parameter}`);
    }
  });
});

describe('integers stay within their column on both backends', () => {
  test('2^31 is a 400 naming the field; 2^31-1 is stored and read back', async () => {
    const sdk = freshSdk();
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const before = await state(sdk);
    const tooBig = MAX_INT + 1;
    const refused: [string, string, object, string][] = [
      ['PATCH', '/tasks/t-1', { pr_number: tooBig }, 'pr_number'],
      ['PATCH', '/tasks/t-1', { turns_used: tooBig }, 'turns_used'],
      ['PATCH', '/tasks/t-1', { version: tooBig }, 'version'],
      ['POST', '/tasks/t-1/submit', { commits_count: tooBig, turns_used: 1 }, 'commits_count'],
      ['POST', '/tasks/t-1/submit', { commits_count: 1, turns_used: 1e300 }, 'turns_used'],
      ['POST', '/tasks/claim', { ...claimant, max_claimed: tooBig }, 'max_claimed'],
    ];
    for (const [method, path, json, field] of refused) {
      expectError(
        await send(server(), method, path, { query: scopeOf(sdk), json }),
        400,
        'validation_failed',
        field,
      );
    }
    for (const path of ['/drafts/9999999999', '/drafts/2147483648']) {
      const response = await send(server(), 'GET', path, { query: scopeOf(sdk) });
      expectError(response, 400, 'validation_failed', 'path.id');
    }
    const paging = await send(server(), 'GET', '/tasks', {
      query: { ...scopeOf(sdk), offset: '100000000000000000000' },
    });
    expectError(paging, 400, 'validation_failed', 'query.offset');
    expect(await state(sdk)).toEqual(before);

    await sdk.tasks.update('t-1', { pr_number: MAX_INT, turns_used: MAX_INT });
    expect(await mustGet(sdk, 't-1')).toMatchObject({ pr_number: MAX_INT, turns_used: MAX_INT });
    const missing = await send(server(), 'GET', `/drafts/${MAX_INT}`, { query: scopeOf(sdk) });
    expectError(missing, 404, 'not_found');
  });
});

describe('input is stored as given or refused', () => {
  test('a __proto__ key is a 400 naming it, wherever JSON objects are accepted', async () => {
    const sdk = freshSdk();
    await sdk.tasks.create(newTask('t-1'));
    const before = await state(sdk);
    const proto = '{"__proto__":{"polluted":1}}';
    const refused: [string, string, string, string][] = [
      [
        'POST',
        '/orchestrators/register',
        `{"cluster":"c","machine_id":"m","capabilities":${proto}}`,
        'capabilities.__proto__',
      ],
      [
        'POST',
        '/actions',
        `{"entity_type":"task","entity_id":"t-1","label":"L","metadata":${proto}}`,
        'metadata.__proto__',
      ],
      [
        'POST',
        '/actions',
        `{"entity_type":"task","entity_id":"t-1","label":"L","action_data":${proto}}`,
        'action_data.__proto__',
      ],
      ['PATCH', '/tasks/t-1', `{"flow_overrides":${proto}}`, 'flow_overrides.__proto__'],
      [
        'PUT',
        '/flows/f',
        '{"states":["incoming","done"],"transitions":[{"from":"incoming","to":"done","__proto__":{}}]}',
        'transitions.0.__proto__',
      ],
      ['POST', '/tasks', '{"__proto__":{"id":"t-2"}}', '__proto__'],
    ];
    for (const [method, path, raw, field] of refused) {
      const response = await send(server(), method, path, {
        query: scopeOf(sdk),
        raw,
        contentType: 'application/json',
      });
      expectError(response, 400, 'validation_failed', field);
    }
    expect(await state(sdk)).toEqual(before);
    expect(await sdk.orchestrators.list()).toEqual([]);
  });

  test('keys named like other Object.prototype members are stored as given', async ({
    scopedSdk: sdk,
  }) => {
    const overrides = { constructor: 1, toString: 'x', hasOwnProperty: [] };
    await sdk.tasks.create(newTask('t-1', { flow_overrides: overrides }));
    expect(JSON.parse((await mustGet(sdk, 't-1')).flow_overrides ?? '')).toEqual(overrides);
  });

  test('a queue named __proto__ is counted by the poll', async ({ scopedSdk: sdk }) => {
    await sdk.flows.register('odd', { states: ['incoming', '__proto__', 'done'] });
    await sdk.tasks.create(newTask('t-1', { flow: 'odd', queue: '__proto__' }));
    const poll = await sdk.scheduler.poll();
    expect(Object.entries(poll.queue_counts)).toContainEqual(['__proto__', 1]);
  });

  test('a lone surrogate, which storage would replace, is a 400 naming the field', async () => {
    const sdk = freshSdk();
    for (const raw of [
      '{"id":"t-1","file_path":"a.md","branch":"main","title":"\\ud800"}',
      '{"id":"t-1","file_path":"a.md","branch":"main","flow_overrides":{"\\udc00":1}}',
    ]) {
      const response = await send(server(), 'POST', '/tasks', {
        query: scopeOf(sdk),
        raw,
        contentType: 'application/json',
      });
      expectFieldStartingWith(response, raw.includes('title') ? 'title' : 'flow_overrides.');
    }
    await sdk.tasks.create(newTask('t-1', { title: 'emoji \u{1F600} stays' }));
    expect((await mustGet(sdk, 't-1')).title).toBe('emoji \u{1F600} stays');
    expect(await sdk.tasks.list()).toHaveLength(1);
  });

  test('a number JSON cannot keep exactly is a 400 naming the field', async () => {
    const sdk = freshSdk();
    for (const [value, field] of [
      ['12345678901234567890', 'flow_overrides.n'],
      ['1e400', 'flow_overrides.n'],
    ] as const) {
      const response = await send(server(), 'POST', '/tasks', {
        query: scopeOf(sdk),
        raw: `{"id":"t-1","file_path":"a.md","branch":"main","flow_overrides":{"n":${value}}}`,
        contentType: 'application/json',
      });
      expectError(response, 400, 'validation_failed', field);
    }
    expect(await sdk.tasks.list()).toEqual([]);
  });
});

describe('task history ids', () => {
  test('number each task’s entries from 1, whatever other scopes write in between', async ({
    scopedSdk: sdk,
  }) => {
    const other = siblingScope(sdk, 'other');
    await sdk.tasks.create(newTask('t-1'));
    await other.tasks.create(newTask('t-1'));
    await other.tasks.create(newTask('t-2'));
    await sdk.tasks.claim(claimant);
    await other.tasks.claim(claimant);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
    const ids = (await sdk.tasks.history('t-1')).history.map((entry) => entry.id);
    expect(ids).toEqual([1, 2, 3]);
    expect((await other.tasks.history('t-2')).history.map((entry) => entry.id)).toEqual([1]);
    expect(await events(sdk, 't-1')).toEqual(['created', 'claimed', 'submitted']);
  });

  test('keep their numbers through a clone, and the merge entry follows them', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.claim(claimant);
    const copy = siblingScope(sdk, 'copy');
    const parent = siblingScope(sdk, 'parent');
    await sdk.scopes.clone(copy.scope as string);
    await copy.scopes.merge(parent.scope as string);
    const history = (await parent.tasks.history('t-1')).history;
    expect(history.map((entry) => [entry.id, entry.event])).toEqual([
      [1, 'created'],
      [2, 'claimed'],
      [3, 'merged'],
    ]);
  });
});

describe('merging with renames', () => {
  test('a rename that would pass the 200-character id limit is a 400 naming prefix; nothing moves', async () => {
    const sdk = freshSdk();
    const longId = 'a'.repeat(200);
    const parent = siblingScope(sdk, 'parent');
    await parent.tasks.create(newTask(longId, { file_path: 'p.md' }));
    await sdk.tasks.create(newTask(longId, { file_path: 'c.md' }));
    const response = await send(server(), 'POST', `/scopes/${sdk.scope}/merge`, {
      json: { into: parent.scope, onConflict: 'rename' },
    });
    expectError(response, 400, 'validation_failed', 'prefix');
    expect((await sdk.tasks.list()).map((task) => task.id)).toEqual([longId]);
    expect((await parent.tasks.list()).map((task) => task.id)).toEqual([longId]);

    const shortId = 'b'.repeat(190);
    await parent.tasks.create(newTask(shortId, { file_path: 'p2.md' }));
    await sdk.tasks.delete(longId);
    await sdk.tasks.create(newTask(shortId, { file_path: 'c2.md' }));
    const report = await sdk.scopes.merge(parent.scope as string, {
      onConflict: 'rename',
      prefix: 'c-',
    });
    expect(report.conflicts.map((conflict) => conflict.to)).toEqual([`c-${shortId}`]);
    expect((await parent.tasks.get(`c-${shortId}`))?.id).toBe(`c-${shortId}`);
  });
});
