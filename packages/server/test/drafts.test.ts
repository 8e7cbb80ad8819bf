import type { DraftCreateInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startInProcessServer, test } from '@octopoid/testing/vitest';
import {
  expectBodiesRefused,
  expectPagingValidated,
  found,
  ISO_Z,
  inScope,
} from './entities-support.js';
import { expectError, expectSdkError, send } from './tasks-support.js';

const newDraft = (title: string, extra: Partial<DraftCreateInput> = {}): DraftCreateInput => ({
  title,
  author: 'alice',
  ...extra,
});

const mustGetDraft = async (sdk: OctopoidSDK, id: number) =>
  found(await sdk.drafts.get(id), `draft ${id} in ${sdk.scope}`);

describe('POST /drafts', () => {
  test('answers 201 with the scope’s next integer id and the v1 defaults', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/drafts', {
      query: { scope: sdk.scope as string },
      json: { title: 'Idea', author: 'alice' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: 1,
      scope: sdk.scope,
      title: 'Idea',
      author: 'alice',
      status: 'idea',
      domain: null,
      file_path: null,
      linked_task_id: null,
      linked_project_id: null,
      tags: null,
    });
    expect(response.body.created_at).toMatch(ISO_Z);
    expect(response.body.updated_at).toBe(response.body.created_at);
    expect(await mustGetDraft(sdk, 1)).toEqual(response.body);
    expect((await sdk.drafts.create(newDraft('Second'))).id).toBe(2);
  });

  test('ids count per scope: another scope’s first draft is also 1', async ({ scopedSdk: sdk }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.drafts.create(newDraft('Mine 1'));
    await sdk.drafts.create(newDraft('Mine 2'));
    expect(await other.drafts.create(newDraft('Theirs'))).toMatchObject({
      id: 1,
      scope: other.scope,
    });
    expect((await mustGetDraft(sdk, 1)).title).toBe('Mine 1');
    await other.scopes.purge();
  });

  test('concurrent creates in one scope get distinct consecutive ids', async ({
    scopedSdk: sdk,
  }) => {
    const created = await Promise.all(
      Array.from({ length: 8 }, (_, i) => sdk.drafts.create(newDraft(`Draft ${i}`))),
    );
    expect(created.map((d) => d.id).sort((a, b) => a - b)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  });

  test('stores every optional field; tags go in as an array and come back as JSON text', async ({
    scopedSdk: sdk,
  }) => {
    const fields = {
      status: 'review',
      domain: 'billing',
      file_path: 'drafts/idea.md',
      linked_task_id: 't-1',
      linked_project_id: 'p-1',
    };
    const draft = await sdk.drafts.create(newDraft('Full', { ...fields, tags: ['a', 'b'] }));
    expect(draft).toMatchObject({ ...fields, tags: '["a","b"]' });
    expect(await mustGetDraft(sdk, draft.id)).toEqual(draft);
    const fromText = await sdk.drafts.create(newDraft('Text tags', { tags: '["c"]' }));
    expect(fromText.tags).toBe('["c"]');
  });

  test('a missing or mistyped field is a 400 naming it, and nothing is written', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const cases: [body: object, field: string][] = [
      [{ author: 'alice' }, 'title'],
      [{ title: 'No author' }, 'author'],
      [{ title: '', author: 'alice' }, 'title'],
      [{ title: 'x', author: null }, 'author'],
      [{ ...newDraft('x'), tags: 'not json' }, 'tags'],
      [{ ...newDraft('x'), tags: [1, 2] }, 'tags'],
      [{ ...newDraft('x'), tags: { a: 1 } }, 'tags'],
      [{ ...newDraft('x'), status: 5 }, 'status'],
      [{ ...newDraft('x'), linked_task_id: ['t-1'] }, 'linked_task_id'],
    ];
    for (const [json, field] of cases) {
      const response = await send(serverUrl, 'POST', '/drafts', inScope(sdk, { json }));
      expectError(response, 400, 'validation_failed', field);
    }
    const malformed = await send(
      serverUrl,
      'POST',
      '/drafts',
      inScope(sdk, { raw: '{"title": "x"', contentType: 'application/json' }),
    );
    expectError(malformed, 400, 'malformed_json');
    expect((await sdk.drafts.page()).total).toBe(0);
    expect((await sdk.drafts.create(newDraft('First real'))).id).toBe(1);
  });
});

describe('bodies that are not JSON objects', () => {
  test('are refused on every draft write route, and nothing is written', async () => {
    await using server = await startInProcessServer();
    const sdk = server.sdk('refusals');
    const draft = await sdk.drafts.create(newDraft('Keep me'));
    await expectBodiesRefused(server, sdk, [
      ['POST', '/drafts', newDraft('New')],
      ['PATCH', '/drafts/1', { title: 'Changed' }],
    ]);
    expect(await sdk.drafts.list()).toEqual([draft]);
  });
});

describe('GET /drafts', () => {
  test('lists the scope’s drafts newest first, with each filter, in pages', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.drafts.create(newDraft('d1', { status: 'idea', domain: 'billing' }));
    await sdk.drafts.create(newDraft('d2', { author: 'bob', linked_task_id: 't-1' }));
    await sdk.drafts.create(newDraft('d3', { status: 'review', linked_project_id: 'p-1' }));
    await other.drafts.create(newDraft('theirs', { domain: 'billing' }));
    const titles = async (filters: Parameters<typeof sdk.drafts.list>[0]) =>
      (await sdk.drafts.list(filters)).map((d) => d.title);

    expect(await titles({})).toEqual(['d3', 'd2', 'd1']);
    expect(await titles({ status: 'idea' })).toEqual(['d2', 'd1']);
    expect(await titles({ author: 'bob' })).toEqual(['d2']);
    expect(await titles({ domain: 'billing' })).toEqual(['d1']);
    expect(await titles({ linked_task_id: 't-1' })).toEqual(['d2']);
    expect(await titles({ linked_project_id: 'p-1' })).toEqual(['d3']);
    expect(await titles({ status: 'idea', author: 'alice' })).toEqual(['d1']);
    const page = await sdk.drafts.page({ limit: 2, offset: 1 });
    expect(page).toMatchObject({ total: 3, limit: 2, offset: 1 });
    expect(page.drafts.map((d) => d.title)).toEqual(['d2', 'd1']);
    expect(await sdk.drafts.page()).toMatchObject({ total: 3, offset: 0, limit: 50 });
    await other.scopes.purge();
  });

  test('limit and offset are validated like the task list', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await expectPagingValidated(serverUrl, sdk, '/drafts');
  });
});

describe('/drafts/:id', () => {
  test('an id that is not a whole number is a 400 on every by-id route, even 1abc', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const draft = await sdk.drafts.create(newDraft('Keep me'));
    for (const id of ['1abc', '1.0', '-1', 'one', '1e0', ' 1']) {
      for (const [method, json] of [
        ['GET', undefined],
        ['PATCH', { title: 'Changed' }],
        ['DELETE', undefined],
      ] as const) {
        const path = `/drafts/${encodeURIComponent(id)}`;
        const response = await send(serverUrl, method, path, inScope(sdk, json ? { json } : {}));
        expectError(response, 400, 'validation_failed', 'path.id');
      }
    }
    expect(await mustGetDraft(sdk, 1)).toEqual(draft);
  });

  test('a missing draft is 404 on every by-id route; GET reads as null in the SDK', async ({
    scopedSdk: sdk,
  }) => {
    expect(await sdk.drafts.get(7)).toBeNull();
    await expectSdkError(sdk.drafts.update(7, { title: 'x' }), 404, 'not_found');
    await expectSdkError(sdk.drafts.delete(7), 404, 'not_found');
  });

  test('PATCH edits the given fields and moves updated_at', async ({ scopedSdk: sdk }) => {
    const created = await sdk.drafts.create(newDraft('Before', { domain: 'billing' }));
    await sdk.testMode.clock.advance('1s');
    const patch = {
      title: 'After',
      author: 'bob',
      status: 'approved',
      domain: null,
      file_path: 'drafts/after.md',
      linked_task_id: 't-2',
      linked_project_id: 'p-2',
      tags: ['x'],
    };
    const updated = await sdk.drafts.update(created.id, patch);
    expect(updated).toEqual({
      ...created,
      ...patch,
      tags: '["x"]',
      updated_at: expect.stringMatching(ISO_Z),
    });
    expect(updated.updated_at > created.updated_at).toBe(true);
    expect(await mustGetDraft(sdk, created.id)).toEqual(updated);
  });

  test('an empty or mistyped patch is a 400 naming the field, and changes nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await sdk.drafts.create(newDraft('Keep me', { tags: ['a'] }));
    const cases: [body: object, field: string | undefined][] = [
      [{}, undefined],
      [{ id: 9 }, undefined],
      [{ title: '' }, 'title'],
      [{ author: null }, 'author'],
      [{ status: false }, 'status'],
      [{ tags: 'nope' }, 'tags'],
      [{ title: 'Fine', tags: [null] }, 'tags'],
    ];
    for (const [json, field] of cases) {
      const response = await send(serverUrl, 'PATCH', '/drafts/1', inScope(sdk, { json }));
      expectError(response, 400, 'validation_failed', field);
    }
    const malformed = await send(
      serverUrl,
      'PATCH',
      '/drafts/1',
      inScope(sdk, { raw: '[', contentType: 'application/json' }),
    );
    expectError(malformed, 400, 'malformed_json');
    expect(await mustGetDraft(sdk, 1)).toEqual(before);
  });

  test('DELETE removes the draft, which is then 404', async ({ scopedSdk: sdk }) => {
    await sdk.drafts.create(newDraft('Doomed'));
    await sdk.drafts.create(newDraft('Kept'));
    expect(await sdk.drafts.delete(1)).toEqual({ message: expect.any(String), draft_id: 1 });
    expect(await sdk.drafts.get(1)).toBeNull();
    expect((await sdk.drafts.list()).map((d) => d.title)).toEqual(['Kept']);
    await expectSdkError(sdk.drafts.delete(1), 404, 'not_found');
  });
});

describe('drafts are isolated by scope', () => {
  test('by-id routes of another scope answer 404 and change nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const intruder = sdk.withScope(`${sdk.scope}-intruder`);
    const draft = await sdk.drafts.create(newDraft('Mine'));
    const attempts: [method: string, json?: object][] = [
      ['GET'],
      ['PATCH', { title: 'Hijacked' }],
      ['DELETE'],
    ];
    for (const [method, json] of attempts) {
      const response = await send(serverUrl, method, '/drafts/1', {
        query: { scope: intruder.scope as string },
        ...(json ? { json } : {}),
      });
      expectError(response, 404, 'not_found');
    }
    expect(await intruder.drafts.list()).toEqual([]);
    expect(await mustGetDraft(sdk, 1)).toEqual(draft);
  });

  test('the same id in two scopes names two drafts: each scope edits only its own', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    const mine = await sdk.drafts.create(newDraft('Mine'));
    await other.drafts.create(newDraft('Theirs'));
    expect((await other.drafts.update(1, { title: 'Theirs, edited' })).title).toBe(
      'Theirs, edited',
    );
    await other.drafts.delete(1);
    expect(await other.drafts.get(1)).toBeNull();
    expect(await mustGetDraft(sdk, 1)).toEqual(mine);
    await other.scopes.purge();
  });
});
