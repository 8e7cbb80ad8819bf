/**
 * Wire compatibility with the public octopoid Python SDK: a replica of that client
 * (./python-client.ts) replays its calls exactly as the v1 reference (§6) describes them, and the
 * assertions read exactly the response fields the client reads. When one fails, the server no
 * longer serves the Python client: fix the server, never the expectation.
 */
import { describe, expect, scopeForTest, startTestServer, test } from '@octopoid/testing';
import {
  agentScriptCompletesHook,
  type PyDict,
  PyHTTPError,
  PythonClient,
  pythonFromIsoformat,
  pythonIsoformat,
  pythonJsonDumps,
} from './python-client.js';

const API_KEY = /^oct_[0-9a-f]{64}$/;
const TASK_FLAGS = [
  'auto_accept',
  'has_plan',
  'needs_rebase',
  'needs_breakdown',
  'needs_intervention',
] as const;
const REPO_URL = 'git@github.com:acme/widgets.git';
/** `claim_and_prepare_task` asks for four hours. */
const LEASE_SECONDS = 14400;

/** The default flow as the Python client registers it: extra keys on the transitions. */
const PYTHON_FLOW = {
  states: ['incoming', 'claimed', 'provisional', 'needs_human', 'done', 'failed'],
  transitions: [
    { from: 'incoming', to: 'claimed', agent: 'implementer' },
    { from: 'claimed', to: 'provisional', runs: ['rebase_on_base', 'run_tests', 'create_pr'] },
    {
      from: 'provisional',
      to: 'done',
      conditions: [{ name: 'gatekeeper_review', type: 'agent', agent: 'gatekeeper' }],
    },
    { from: 'provisional', to: 'incoming', agent: 'gatekeeper' },
    { from: 'claimed', to: 'incoming' },
    { from: 'claimed', to: 'failed' },
  ],
};

/** Hooks travel as the JSON text the client's `json.dumps` made. */
const HOOKS = JSON.stringify([
  { name: 'run_tests', point: 'before_merge', type: 'orchestrator', status: 'pending' },
  { name: 'create_pr', point: 'before_merge', type: 'orchestrator', status: 'pending' },
]);

/** What the client's `create_task` sends for a task file, `metadata` included. */
const pythonTask = (id: string, extra: PyDict = {}) => ({
  id,
  file_path: `.octopoid/tasks/TASK-${id}.md`,
  title: `Task ${id}`,
  role: 'implement',
  priority: 'P2',
  branch: 'main',
  content: `# ${id}\n\nDo the thing.`,
  flow: 'default',
  project_id: null,
  blocked_by: null,
  metadata: { created_by: 'human', source: 'octopoid create', checks: ['pytest'] },
  hooks: HOOKS,
  ...extra,
});

/** The checks a Python caller's code makes on every task it reads. */
function expectTaskAsPythonReadsIt(task: PyDict | null | undefined, scope: string): PyDict {
  expect(task, 'a task dict').toBeTypeOf('object');
  const row = task as PyDict;
  expect(row.scope, `${row.id}: scope (the client filters on it)`).toBe(scope);
  for (const flag of TASK_FLAGS) {
    expect([0, 1], `${row.id}: ${flag} must be the integer 0/1`).toContain(row[flag]);
  }
  if (row.hooks !== null) {
    expect(row.hooks, `${row.id}: hooks must be JSON text`).toBeTypeOf('string');
    expect(Array.isArray(JSON.parse(row.hooks)), `${row.id}: hooks JSON is a list`).toBe(true);
  }
  if (row.lease_expires_at !== null) pythonFromIsoformat(row.lease_expires_at);
  return row;
}

/**
 * The orchestrator starting up: registers machine `m1` of cluster `prod` with no key, saves the
 * key the registration returns and sends it from then on.
 */
async function startOrchestrator(serverUrl: string, scope: string) {
  const py = new PythonClient(serverUrl, scope);
  const registered = await py.orchestrators.register({
    cluster: 'prod',
    machine_id: 'm1',
    version: '2.3.0',
    max_agents: 3,
    repo_url: REPO_URL,
  });
  expect(py.last.status, JSON.stringify(registered)).toBe(201);
  expect(registered.api_key).toMatch(API_KEY);
  expect(py.apiKey).toBe(registered.api_key);
  return { py, orchestratorId: registered.orchestrator_id as string };
}

/** The assertion for a call the client must survive: its PyHTTPError as a readable failure. */
async function pyCall<T>(call: Promise<T>): Promise<T> {
  try {
    return await call;
  } catch (error) {
    if (error instanceof PyHTTPError) {
      const { method, path, query, body } = error.request;
      expect.fail(
        `the Python client raised: ${method} ${path} query=${JSON.stringify(query)} ` +
          `body=${body ?? '<none>'} answered ${error.status} ${JSON.stringify(error.body)}`,
      );
    }
    throw error;
  }
}

describe('the v1 Python client', () => {
  test('registers without a key, saves the api_key, heartbeats with no body and no scope, polls', async ({
    scope,
    serverUrl,
  }) => {
    const first = new PythonClient(serverUrl, scope.name);
    const health = await pyCall(first.health());
    expect(first.last.status).toBe(200);
    expect(health).toBeTypeOf('object');

    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    expect(orchestratorId).toBe('prod-m1');
    const registration = py.sent[0];
    expect(registration?.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(registration?.body ?? '{}')).toEqual({
      id: 'prod-m1',
      cluster: 'prod',
      machine_id: 'm1',
      version: '2.3.0',
      max_agents: 3,
      repo_url: REPO_URL,
      scope: scope.name,
    });

    const beat = await pyCall(py.orchestrators.heartbeat(orchestratorId));
    expect(py.last).toMatchObject({ method: 'POST', query: {}, body: undefined, status: 200 });
    expect(py.last.headers).not.toHaveProperty('content-type');
    expect(py.last.headers.authorization).toBe(`Bearer ${py.apiKey}`);
    expect(beat.success).toBe(true);
    pythonFromIsoformat(beat.last_heartbeat);

    // A restart re-registers with the saved key: 200, and no new key.
    const again = await pyCall(
      py.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm1',
        version: '2.3.1',
        max_agents: 3,
        repo_url: REPO_URL,
      }),
    );
    expect(py.last.status).toBe(200);
    expect(again.orchestrator_id).toBe('prod-m1');
    expect(again).not.toHaveProperty('api_key');

    // A second machine of the scope, with the key and no repo_url.
    const second = await pyCall(
      py.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm2',
        version: '2.3.1',
        max_agents: 1,
      }),
    );
    expect(py.last.status).toBe(201);
    expect(second.orchestrator_id).toBe('prod-m2');
    expect(second).not.toHaveProperty('api_key');

    const poll = await pyCall(py.poll(orchestratorId));
    expect(py.last.query).toEqual({ orchestrator_id: 'prod-m1', scope: scope.name });
    expect(poll.queue_counts).toMatchObject({ incoming: 0, claimed: 0, provisional: 0 });
    expect(poll.provisional_tasks).toEqual([]);
    expect(poll.orchestrator_registered).toBe(true);
    expect((await pyCall(py.poll('prod-m9'))).orchestrator_registered).toBe(false);
  });

  test('files flows, projects, drafts and tasks with the fields the client sends', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);

    const flow = await pyCall(
      py.flows.register('default', PYTHON_FLOW.states, PYTHON_FLOW.transitions, {
        description: 'Implement, review, merge',
        child_flow: 'default',
      }),
    );
    expect(py.last.status).toBe(200);
    expect(flow.name).toBe('default');
    const flows = await pyCall(py.flows.list());
    expect(flows.map((f) => f.name)).toEqual(['default']);
    expect(JSON.parse(flows[0]?.states)).toEqual(PYTHON_FLOW.states);
    expect(JSON.parse(flows[0]?.transitions)).toEqual(PYTHON_FLOW.transitions);

    const project = await pyCall(
      py.projects.create({
        id: 'PROJ-widgets',
        title: 'Widgets',
        description: 'All the widgets',
        status: 'draft',
        branch: 'feature/widgets',
        base_branch: 'main',
        auto_accept: false,
        created_by: 'human',
      }),
    );
    expect(py.last.status).toBe(201);
    expect(project).toMatchObject({ id: 'PROJ-widgets', auto_accept: false });
    expect(await pyCall(py.projects.get('PROJ-widgets'))).toMatchObject({ title: 'Widgets' });
    expect(await pyCall(py.projects.get('PROJ-missing'))).toBeNull();
    expect(py.last.status).toBe(404);
    // The client writes flow state names into status.
    const moved = await pyCall(py.projects.update('PROJ-widgets', { status: 'in_progress' }));
    expect(moved.status).toBe('in_progress');
    const inProgress = await pyCall(py.projects.list('in_progress'));
    expect(inProgress.map((p) => p.id)).toEqual(['PROJ-widgets']);
    // Once the project's PR is open, the client PATCHes pr_url and pr_number alone.
    const withPr = await pyCall(
      py.projects.update('PROJ-widgets', {
        pr_url: 'https://github.com/acme/widgets/pull/41',
        pr_number: 41,
      }),
    );
    expect(py.last.status).toBe(200);
    expect(withPr).toMatchObject({
      pr_url: 'https://github.com/acme/widgets/pull/41',
      pr_number: 41,
    });

    const draft = await pyCall(
      py.drafts.create('Cache the widget index', 'human', '.octopoid/drafts/cache.md', 'idea'),
    );
    expect(py.last.status).toBe(201);
    expect(Number.isInteger(draft.id), `draft id ${JSON.stringify(draft.id)}`).toBe(true);
    const ideas = await pyCall(py.drafts.list('idea'));
    expect(ideas.map((d) => d.id)).toEqual([draft.id]);

    const created = [
      await pyCall(
        py.tasks.create(pythonTask('a1', { priority: 'P1', project_id: 'PROJ-widgets' })),
      ),
      await pyCall(
        py.tasks.create(
          pythonTask('b2', { blocked_by: 'a1', project_id: 'PROJ-widgets', type: 'product' }),
        ),
      ),
      await pyCall(py.tasks.create(pythonTask('c3', { role: 'breakdown', hooks: null }))),
    ];
    expect(py.sent.filter((r) => r.path === '/api/v1/tasks').map((r) => r.status)).toEqual([
      201, 201, 201,
    ]);
    for (const task of created) {
      expectTaskAsPythonReadsIt(task, scope.name);
      expect(task.queue).toBe('incoming');
    }
    expect(created[0]).toMatchObject({
      id: 'a1',
      title: 'Task a1',
      role: 'implement',
      priority: 'P1',
      branch: 'feature/widgets',
      project_id: 'PROJ-widgets',
      hooks: HOOKS,
      blocked_by: null,
      flow: 'default',
    });
    expect(created[1]).toMatchObject({ blocked_by: 'a1', type: 'product' });

    const incoming = await pyCall(py.tasks.list('incoming'));
    expect(py.last.query).toEqual({ queue: 'incoming', scope: scope.name });
    // The client keeps only the tasks whose scope is its own.
    const mine = incoming.filter((t) => t.scope === scope.name);
    expect(mine.map((t) => t.id).sort()).toEqual(['a1', 'b2', 'c3']);
    for (const task of incoming) expectTaskAsPythonReadsIt(task, scope.name);

    expectTaskAsPythonReadsIt(await pyCall(py.tasks.get('a1')), scope.name);
    expect(await pyCall(py.tasks.get('TASK-missing'))).toBeNull();
    expect(py.last.status).toBe(404);

    const projectTasks = await pyCall(py.projects.getTasks('PROJ-widgets'));
    expect(projectTasks.map((t) => t.id).sort()).toEqual(['a1', 'b2']);

    const poll = await pyCall(py.poll(orchestratorId));
    expect(poll.queue_counts).toMatchObject({ incoming: 3, claimed: 0, provisional: 0 });
  });

  test('claims by role and type, renews the lease by PATCH, submits, and the gatekeeper accepts', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.flows.register('default', PYTHON_FLOW.states, PYTHON_FLOW.transitions));
    await pyCall(py.tasks.create(pythonTask('impl-1', { type: 'feature', priority: 'P1' })));
    await pyCall(py.tasks.create(pythonTask('other-1', { role: 'breakdown', priority: 'P0' })));

    const claimed = await pyCall(
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-1',
        role_filter: 'implement',
        type_filter: 'feature',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 3,
      }),
    );
    expect(JSON.parse(py.last.body ?? '{}')).toEqual({
      orchestrator_id: 'prod-m1',
      agent_name: 'implementer-1',
      role_filter: 'implement',
      type_filter: 'feature',
      lease_duration_seconds: LEASE_SECONDS,
      max_claimed: 3,
      scope: scope.name,
    });
    expect(py.last.status).toBe(200);
    const task = expectTaskAsPythonReadsIt(claimed, scope.name);
    expect(task).toMatchObject({
      id: 'impl-1',
      queue: 'claimed',
      claimed_by: 'implementer-1',
      attempt_count: 0,
    });
    expect(
      pythonFromIsoformat(task.lease_expires_at) - pythonFromIsoformat(task.claimed_at),
      'the lease runs lease_duration_seconds from the claim',
    ).toBe(LEASE_SECONDS * 1000);

    // Nothing else is an `implement` task of type `feature`: 404, read as None.
    const none = await pyCall(
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-2',
        role_filter: 'implement',
        type_filter: 'feature',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 3,
      }),
    );
    expect(none).toBeNull();
    expect(py.last.status).toBe(404);

    // Lease renewal: `(datetime.now(timezone.utc) + timedelta(hours=1)).isoformat()`.
    const renewal = new Date(Date.now() + 3_600_000);
    const renewalText = pythonIsoformat(renewal, renewal.getUTCMilliseconds() * 1000 + 456);
    expect(renewalText).toMatch(/\.\d{6}\+00:00$/);
    const renewed = await pyCall(py.tasks.update('impl-1', { lease_expires_at: renewalText }));
    expect(JSON.parse(py.last.body ?? '{}')).toEqual({
      lease_expires_at: renewalText,
      scope: scope.name,
    });
    expectTaskAsPythonReadsIt(renewed, scope.name);
    expect(renewed).toMatchObject({ id: 'impl-1', queue: 'claimed', claimed_by: 'implementer-1' });
    expect(pythonFromIsoformat(renewed.lease_expires_at)).toBe(renewal.getTime());

    // The create_pr step records the PR on the task.
    const withPr = await pyCall(
      py.tasks.update('impl-1', {
        pr_url: 'https://github.com/acme/widgets/pull/17',
        pr_number: 17,
      }),
    );
    expect(withPr).toMatchObject({ pr_number: 17, queue: 'claimed' });

    const submitted = await pyCall(
      py.tasks.submit('impl-1', 3, 42, 'pytest: 120 passed', 'Added the widget index'),
    );
    expectTaskAsPythonReadsIt(submitted, scope.name);
    expect(submitted).toMatchObject({ id: 'impl-1', queue: 'provisional' });

    const review = await pyCall(py.poll(orchestratorId));
    expect(review.queue_counts).toMatchObject({ incoming: 1, claimed: 0, provisional: 1 });
    expect(review.provisional_tasks).toEqual([
      { id: 'impl-1', hooks: HOOKS, pr_number: 17, claimed_by: null },
    ]);

    const gatekeeping = await pyCall(
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'gatekeeper-1',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 3,
        queue: 'provisional',
      }),
    );
    expect(gatekeeping).toMatchObject({
      id: 'impl-1',
      queue: 'provisional',
      claimed_by: 'gatekeeper-1',
      attempt_count: 0,
    });
    const reviewing = await pyCall(py.poll(orchestratorId));
    expect(reviewing.provisional_tasks).toEqual([
      { id: 'impl-1', hooks: HOOKS, pr_number: 17, claimed_by: 'gatekeeper-1' },
    ]);

    // accept() without accepted_by sends only the injected scope.
    const accepted = await pyCall(py.tasks.accept('impl-1'));
    expect(JSON.parse(py.last.body ?? '{}')).toEqual({ scope: scope.name });
    expect(py.last.status).toBe(200);
    expectTaskAsPythonReadsIt(accepted, scope.name);
    expect(accepted).toMatchObject({ id: 'impl-1', queue: 'done' });
    pythonFromIsoformat(accepted.completed_at);

    const done = await pyCall(py.poll(orchestratorId));
    expect(done.queue_counts).toMatchObject({ incoming: 1, claimed: 0, provisional: 0 });
    expect(done.provisional_tasks).toEqual([]);
  });

  test('rejects with the default rejected_by, requeues with a {scope} body, fails and expires through PATCH', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.flows.register('default', PYTHON_FLOW.states, PYTHON_FLOW.transitions));
    await pyCall(py.tasks.create(pythonTask('d1', { priority: 'P0' })));
    await pyCall(py.tasks.create(pythonTask('d2', { priority: 'P1' })));
    await pyCall(py.tasks.create(pythonTask('d3', { priority: 'P2' })));
    const claim = () =>
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-1',
        role_filter: 'implement',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 5,
      });

    expect(await pyCall(claim())).toMatchObject({ id: 'd1', queue: 'claimed' });
    await pyCall(py.tasks.submit('d1', 1, 10));
    const rejected = await pyCall(py.tasks.reject('d1', 'Tests do not cover the edge case'));
    expect(JSON.parse(py.last.body ?? '{}')).toEqual({
      reason: 'Tests do not cover the edge case',
      rejected_by: 'orchestrator',
      scope: scope.name,
    });
    expectTaskAsPythonReadsIt(rejected, scope.name);
    expect(rejected).toMatchObject({
      id: 'd1',
      queue: 'incoming',
      rejection_count: 1,
      claimed_by: null,
    });

    expect(await pyCall(claim())).toMatchObject({ id: 'd1', queue: 'claimed', attempt_count: 0 });
    const requeued = await pyCall(py.tasks.requeue('d1'));
    expect(py.last.body).toBe(pythonJsonDumps({ scope: scope.name }));
    expectTaskAsPythonReadsIt(requeued, scope.name);
    expect(requeued).toMatchObject({
      id: 'd1',
      queue: 'incoming',
      attempt_count: 1,
      claimed_by: null,
    });

    // The circuit breaker: tasks.fail() PATCHes queue failed with execution_notes.
    expect(await pyCall(claim())).toMatchObject({ id: 'd1', attempt_count: 1 });
    const failed = await pyCall(py.tasks.fail('d1', 'Circuit breaker: 2 failed attempts'));
    expect(JSON.parse(py.last.body ?? '{}')).toEqual({
      queue: 'failed',
      execution_notes: 'Circuit breaker: 2 failed attempts',
      scope: scope.name,
    });
    expectTaskAsPythonReadsIt(failed, scope.name);
    expect(failed).toMatchObject({
      id: 'd1',
      queue: 'failed',
      execution_notes: 'Circuit breaker: 2 failed attempts',
      claimed_by: null,
      lease_expires_at: null,
    });
    expect((await pyCall(py.tasks.list('failed'))).map((t) => t.id)).toEqual(['d1']);

    // The client's own expiry: back to incoming with the claim cleared by nulls, attempt + 1.
    const d2 = await pyCall(claim());
    expect(d2).toMatchObject({ id: 'd2', attempt_count: 0 });
    const expired = await pyCall(
      py.tasks.update('d2', {
        queue: 'incoming',
        claimed_by: null,
        claimed_at: null,
        lease_expires_at: null,
        attempt_count: (d2?.attempt_count as number) + 1,
      }),
    );
    expectTaskAsPythonReadsIt(expired, scope.name);
    expect(expired).toMatchObject({
      id: 'd2',
      queue: 'incoming',
      claimed_by: null,
      claimed_at: null,
      lease_expires_at: null,
      attempt_count: 1,
    });

    // needs_intervention goes out as a Python bool and comes back as 0/1.
    const flagged = await pyCall(py.tasks.update('d3', { needs_intervention: true }));
    expect(py.last.body).toContain('"needs_intervention": true');
    expect(flagged.needs_intervention).toBe(1);
    const listed = (await pyCall(py.tasks.list('incoming'))).find((t) => t.id === 'd3');
    expect(listed?.needs_intervention).toBe(1);
    const cleared = await pyCall(py.tasks.update('d3', { needs_intervention: false }));
    expect(cleared.needs_intervention).toBe(0);

    // A custom queue of the registered flow.
    const parked = await pyCall(py.tasks.update('d3', { queue: 'needs_human' }));
    expectTaskAsPythonReadsIt(parked, scope.name);
    expect(parked.queue).toBe('needs_human');
    expect((await pyCall(py.tasks.list('needs_human'))).map((t) => t.id)).toEqual(['d3']);
    expect((await pyCall(py.poll(orchestratorId))).queue_counts).toMatchObject({
      incoming: 1,
      claimed: 0,
      provisional: 0,
    });
  });

  test('reads a claim at max_claimed (429) and an empty queue (404) as None', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.tasks.create(pythonTask('f1', { priority: 'P0' })));
    await pyCall(py.tasks.create(pythonTask('f2', { priority: 'P1' })));
    const claim = (orchestrator: string, agent: string) =>
      py.tasks.claim({
        orchestrator_id: orchestrator,
        agent_name: agent,
        role_filter: 'implement',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 1,
      });

    expect(await pyCall(claim(orchestratorId, 'implementer-1'))).toMatchObject({ id: 'f1' });
    expect(await pyCall(claim(orchestratorId, 'implementer-2'))).toBeNull();
    expect(py.last.status).toBe(429);
    expect((await pyCall(py.tasks.get('f2')))?.queue).toBe('incoming');

    // max_claimed counts per orchestrator, as the SDK's docstring says.
    await pyCall(
      py.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm2',
        version: '2.3.0',
        max_agents: 1,
      }),
    );
    expect(await pyCall(claim('prod-m2', 'implementer-3'))).toMatchObject({ id: 'f2' });

    expect(
      await pyCall(
        py.tasks.claim({
          orchestrator_id: orchestratorId,
          agent_name: 'implementer-4',
          lease_duration_seconds: LEASE_SECONDS,
          max_claimed: 5,
        }),
      ),
    ).toBeNull();
    expect(py.last.status).toBe(404);
  });

  test('threads messages and drives actions through execute, complete and fail', async ({
    scope,
    serverUrl,
  }) => {
    const { py } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.tasks.create(pythonTask('m1')));

    const question = await pyCall(
      py.messages.create({
        task_id: 'm1',
        from_actor: 'agent',
        type: 'question',
        content: 'Which database should the index use?',
        to_actor: 'human',
      }),
    );
    expect(py.last.status).toBe(201);
    expect(question.id).toBeTypeOf('string');
    const answer = await pyCall(
      py.messages.create({
        task_id: 'm1',
        from_actor: 'human',
        type: 'answer',
        content: 'SQLite.',
        to_actor: 'agent',
        parent_message_id: question.id,
      }),
    );
    expect(answer.parent_message_id).toBe(question.id);

    const thread = await pyCall(py.messages.list({ thread_id: question.id }));
    expect(thread.map((m) => [m.id, m.type])).toEqual([
      [question.id, 'question'],
      [answer.id, 'answer'],
    ]);
    const toHuman = await pyCall(py.messages.list({ to_actor: 'human', type: 'question' }));
    expect(toHuman.map((m) => m.id)).toEqual([question.id]);
    const ofTask = await pyCall(py.messages.list({ task_id: 'm1' }));
    expect(ofTask).toHaveLength(2);
    const taskMessages = await pyCall(py.tasks.getMessages('m1'));
    expect(taskMessages.map((m) => m.type)).toEqual(['question', 'answer']);

    const buttons = { buttons: [{ label: 'Approve', command: 'approve' }] };
    const merge = await pyCall(
      py.actions.create({
        entity_type: 'task',
        entity_id: 'm1',
        label: 'Merge PR #17',
        description: 'All checks passed',
        action_data: buttons,
      }),
    );
    const sentAction = JSON.parse(py.last.body ?? '{}');
    expect(sentAction).not.toHaveProperty('proposed_by');
    expect(sentAction.action_data).toEqual(buttons);
    expect(py.last.status).toBe(201);
    expect(merge).toMatchObject({
      entity_type: 'task',
      entity_id: 'm1',
      action_type: 'proposal',
      status: 'proposed',
    });
    expect(JSON.parse(merge.action_data)).toEqual(buttons);

    const proposed = await pyCall(
      py.actions.list({ entity_type: 'task', entity_id: 'm1', status: 'proposed' }),
    );
    expect(proposed.map((a) => a.id)).toEqual([merge.id]);

    const executing = await pyCall(py.actions.execute(merge.id));
    expect(py.last.body).toBe(pythonJsonDumps({ scope: scope.name }));
    expect(executing.status).toBe('execute_requested');
    const completed = await pyCall(py.actions.complete(merge.id, { merged: true, sha: 'abc1234' }));
    expect(py.last.status).toBe(200);
    expect(completed.status).toBe('completed');
    expect(JSON.parse(completed.result)).toEqual({ merged: true, sha: 'abc1234' });

    const rebase = await pyCall(
      py.actions.create({ entity_type: 'task', entity_id: 'm1', label: 'Rebase the branch' }),
    );
    await pyCall(py.actions.execute(rebase.id));
    const failed = await pyCall(py.actions.fail(rebase.id, { error: 'merge conflict' }));
    expect(py.last.status).toBe(200);
    expect(failed.status).toBe('failed');
    expect(JSON.parse(failed.result)).toEqual({ error: 'merge conflict' });

    const finished = await pyCall(py.actions.list({ entity_type: 'task', entity_id: 'm1' }));
    expect(Object.fromEntries(finished.map((a) => [a.id, a.status]))).toEqual({
      [merge.id]: 'completed',
      [rebase.id]: 'failed',
    });
  });

  test('deletes a task and a flow with no scope at all: the key names it', async ({
    scope,
    serverUrl,
  }) => {
    const { py } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.tasks.create(pythonTask('gone')));
    await pyCall(py.tasks.create(pythonTask('kept')));
    await pyCall(py.flows.register('default', PYTHON_FLOW.states, PYTHON_FLOW.transitions));
    await pyCall(py.flows.register('hotfix', ['incoming', 'claimed', 'done', 'failed'], []));

    const deleted = await pyCall(py.tasks.delete('gone'));
    expect(py.last).toMatchObject({ method: 'DELETE', query: {}, body: undefined });
    expect(py.last.status).toBeGreaterThanOrEqual(200);
    expect(py.last.status).toBeLessThan(300);
    expect(deleted.task_id).toBe('gone');
    expect(await pyCall(py.tasks.get('gone'))).toBeNull();
    expect(await pyCall(py.tasks.get('kept'))).not.toBeNull();

    await pyCall(py.flows.delete('hotfix'));
    expect(py.last).toMatchObject({ method: 'DELETE', query: {}, body: undefined });
    expect(py.last.status).toBeGreaterThanOrEqual(200);
    expect(py.last.status).toBeLessThan(300);
    expect((await pyCall(py.flows.list())).map((f) => f.name)).toEqual(['default']);
  });

  test('a hook completion from an agent script (no key, no scope) answers 400 and changes nothing', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.tasks.create(pythonTask('h1')));

    const outcome = await agentScriptCompletesHook(serverUrl, 'h1', 'run_tests', {
      status: 'passed',
      evidence: { passed: 120, failed: 0 },
    });
    // Non-fatal for the script; the default server cannot tell which scope is meant.
    expect(outcome.status, JSON.stringify(outcome.body)).toBe(400);
    expect(outcome.body.code).toBe('scope_required');
    expect((await pyCall(py.tasks.get('h1')))?.hooks).toBe(HOOKS);
    expect((await pyCall(py.poll(orchestratorId))).queue_counts.incoming).toBe(1);
  });

  test('a hook completion from an agent script succeeds on a server with legacyUnscopedIds', async () => {
    const server = await startTestServer({ legacyUnscopedIds: true });
    try {
      const scopeName = scopeForTest('python hook completion');
      const { py, orchestratorId } = await startOrchestrator(server.url, scopeName);
      await pyCall(py.tasks.create(pythonTask('h1')));
      await pyCall(
        py.tasks.claim({
          orchestrator_id: orchestratorId,
          agent_name: 'implementer-1',
          role_filter: 'implement',
          lease_duration_seconds: LEASE_SECONDS,
          max_claimed: 1,
        }),
      );
      await pyCall(py.tasks.update('h1', { pr_number: 7 }));
      await pyCall(py.tasks.submit('h1', 2, 30));

      const evidence = { passed: 120, failed: 0 };
      const outcome = await agentScriptCompletesHook(server.url, 'h1', 'run_tests', {
        status: 'passed',
        evidence,
      });
      expect(outcome.status, JSON.stringify(outcome.body)).toBe(200);
      expect(outcome.body).toMatchObject({ id: 'h1', scope: scopeName });
      const hooks = JSON.parse((await pyCall(py.tasks.get('h1')))?.hooks);
      expect(hooks).toEqual([
        {
          name: 'run_tests',
          point: 'before_merge',
          type: 'orchestrator',
          status: 'passed',
          evidence,
        },
        { name: 'create_pr', point: 'before_merge', type: 'orchestrator', status: 'pending' },
      ]);
      const poll = await pyCall(py.poll(orchestratorId));
      expect(poll.provisional_tasks).toHaveLength(1);
      expect(poll.provisional_tasks[0]).toMatchObject({ id: 'h1', pr_number: 7, claimed_by: null });
      expect(JSON.parse(poll.provisional_tasks[0].hooks)).toEqual(hooks);

      // Unknown ids stay an error the script may ignore, never a 5xx.
      const missing = await agentScriptCompletesHook(server.url, 'h-missing', 'run_tests', {
        status: 'failed',
      });
      expect(missing.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
