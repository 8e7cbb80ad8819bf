import type { ProjectCreateInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startInProcessServer, test } from '@octopoid/testing/vitest';
import {
  expectBodiesRefused,
  expectPagingValidated,
  found,
  ISO_Z,
  inScope,
} from './entities-support.js';
import { expectError, expectSdkError, newTask, send } from './tasks-support.js';

const newProject = (id: string, extra: Partial<ProjectCreateInput> = {}): ProjectCreateInput => ({
  id,
  title: `Project ${id}`,
  branch: `feature/${id}`,
  ...extra,
});

const mustGetProject = async (sdk: OctopoidSDK, id: string) =>
  found(await sdk.projects.get(id), `project ${id} in ${sdk.scope}`);

describe('POST /projects', () => {
  test('answers 201 with the project and the v1 defaults', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'POST', '/projects', {
      query: { scope: sdk.scope as string },
      json: { id: 'p-1', title: 'Payments', branch: 'feature/payments' },
    });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: 'p-1',
      scope: sdk.scope,
      title: 'Payments',
      branch: 'feature/payments',
      status: 'draft',
      base_branch: 'main',
      auto_accept: false,
      description: null,
      created_by: null,
      pr_url: null,
      pr_number: null,
      completed_at: null,
    });
    expect(response.body.created_at).toMatch(ISO_Z);
    expect(response.body.updated_at).toBe(response.body.created_at);
    expect(await mustGetProject(sdk, 'p-1')).toEqual(response.body);
  });

  test('stores every optional field; auto_accept is a boolean however it is sent', async ({
    scopedSdk: sdk,
  }) => {
    const full = await sdk.projects.create(
      newProject('p-1', {
        description: 'Take money',
        status: 'in-review',
        base_branch: 'develop',
        auto_accept: 1,
        created_by: 'alice',
        pr_url: 'https://example.test/pr/5',
        pr_number: 5,
      }),
    );
    expect(full).toMatchObject({
      description: 'Take money',
      status: 'in-review',
      base_branch: 'develop',
      auto_accept: true,
      created_by: 'alice',
      pr_url: 'https://example.test/pr/5',
      pr_number: 5,
    });
    expect(await mustGetProject(sdk, 'p-1')).toEqual(full);
    expect((await sdk.projects.create(newProject('p-2', { auto_accept: true }))).auto_accept).toBe(
      true,
    );
    expect((await sdk.projects.create(newProject('p-3', { auto_accept: 0 }))).auto_accept).toBe(
      false,
    );
    expect(await mustGetProject(sdk, 'p-1')).toEqual(full);
  });

  test('a project created completed gets its completion time', async ({ scopedSdk: sdk }) => {
    const project = await sdk.projects.create(newProject('p-1', { status: 'completed' }));
    expect(project.completed_at).toBe(project.created_at);
  });

  test('a missing or mistyped field is a 400 naming it, and nothing is written', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const { id: _id, ...noId } = newProject('p-1');
    const { title: _title, ...noTitle } = newProject('p-1');
    const { branch: _branch, ...noBranch } = newProject('p-1');
    const cases: [body: object, field: string][] = [
      [noId, 'id'],
      [noTitle, 'title'],
      [noBranch, 'branch'],
      [newProject('has/slash'), 'id'],
      [newProject('p-1', { title: '' }), 'title'],
      [{ ...newProject('p-1'), title: 5 }, 'title'],
      [{ ...newProject('p-1'), auto_accept: 'yes' }, 'auto_accept'],
      [{ ...newProject('p-1'), status: ['active'] }, 'status'],
      [{ ...newProject('p-1'), created_by: {} }, 'created_by'],
    ];
    for (const [json, field] of cases) {
      const response = await send(serverUrl, 'POST', '/projects', inScope(sdk, { json }));
      expectError(response, 400, 'validation_failed', field);
    }
    const malformed = await send(
      serverUrl,
      'POST',
      '/projects',
      inScope(sdk, { raw: '{"id": "p-1",', contentType: 'application/json' }),
    );
    expectError(malformed, 400, 'malformed_json');
    expect((await sdk.projects.page()).total).toBe(0);
  });

  test('a duplicate id in the scope is a 409 that leaves the first project alone', async ({
    scopedSdk: sdk,
  }) => {
    const first = await sdk.projects.create(newProject('p-1'));
    await expectSdkError(
      sdk.projects.create(newProject('p-1', { title: 'Other' })),
      409,
      'conflict',
      'id',
    );
    expect(await mustGetProject(sdk, 'p-1')).toEqual(first);
  });

  test('another scope may use the same id for its own project', async ({ scopedSdk: sdk }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.projects.create(newProject('p-1', { title: 'Mine' }));
    const theirs = await other.projects.create(newProject('p-1', { title: 'Theirs' }));
    expect(theirs).toMatchObject({ id: 'p-1', scope: other.scope, title: 'Theirs' });
    expect((await mustGetProject(sdk, 'p-1')).title).toBe('Mine');
    await other.scopes.purge();
  });
});

describe('bodies that are not JSON objects', () => {
  test('are refused on every project write route, and nothing is written', async () => {
    await using server = await startInProcessServer();
    const sdk = server.sdk('refusals');
    const project = await sdk.projects.create(newProject('p-1'));
    await expectBodiesRefused(server, sdk, [
      ['POST', '/projects', newProject('p-2')],
      ['PATCH', '/projects/p-1', { title: 'Changed' }],
    ]);
    expect(await sdk.projects.list()).toEqual([project]);
  });
});

describe('GET /projects', () => {
  test('lists the scope’s projects newest first, filtered by status and created_by, in pages', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.projects.create(newProject('p-1', { status: 'draft', created_by: 'alice' }));
    await sdk.projects.create(newProject('p-2', { status: 'active', created_by: 'bob' }));
    await sdk.projects.create(newProject('p-3', { status: 'active', created_by: 'alice' }));
    await other.projects.create(newProject('p-4', { status: 'active', created_by: 'alice' }));
    const ids = async (filters: Parameters<typeof sdk.projects.list>[0]) =>
      (await sdk.projects.list(filters)).map((p) => p.id);

    expect(await ids({})).toEqual(['p-3', 'p-2', 'p-1']);
    expect(await ids({ status: 'active' })).toEqual(['p-3', 'p-2']);
    expect(await ids({ created_by: 'alice' })).toEqual(['p-3', 'p-1']);
    expect(await ids({ status: 'active', created_by: 'alice' })).toEqual(['p-3']);
    const page = await sdk.projects.page({ limit: 1, offset: 1 });
    expect(page).toMatchObject({ total: 3, offset: 1, limit: 1 });
    expect(page.projects.map((p) => p.id)).toEqual(['p-2']);
    expect(await sdk.projects.page()).toMatchObject({ total: 3, offset: 0, limit: 50 });
    await other.scopes.purge();
  });

  test('limit and offset are validated like the task list', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await expectPagingValidated(serverUrl, sdk, '/projects');
  });
});

describe('GET /projects/:id', () => {
  test('a missing project is 404, which the SDK reads as null', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    expectError(await send(serverUrl, 'GET', '/projects/p-9', inScope(sdk)), 404, 'not_found');
    expect(await sdk.projects.get('p-9')).toBeNull();
  });
});

describe('GET /projects/:id/tasks', () => {
  test('lists the project’s tasks of this scope, highest priority first, then oldest', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.projects.create(newProject('p-1'));
    await sdk.projects.create(newProject('p-2'));
    await sdk.tasks.create(newTask('t-a', { project_id: 'p-1', priority: 'P2' }));
    await sdk.tasks.create(newTask('t-b', { project_id: 'p-1', priority: 'P0' }));
    await sdk.tasks.create(newTask('t-c', { project_id: 'p-1', priority: 'P2' }));
    await sdk.tasks.create(newTask('t-d', { project_id: 'p-2', priority: 'P0' }));
    await sdk.tasks.create(newTask('t-e', { priority: 'P0' }));
    await other.projects.create(newProject('p-1'));
    await other.tasks.create(newTask('t-x', { project_id: 'p-1', priority: 'P0' }));

    const listed = await sdk.projects.tasks('p-1');
    expect(listed).toMatchObject({ project_id: 'p-1', total: 3, offset: 0, limit: 500 });
    expect(listed.tasks.map((t) => t.id)).toEqual(['t-b', 't-a', 't-c']);
    expect(listed.tasks.every((t) => t.scope === sdk.scope)).toBe(true);
    const page = await sdk.projects.tasks('p-1', { limit: 1, offset: 2 });
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 2 });
    expect(page.tasks.map((t) => t.id)).toEqual(['t-c']);
    await other.scopes.purge();
  });

  test('an unknown project, or one only another scope has, is 404', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.projects.create(newProject('p-theirs'));
    for (const id of ['p-9', 'p-theirs']) {
      const response = await send(serverUrl, 'GET', `/projects/${id}/tasks`, inScope(sdk));
      expectError(response, 404, 'not_found');
    }
    await other.scopes.purge();
  });
});

describe('tasks in projects', () => {
  test('a task created in a project takes the project’s branch', async ({ scopedSdk: sdk }) => {
    await sdk.projects.create(newProject('p-1', { branch: 'feature/p-1' }));
    const task = await sdk.tasks.create(newTask('t-1', { project_id: 'p-1', branch: 'main' }));
    expect(task).toMatchObject({ project_id: 'p-1', branch: 'feature/p-1' });
  });

  test('a task naming an unknown project, or another scope’s, is a 400 and is not created', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.projects.create(newProject('p-theirs'));
    for (const project_id of ['p-9', 'p-theirs']) {
      await expectSdkError(
        sdk.tasks.create(newTask('t-1', { project_id })),
        400,
        'validation_failed',
        'project_id',
      );
    }
    expect(await sdk.tasks.get('t-1')).toBeNull();
    await other.scopes.purge();
  });
});

describe('PATCH /projects/:id', () => {
  test('edits every patchable field and moves updated_at', async ({ scopedSdk: sdk }) => {
    const created = await sdk.projects.create(newProject('p-1'));
    await sdk.testMode.clock.advance('1s');
    const patch = {
      title: 'Renamed',
      description: 'Now with a description',
      status: 'active',
      branch: 'feature/renamed',
      base_branch: 'develop',
      auto_accept: true,
      pr_url: 'https://example.test/pr/7',
      pr_number: 7,
    };
    const updated = await sdk.projects.update('p-1', patch);
    expect(updated).toMatchObject({ ...patch, created_at: created.created_at, completed_at: null });
    expect(updated.updated_at > created.updated_at).toBe(true);
    expect(await mustGetProject(sdk, 'p-1')).toEqual(updated);

    const cleared = await sdk.projects.update('p-1', { description: null, pr_url: null });
    expect(cleared).toMatchObject({ description: null, pr_url: null, pr_number: 7 });
  });

  test('pr_url and pr_number alone are a valid patch, as the Python client sends them', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.projects.create(newProject('p-1'));
    const updated = await sdk.projects.update('p-1', { pr_url: 'https://x.test/1', pr_number: 1 });
    expect(updated).toMatchObject({
      pr_url: 'https://x.test/1',
      pr_number: 1,
      title: 'Project p-1',
    });
  });

  test('status completed fills an empty completed_at and keeps an existing one', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.projects.create(newProject('p-1'));
    const completed = await sdk.projects.update('p-1', { status: 'completed' });
    expect(completed.completed_at).toMatch(ISO_Z);
    await sdk.testMode.clock.advance('1s');
    const again = await sdk.projects.update('p-1', { status: 'completed', title: 'Done' });
    expect(again.completed_at).toBe(completed.completed_at);
    const reopened = await sdk.projects.update('p-1', { status: 'active' });
    expect(reopened.completed_at).toBe(completed.completed_at);

    await sdk.projects.create(newProject('p-2'));
    const given = await sdk.projects.update('p-2', {
      status: 'completed',
      completed_at: '2026-01-02T03:04:05+02:00',
    });
    expect(given.completed_at).toBe('2026-01-02T01:04:05.000Z');
    const unset = await sdk.projects.update('p-2', { completed_at: null });
    expect(unset.completed_at).toBeNull();
  });

  test('an empty or mistyped patch is a 400 naming the field, and changes nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const before = await sdk.projects.create(newProject('p-1'));
    const cases: [body: object, field: string | undefined][] = [
      [{}, undefined],
      [{ unknown_field: 1 }, undefined],
      [{ title: '' }, 'title'],
      [{ title: null }, 'title'],
      [{ branch: '' }, 'branch'],
      [{ status: 3 }, 'status'],
      [{ auto_accept: 'yes' }, 'auto_accept'],
      [{ pr_number: 'seven' }, 'pr_number'],
      [{ pr_number: -1 }, 'pr_number'],
      [{ completed_at: 'yesterday' }, 'completed_at'],
      [{ title: 'Fine', pr_number: 1.5 }, 'pr_number'],
    ];
    for (const [json, field] of cases) {
      const response = await send(serverUrl, 'PATCH', '/projects/p-1', inScope(sdk, { json }));
      expectError(response, 400, 'validation_failed', field);
    }
    const malformed = await send(
      serverUrl,
      'PATCH',
      '/projects/p-1',
      inScope(sdk, { raw: '{"title":', contentType: 'application/json' }),
    );
    expectError(malformed, 400, 'malformed_json');
    expect(await mustGetProject(sdk, 'p-1')).toEqual(before);
  });

  test('a missing project is 404', async ({ scopedSdk: sdk }) => {
    await expectSdkError(sdk.projects.update('p-9', { title: 'x' }), 404, 'not_found');
  });
});

describe('DELETE /projects/:id', () => {
  test('deletes the project, which is then 404', async ({ scopedSdk: sdk }) => {
    await sdk.projects.create(newProject('p-1'));
    expect(await sdk.projects.delete('p-1')).toEqual({
      message: expect.any(String),
      project_id: 'p-1',
    });
    expect(await sdk.projects.get('p-1')).toBeNull();
    await expectSdkError(sdk.projects.delete('p-1'), 404, 'not_found');
  });

  test('refuses with 409 and a hint while a task of the scope refers to the project', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const project = await sdk.projects.create(newProject('p-1'));
    await sdk.tasks.create(newTask('t-1', { project_id: 'p-1' }));
    const refused = await send(serverUrl, 'DELETE', '/projects/p-1', inScope(sdk));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual({
      error: expect.stringContaining('p-1'),
      code: 'conflict',
      details: [{ field: 'id', reason: expect.stringContaining('1 task') }],
      hint: expect.any(String),
    });
    expect(await mustGetProject(sdk, 'p-1')).toEqual(project);
    expect((await sdk.tasks.get('t-1'))?.project_id).toBe('p-1');

    await sdk.tasks.delete('t-1');
    await sdk.projects.delete('p-1');
    expect(await sdk.projects.get('p-1')).toBeNull();
  });

  test('tasks of another scope naming the same project id do not block the delete', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await sdk.projects.create(newProject('p-1'));
    const theirs = await other.projects.create(newProject('p-1'));
    await other.tasks.create(newTask('t-1', { project_id: 'p-1' }));
    await sdk.projects.delete('p-1');
    expect(await sdk.projects.get('p-1')).toBeNull();
    expect(await other.projects.get('p-1')).toEqual(theirs);
    await other.scopes.purge();
  });
});

describe('projects are isolated by scope', () => {
  test('every by-id route answers 404 for another scope’s project and changes nothing', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const intruder = sdk.withScope(`${sdk.scope}-intruder`);
    const project = await sdk.projects.create(newProject('p-1'));
    await sdk.tasks.create(newTask('t-1', { project_id: 'p-1' }));
    const attempts: [method: string, path: string, json?: object][] = [
      ['GET', '/projects/p-1'],
      ['GET', '/projects/p-1/tasks'],
      ['PATCH', '/projects/p-1', { title: 'Hijacked', status: 'completed' }],
      ['DELETE', '/projects/p-1'],
    ];
    for (const [method, path, json] of attempts) {
      const response = await send(serverUrl, method, path, {
        query: { scope: intruder.scope as string },
        ...(json ? { json } : {}),
      });
      expectError(response, 404, 'not_found');
    }
    expect(await intruder.projects.list()).toEqual([]);
    expect(await mustGetProject(sdk, 'p-1')).toEqual(project);
    expect((await sdk.projects.tasks('p-1')).tasks.map((t) => t.id)).toEqual(['t-1']);
  });
});
