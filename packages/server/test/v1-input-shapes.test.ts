/**
 * Input shapes the v1 API accepts and this server accepts too (the README's compatibility
 * section lists each decision): null for an optional field, any JSON value in a JSON-in-text
 * column, nameless or repeated role entries, and filter values that match nothing. Each request
 * goes over HTTP exactly as a v1 client sends it.
 */
import { describe, expect, test } from '@octopoid/testing/vitest';
import { machine } from './auth-support.js';
import { claimant, newTask, send } from './tasks-support.js';

describe('null counts as absent for optional fields', () => {
  test('task create, claim, accept and reject take null and use their defaults', async ({
    scopedSdk: sdk,
    scope: testScope,
    serverUrl,
  }) => {
    const scope = sdk.scope as string;
    const created = await send(serverUrl, 'POST', '/tasks', {
      json: { ...newTask('t-1'), scope, queue: null, auto_accept: null, priority: null },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ queue: 'incoming', auto_accept: 0 });

    const claimed = await send(serverUrl, 'POST', '/tasks/claim', {
      json: {
        ...claimant,
        scope,
        role_filter: null,
        type_filter: null,
        queue: null,
        lease_duration_seconds: null,
        max_claimed: null,
      },
    });
    expect(claimed.status).toBe(200);
    expect(claimed.body).toMatchObject({ id: 't-1', queue: 'claimed', claimed_by: 'agent-1' });

    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 2 });
    const rejected = await send(serverUrl, 'POST', '/tasks/t-1/reject', {
      json: { scope, reason: 'needs tests', rejected_by: null },
    });
    expect(rejected.status).toBe(200);
    expect(rejected.body).toMatchObject({ queue: 'incoming', rejection_count: 1 });

    // A rejected task waits out its retry backoff before the next claim.
    await testScope.clock.advance('1m');
    await sdk.tasks.claim(claimant);
    await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 2 });
    const accepted = await send(serverUrl, 'POST', '/tasks/t-1/accept', {
      json: { scope, accepted_by: null, completed_at: null },
    });
    expect(accepted.status).toBe(200);
    expect(accepted.body).toMatchObject({ queue: 'done', completed_at: expect.any(String) });
  });

  test('project, draft, role and action creates take null and use their defaults', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const scope = sdk.scope as string;
    const project = await send(serverUrl, 'POST', '/projects', {
      json: {
        scope,
        id: 'p-1',
        title: 'P',
        branch: 'feature/p',
        status: null,
        base_branch: null,
        auto_accept: null,
      },
    });
    expect(project.status).toBe(201);
    expect(project.body).toMatchObject({
      status: 'draft',
      base_branch: 'main',
      auto_accept: false,
    });

    const draft = await send(serverUrl, 'POST', '/drafts', {
      json: { scope, title: 'D', author: 'human', status: null },
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ status: 'idea' });

    await sdk.orchestrators.register(machine('m1'));
    const roles = await send(serverUrl, 'POST', '/roles/register', {
      json: {
        scope,
        orchestrator_id: 'prod-m1',
        roles: [{ name: 'implement', claims_from: null }],
      },
    });
    expect(roles.status).toBe(200);
    expect(roles.body.roles).toMatchObject([{ name: 'implement', claims_from: 'incoming' }]);

    const action = await send(serverUrl, 'POST', '/actions', {
      json: {
        scope,
        entity_type: 'task',
        entity_id: 't-1',
        label: 'Retry',
        proposed_by: null,
        action_type: null,
      },
    });
    expect(action.status).toBe(201);
    expect(action.body).toMatchObject({ proposed_by: 'unknown', action_type: 'proposal' });
  });

  test('a project PATCH may clear its branch, as the v1 column allows', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.projects.create({ id: 'p-1', title: 'P', branch: 'feature/p' });
    expect(await sdk.projects.update('p-1', { branch: null })).toMatchObject({ branch: null });
  });
});

describe('JSON-in-text columns take any JSON value, or its JSON text', () => {
  test('capabilities, metadata and action_data are stored as the JSON text of what was sent', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const scope = sdk.scope as string;
    const registered = await send(serverUrl, 'POST', '/orchestrators/register', {
      json: { ...machine('m1'), scope, capabilities: ['gpu', 'docker'] },
    });
    expect(registered.status).toBe(201);
    expect((await sdk.orchestrators.get('prod-m1'))?.capabilities).toBe('["gpu","docker"]');

    const action = await send(serverUrl, 'POST', '/actions', {
      json: {
        scope,
        entity_type: 'task',
        entity_id: 't-1',
        label: 'Pick one',
        metadata: [1, 2],
        action_data: 5,
      },
    });
    expect(action.status).toBe(201);
    expect(action.body).toMatchObject({ metadata: '[1,2]', action_data: '5' });
    const asText = await sdk.actions.create({
      entity_type: 'task',
      entity_id: 't-1',
      label: 'Pick two',
      metadata: '[1, 2]',
    });
    expect(asText.metadata).toBe('[1, 2]');
  });
});

describe('role registration skips nameless entries and lets a repeated name take its last definition', () => {
  test('as v1 replaced role by role', async ({ scopedSdk: sdk, serverUrl }) => {
    await sdk.orchestrators.register(machine('m1'));
    const response = await send(serverUrl, 'POST', '/roles/register', {
      json: {
        scope: sdk.scope as string,
        orchestrator_id: 'prod-m1',
        roles: [
          { name: 'review', claims_from: 'incoming' },
          {},
          { name: '' },
          { name: null, description: 'skipped' },
          { name: 'review', claims_from: 'provisional' },
          { name: 'implement' },
        ],
      },
    });
    expect(response.status).toBe(200);
    expect(
      response.body.roles.map((r: { name: string; claims_from: string }) => [
        r.name,
        r.claims_from,
      ]),
    ).toEqual([
      ['implement', 'incoming'],
      ['review', 'provisional'],
    ]);
  });
});

describe('filters with values outside an enum match nothing', () => {
  test('the orchestrator list filtered by an unknown status is empty, not a 400', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    await sdk.orchestrators.register(machine('m1'));
    const scope = sdk.scope as string;
    const unknown = await send(serverUrl, 'GET', '/orchestrators', {
      query: { scope, status: 'sleeping' },
    });
    expect(unknown.status).toBe(200);
    expect(unknown.body).toEqual({ orchestrators: [], total: 0, offset: 0, limit: 500 });
    const mixed = await send(serverUrl, 'GET', '/orchestrators', {
      query: { scope, status: 'sleeping,active' },
    });
    expect(mixed.body.orchestrators.map((o: { id: string }) => o.id)).toEqual(['prod-m1']);
  });
});
