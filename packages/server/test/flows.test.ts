import type { FlowRegisterInput } from '@octopoid/api';
import type { OctopoidSDK } from '@octopoid/sdk';
import { describe, expect, startInProcessServer, test } from '@octopoid/testing/vitest';
import { expectBodiesRefused, found, ISO_Z, inScope } from './entities-support.js';
import { claimant, expectError, expectSdkError, mustGet, newTask, send } from './tasks-support.js';

const mustGetFlow = async (sdk: OctopoidSDK, name: string) =>
  found(await sdk.flows.get(name), `flow ${name} in ${sdk.scope}`);

const review: FlowRegisterInput = {
  states: ['incoming', 'review', 'done'],
  transitions: [{ from: 'incoming', to: 'review' }],
};

describe('PUT /flows/:name', () => {
  test('registers a flow, answering with states and transitions as JSON text', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const response = await send(serverUrl, 'PUT', '/flows/review', {
      query: { scope: sdk.scope as string },
      json: {
        states: ['incoming', 'review', 'done'],
        transitions: [{ from: 'incoming', to: 'review', agent: 'reviewer', runs: 2 }],
        description: 'Everything is reviewed',
        child_flow: 'sub-review',
      },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      name: 'review',
      scope: sdk.scope,
      states: '["incoming","review","done"]',
      transitions: '[{"from":"incoming","to":"review","agent":"reviewer","runs":2}]',
      description: 'Everything is reviewed',
      child_flow: 'sub-review',
      registered_at: expect.stringMatching(ISO_Z),
      updated_at: response.body.registered_at,
    });
    expect(await mustGetFlow(sdk, 'review')).toEqual(response.body);
  });

  test('transitions default to none; states and transitions may come as JSON text', async ({
    scopedSdk: sdk,
  }) => {
    expect(await sdk.flows.register('bare', { states: ['incoming'] })).toMatchObject({
      states: '["incoming"]',
      transitions: '[]',
      description: null,
      child_flow: null,
    });
    expect(
      await sdk.flows.register('text', {
        states: '["incoming","qa"]',
        transitions: '[{"from":"incoming","to":"qa"}]',
      }),
    ).toMatchObject({
      states: '["incoming","qa"]',
      transitions: '[{"from":"incoming","to":"qa"}]',
    });
  });

  test('child_flow may be an object, its JSON text or null, and comes back as JSON text', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const childFlow = { transitions: [{ from: 'incoming', to: 'claimed', agent: 'implementer' }] };
    const response = await send(serverUrl, 'PUT', '/flows/project', {
      json: {
        scope: sdk.scope as string,
        states: ['incoming', 'claimed', 'provisional', 'done', 'failed'],
        transitions: [{ from: 'incoming', to: 'claimed' }],
        child_flow: childFlow,
      },
    });
    expect(response.status).toBe(200);
    expect(response.body.child_flow).toBe(JSON.stringify(childFlow));
    expect(JSON.parse((await mustGetFlow(sdk, 'project')).child_flow as string)).toEqual(childFlow);

    const asText = await sdk.flows.register('text', {
      states: ['incoming'],
      child_flow: '{"transitions":[]}',
    });
    expect(asText.child_flow).toBe('{"transitions":[]}');
    const cleared = await sdk.flows.register('project', { states: ['incoming'], child_flow: null });
    expect(cleared.child_flow).toBeNull();
  });

  test('registering again replaces the definition and keeps registered_at', async ({
    scopedSdk: sdk,
  }) => {
    const first = await sdk.flows.register('review', { ...review, description: 'v1' });
    await sdk.testMode.clock.advance('1s');
    const second = await sdk.flows.register('review', { states: ['incoming', 'qa'] });
    expect(second).toEqual({
      ...first,
      states: '["incoming","qa"]',
      transitions: '[]',
      description: null,
      updated_at: expect.stringMatching(ISO_Z),
    });
    expect(second.updated_at > first.updated_at).toBe(true);
    expect(await sdk.flows.list()).toEqual([second]);
  });

  test('a flow need not list the built-in queues, and its transitions may name them', async ({
    scopedSdk: sdk,
  }) => {
    const flow = await sdk.flows.register('lean', {
      states: ['review'],
      transitions: [
        { from: 'claimed', to: 'review' },
        { from: 'review', to: 'done' },
        { from: 'review', to: 'failed' },
        { from: 'review', to: 'incoming' },
      ],
    });
    expect(flow.states).toBe('["review"]');
  });

  test('an invalid definition is a 400 naming the field, and nothing is written', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const cases: [body: object, field: string][] = [
      [{ transitions: [] }, 'states'],
      [{ states: [] }, 'states'],
      [{ states: ['incoming', 'incoming'] }, 'states'],
      [{ states: ['in coming'] }, 'states.0'],
      [{ states: 'incoming' }, 'states'],
      [{ states: [1] }, 'states'],
      [{ states: ['incoming'], transitions: [{ from: 'incoming' }] }, 'transitions'],
      [{ states: ['incoming'], transitions: 'none' }, 'transitions'],
      [
        { states: ['incoming'], transitions: [{ from: 'incoming', to: 'nowhere' }] },
        'transitions.0.to',
      ],
      [
        {
          states: ['qa'],
          transitions: [
            { from: 'qa', to: 'done' },
            { from: 'limbo', to: 'qa' },
          ],
        },
        'transitions.1.from',
      ],
      [{ states: ['incoming'], description: 5 }, 'description'],
    ];
    for (const [json, field] of cases) {
      const response = await send(serverUrl, 'PUT', '/flows/review', inScope(sdk, { json }));
      expectError(response, 400, 'validation_failed', field);
    }
    const badName = await send(
      serverUrl,
      'PUT',
      `/flows/${encodeURIComponent('bad name')}`,
      inScope(sdk, { json: review }),
    );
    expectError(badName, 400, 'validation_failed', 'path.name');
    const malformed = await send(
      serverUrl,
      'PUT',
      '/flows/review',
      inScope(sdk, { raw: '{"states": [', contentType: 'application/json' }),
    );
    expectError(malformed, 400, 'malformed_json');
    expect(await sdk.flows.list()).toEqual([]);
  });

  test('an invalid replacement leaves the registered flow as it was', async ({
    scopedSdk: sdk,
  }) => {
    const flow = await sdk.flows.register('review', review);
    await expectSdkError(
      sdk.flows.register('review', { states: ['qa'], transitions: [{ from: 'qa', to: 'x' }] }),
      400,
      'validation_failed',
      'transitions.0.to',
    );
    expect(await mustGetFlow(sdk, 'review')).toEqual(flow);
  });
});

describe('bodies that are not JSON objects', () => {
  test('are refused by PUT /flows/:name, and nothing is written', async () => {
    await using server = await startInProcessServer();
    const sdk = server.sdk('refusals');
    const flow = await sdk.flows.register('review', review);
    await expectBodiesRefused(server, sdk, [
      ['PUT', '/flows/review', { states: ['qa'] }],
      ['PUT', '/flows/other', review],
    ]);
    expect(await sdk.flows.list()).toEqual([flow]);
  });

  test('every flow route needs a scope', async ({ serverUrl }) => {
    for (const [method, json] of [
      ['GET', undefined],
      ['PUT', review],
      ['DELETE', undefined],
    ] as const) {
      const path = method === 'GET' ? '/flows' : '/flows/review';
      const response = await send(serverUrl, method, path, json ? { json } : {});
      expectError(response, 400, 'scope_required', 'scope');
    }
  });
});

describe('GET and DELETE /flows', () => {
  test('lists the scope’s flows by name', async ({ scopedSdk: sdk }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    for (const name of ['zeta', 'alpha', 'mid']) await sdk.flows.register(name, review);
    await other.flows.register('beta', review);
    expect((await sdk.flows.list()).map((f) => f.name)).toEqual(['alpha', 'mid', 'zeta']);
    await other.scopes.purge();
  });

  test('a missing flow is 404 for GET and DELETE', async ({ scopedSdk: sdk, serverUrl }) => {
    expectError(await send(serverUrl, 'GET', '/flows/none', inScope(sdk)), 404, 'not_found');
    expect(await sdk.flows.get('none')).toBeNull();
    await expectSdkError(sdk.flows.delete('none'), 404, 'not_found');
  });

  test('DELETE answers with the name and scope, and the flow is gone', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('review', review);
    await sdk.flows.register('keep', review);
    expect(await sdk.flows.delete('review')).toEqual({
      message: expect.any(String),
      name: 'review',
      scope: sdk.scope,
    });
    expect(await sdk.flows.get('review')).toBeNull();
    expect((await sdk.flows.list()).map((f) => f.name)).toEqual(['keep']);
  });
});

describe('flows are isolated by scope', () => {
  test('another scope’s flow is 404 on GET and DELETE and stays as it was', async ({
    scopedSdk: sdk,
    serverUrl,
  }) => {
    const intruder = sdk.withScope(`${sdk.scope}-intruder`);
    const flow = await sdk.flows.register('review', review);
    for (const method of ['GET', 'DELETE']) {
      const response = await send(serverUrl, method, '/flows/review', {
        query: { scope: intruder.scope as string },
      });
      expectError(response, 404, 'not_found');
    }
    expect(await intruder.flows.list()).toEqual([]);
    expect(await mustGetFlow(sdk, 'review')).toEqual(flow);
  });

  test('registering the same name in another scope makes a separate flow', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    const mine = await sdk.flows.register('review', review);
    const theirs = await other.flows.register('review', { states: ['qa'] });
    expect(theirs).toMatchObject({ scope: other.scope, states: '["qa"]' });
    expect(await mustGetFlow(sdk, 'review')).toEqual(mine);
    await other.flows.delete('review');
    expect(await mustGetFlow(sdk, 'review')).toEqual(mine);
    await other.scopes.purge();
  });
});

describe('a task’s flow decides its queues', () => {
  test('create accepts a custom queue only when the task’s flow in this scope has it', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await expectSdkError(
      sdk.tasks.create(newTask('t-1', { queue: 'qa' })),
      400,
      'validation_failed',
      'queue',
    );
    await sdk.flows.register('default', { states: ['incoming', 'qa'] });
    expect(await sdk.tasks.create(newTask('t-1', { queue: 'qa' }))).toMatchObject({
      queue: 'qa',
      flow: 'default',
    });
    await expectSdkError(
      sdk.tasks.create(newTask('t-2', { queue: 'qa', flow: 'unregistered' })),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      other.tasks.create(newTask('t-1', { queue: 'qa' })),
      400,
      'validation_failed',
      'queue',
    );
    expect(await sdk.tasks.get('t-2')).toBeNull();
    expect(await other.tasks.get('t-1')).toBeNull();
  });

  test('a registered flow replaces the default queues, apart from the built-in ones', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('lean', { states: ['qa'] });
    for (const queue of ['provisional', 'needs_continuation']) {
      await expectSdkError(
        sdk.tasks.create(newTask(`t-${queue}`, { flow: 'lean', queue })),
        400,
        'validation_failed',
        'queue',
      );
    }
    for (const queue of ['incoming', 'failed', 'qa']) {
      expect(await sdk.tasks.create(newTask(`t-${queue}`, { flow: 'lean', queue }))).toMatchObject({
        queue,
      });
    }
  });

  test('PATCH and force-queue move a task only to queues its flow knows', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('custom', { states: ['incoming', 'qa'] });
    await sdk.tasks.create(newTask('t-1', { flow: 'custom' }));
    await sdk.tasks.create(newTask('t-2'));

    expect((await sdk.tasks.update('t-1', { queue: 'qa' })).queue).toBe('qa');
    const before = await mustGet(sdk, 't-1');
    await expectSdkError(
      sdk.tasks.update('t-1', { queue: 'provisional' }),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.forceQueue('t-1', { queue: 'nowhere', reason: 'test' }),
      400,
      'validation_failed',
      'queue',
    );
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    expect((await sdk.tasks.forceQueue('t-1', { queue: 'incoming', reason: 'back' })).queue).toBe(
      'incoming',
    );

    await expectSdkError(
      sdk.tasks.update('t-2', { queue: 'qa' }),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      sdk.tasks.forceQueue('t-2', { queue: 'qa', reason: 'test' }),
      400,
      'validation_failed',
      'queue',
    );
    expect((await mustGet(sdk, 't-2')).queue).toBe('incoming');
  });

  test('claim takes from a queue only when one of the scope’s flows has it', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await expectSdkError(
      sdk.tasks.claim({ ...claimant, queue: 'qa' }),
      400,
      'validation_failed',
      'queue',
    );
    await sdk.flows.register('custom', { states: ['incoming', 'qa'] });
    await sdk.tasks.create(newTask('t-1', { flow: 'custom', queue: 'qa' }));
    expect(await sdk.tasks.claim({ ...claimant, queue: 'qa' })).toMatchObject({
      id: 't-1',
      queue: 'claimed',
    });
    // The built-in default flow still serves tasks that name no flow.
    expect(await sdk.tasks.claim({ ...claimant, queue: 'provisional' })).toBeNull();
    await expectSdkError(
      sdk.tasks.claim({ ...claimant, queue: 'nowhere' }),
      400,
      'validation_failed',
      'queue',
    );
    await expectSdkError(
      other.tasks.claim({ ...claimant, queue: 'qa' }),
      400,
      'validation_failed',
      'queue',
    );
  });

  test('a scope that registers its own default flow drops the default queues it leaves out', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('default', { states: ['incoming', 'qa'] });
    await expectSdkError(
      sdk.tasks.claim({ ...claimant, queue: 'provisional' }),
      400,
      'validation_failed',
      'queue',
    );
    expect(await sdk.tasks.claim({ ...claimant, queue: 'qa' })).toBeNull();
  });
});

describe('a task’s flow decides accept, reject and requeue', () => {
  test('without provisional → done, accept from provisional is a 409 that changes nothing', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('strict', {
      states: ['incoming', 'provisional'],
      transitions: [{ from: 'provisional', to: 'incoming' }],
    });
    await sdk.tasks.create(newTask('t-1', { flow: 'strict', queue: 'provisional' }));
    const before = await mustGet(sdk, 't-1');
    await expectSdkError(sdk.tasks.accept('t-1'), 409, 'invalid_transition', 'queue');
    expect(await mustGet(sdk, 't-1')).toEqual(before);
    expect(await sdk.tasks.reject('t-1', { reason: 'not yet' })).toMatchObject({
      queue: 'incoming',
      rejection_count: 1,
    });
  });

  test('with provisional → done only, accept works and reject and requeue are 409', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('approve-only', {
      states: ['incoming', 'provisional'],
      transitions: [{ from: 'provisional', to: 'done' }],
    });
    await sdk.tasks.create(newTask('t-1', { flow: 'approve-only', queue: 'provisional' }));
    await sdk.tasks.create(newTask('t-2', { flow: 'approve-only', queue: 'provisional' }));
    await expectSdkError(sdk.tasks.reject('t-1', { reason: 'no' }), 409, 'invalid_transition');
    await expectSdkError(sdk.tasks.requeue('t-1'), 409, 'invalid_transition');
    expect((await mustGet(sdk, 't-1')).version).toBe(1);
    expect((await sdk.tasks.accept('t-1')).queue).toBe('done');
    expect((await sdk.tasks.update('t-2', { queue: 'incoming' })).queue).toBe('incoming');
    await expectSdkError(sdk.tasks.accept('t-2'), 409, 'invalid_transition');
  });

  test('a custom queue may be accepted, rejected or requeued when the flow says so', async ({
    scopedSdk: sdk,
  }) => {
    await sdk.flows.register('qa-flow', {
      states: ['incoming', 'qa'],
      transitions: [
        { from: 'qa', to: 'done' },
        { from: 'qa', to: 'incoming' },
      ],
    });
    for (const id of ['t-1', 't-2', 't-3']) {
      await sdk.tasks.create(newTask(id, { flow: 'qa-flow', queue: 'qa' }));
    }
    expect((await sdk.tasks.accept('t-1')).queue).toBe('done');
    expect((await sdk.tasks.reject('t-2', { reason: 'redo' })).queue).toBe('incoming');
    expect(await sdk.tasks.requeue('t-3')).toMatchObject({ queue: 'incoming', attempt_count: 0 });
  });

  test('without a registered flow the built-in rules apply', async ({ scopedSdk: sdk }) => {
    for (const id of ['t-1', 't-2']) {
      await sdk.tasks.create(newTask(id, { queue: 'provisional' }));
    }
    await sdk.tasks.create(newTask('t-3'));
    expect((await sdk.tasks.accept('t-1')).queue).toBe('done');
    expect((await sdk.tasks.reject('t-2', { reason: 'redo' })).queue).toBe('incoming');
    await expectSdkError(sdk.tasks.accept('t-3'), 409, 'invalid_transition');
    await expectSdkError(sdk.tasks.requeue('t-3'), 409, 'invalid_transition');
  });

  test('another scope’s flow of the same name does not change this scope’s rules', async ({
    scopedSdk: sdk,
  }) => {
    const other = sdk.withScope(`${sdk.scope}-other`);
    await other.flows.register('default', { states: ['incoming', 'provisional'] });
    await sdk.tasks.create(newTask('t-1', { queue: 'provisional' }));
    expect((await sdk.tasks.accept('t-1')).queue).toBe('done');
    await other.tasks.create(newTask('t-1', { queue: 'provisional' }));
    await expectSdkError(other.tasks.accept('t-1'), 409, 'invalid_transition');
    await other.scopes.purge();
  });

  test('deleting a flow returns its tasks to the built-in rules', async ({ scopedSdk: sdk }) => {
    await sdk.flows.register('strict', { states: ['incoming', 'provisional'] });
    await sdk.tasks.create(newTask('t-1', { flow: 'strict', queue: 'provisional' }));
    await expectSdkError(sdk.tasks.accept('t-1'), 409, 'invalid_transition');
    await sdk.flows.delete('strict');
    expect((await sdk.tasks.accept('t-1')).queue).toBe('done');
  });
});
