/**
 * Wire compatibility with the public octopoid Python SDK and the orchestrator code that drives
 * it: a replica of that client (./python-client.ts) replays its calls exactly as the v1
 * reference (§6) describes them — and as `orchestrator/scheduler.py`, `orchestrator/tasks.py`
 * and `orchestrator/agent_scripts/submit-pr` send them — and the assertions read exactly the
 * response fields the client reads. When one fails, the server no longer serves the Python
 * client: fix the server, never the expectation.
 */
import { describe, expect, scopeForTest, startPrivateServer, test } from '@octopoid/testing/vitest';
import {
  agentScriptRequest,
  type PyDict,
  PyHTTPError,
  PythonClient,
  pythonFromIsoformat,
  pythonIsoformat,
  pythonJsonDumps,
  submitPrScript,
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
/** The lease the client asks for on every claim: four hours. */
const LEASE_SECONDS = 14400;

/** The default flow as the client syncs it from `.octopoid/flows/default.yaml`. */
const DEFAULT_FLOW = {
  states: [
    'incoming',
    'claimed',
    'provisional',
    'needs_continuation',
    'escalated',
    'done',
    'failed',
  ],
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
/** The flow of a project's child tasks, sent as an object inside the project flow. */
const CHILD_FLOW = {
  transitions: [
    { from: 'incoming', to: 'claimed', agent: 'implementer' },
    { from: 'claimed', to: 'provisional', runs: ['run_tests'] },
  ],
};
const PROJECT_FLOW = {
  states: ['incoming', 'claimed', 'provisional', 'done', 'failed'],
  transitions: [
    { from: 'incoming', to: 'claimed', agent: 'implementer' },
    { from: 'claimed', to: 'provisional', runs: ['run_tests'] },
    { from: 'provisional', to: 'done', agent: 'gatekeeper' },
    { from: 'provisional', to: 'incoming' },
    { from: 'claimed', to: 'incoming' },
  ],
};

/** Hooks travel as the text `json.dumps(hooks_list)` made. */
const HOOKS = JSON.stringify([
  { name: 'run_tests', point: 'before_submit', type: 'agent', status: 'pending' },
  { name: 'create_pr', point: 'before_submit', type: 'agent', status: 'pending' },
]);

/**
 * `orchestrator.tasks.create_task`'s `sdk.tasks.create(**create_kwargs)`, with `metadata`;
 * `type` is an extra keyword the SDK passes through (`**kwargs`).
 */
function createTask(
  py: PythonClient,
  id: string,
  options: {
    role?: string;
    priority?: string;
    branch?: string;
    project_id?: string;
    blocked_by?: string;
    hooks?: string | null;
    type?: string;
  } = {},
) {
  const role = options.role ?? 'implement';
  const priority = options.priority ?? 'P1';
  const branch = options.branch ?? 'main';
  const kwargs: PyDict = {
    id,
    file_path: `TASK-${id}.md`,
    title: `Task ${id}`,
    role,
    priority,
    queue: 'incoming',
    branch,
    hooks: options.hooks === undefined ? HOOKS : options.hooks,
    content: `# [TASK-${id}] Task ${id}\n\nROLE: ${role}\nPRIORITY: ${priority}\nBRANCH: ${branch}\n`,
    flow: options.project_id ? 'project' : 'default',
    metadata: { created_by: 'human', checks: null, breakdown_depth: 0 },
  };
  if (options.project_id) kwargs.project_id = options.project_id;
  if (options.blocked_by) kwargs.blocked_by = options.blocked_by;
  if (options.type) kwargs.type = options.type;
  return pyCall(py.tasks.create(kwargs as Parameters<PythonClient['tasks']['create']>[0]));
}

/** The checks Python code makes on every task it reads. */
function expectTaskAsPythonReadsIt(task: PyDict | null | undefined, scope: string): PyDict {
  expect(task, 'a task dict').toBeTypeOf('object');
  const row = task as PyDict;
  // `list_tasks` keeps only `t.get("scope") == scope`.
  expect(row.scope, `${row.id}: scope`).toBe(scope);
  for (const flag of TASK_FLAGS) {
    expect([0, 1], `${row.id}: ${flag} must be the integer 0/1`).toContain(row[flag]);
  }
  if (row.hooks !== null) {
    expect(row.hooks, `${row.id}: hooks must be JSON text`).toBeTypeOf('string');
    expect(Array.isArray(JSON.parse(row.hooks)), `${row.id}: hooks JSON is a list`).toBe(true);
  }
  // `datetime.fromisoformat(value.replace('Z', '+00:00'))`, compared with an aware now.
  for (const field of ['lease_expires_at', 'updated_at', 'completed_at'] as const) {
    if (row[field] !== null) pythonFromIsoformat(row[field]);
  }
  return row;
}

/**
 * The scheduler's first tick on machine `m1` of cluster `prod`: it polls (no key yet), sees it
 * is not registered, registers with no key, and saves the key the registration returns.
 */
async function startOrchestrator(serverUrl: string, scope: string) {
  const py = new PythonClient(serverUrl, scope);
  const firstPoll = await pyCall(py.poll('prod-m1'));
  expect(firstPoll.orchestrator_registered).toBe(false);
  const registered = await pyCall(
    py.orchestrators.register({
      cluster: 'prod',
      machine_id: 'm1',
      version: '2.0.0',
      max_agents: 3,
      repo_url: REPO_URL,
    }),
  );
  expect(py.last.status, JSON.stringify(registered)).toBe(201);
  expect(registered.api_key).toMatch(API_KEY);
  expect(py.apiKey).toBe(registered.api_key);
  return { py, orchestratorId: registered.orchestrator_id as string };
}

/** A call the client must survive; its PyHTTPError becomes a failure naming the request. */
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

const sentJson = (py: PythonClient) => JSON.parse(py.last.body ?? 'null');

describe('the v1 Python client', () => {
  test('registers without a key, saves the api_key, heartbeats with no body and no scope, polls', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    expect(orchestratorId).toBe('prod-m1');
    const [poll, registration] = py.sent;
    expect(poll).toMatchObject({
      method: 'GET',
      path: '/api/v1/scheduler/poll',
      query: { orchestrator_id: 'prod-m1', scope: scope.name },
    });
    expect(registration?.headers).not.toHaveProperty('authorization');
    expect(JSON.parse(registration?.body ?? '{}')).toEqual({
      id: 'prod-m1',
      cluster: 'prod',
      machine_id: 'm1',
      version: '2.0.0',
      max_agents: 3,
      repo_url: REPO_URL,
      scope: scope.name,
    });

    const health = await pyCall(py.health());
    expect(py.last.status).toBe(200);
    expect(health).toBeTypeOf('object');

    const beat = await pyCall(py.orchestrators.heartbeat(orchestratorId));
    expect(py.last).toMatchObject({ method: 'POST', query: {}, body: undefined, status: 200 });
    expect(py.last.headers).not.toHaveProperty('content-type');
    expect(py.last.headers.authorization).toBe(`Bearer ${py.apiKey}`);
    expect(beat.success).toBe(true);
    pythonFromIsoformat(beat.last_heartbeat);

    const ticked = await pyCall(py.poll(orchestratorId));
    expect(ticked.queue_counts).toMatchObject({ incoming: 0, claimed: 0, provisional: 0 });
    expect(ticked.provisional_tasks).toEqual([]);
    expect(ticked.orchestrator_registered).toBe(true);

    // A reinstall that lost the registration but kept the key: 200, no new key.
    const again = await pyCall(
      py.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm1',
        version: '2.0.0',
        max_agents: 3,
      }),
    );
    expect(py.last.status).toBe(200);
    expect(py.last.headers.authorization).toBe(`Bearer ${py.apiKey}`);
    expect(again.orchestrator_id).toBe('prod-m1');
    expect(again).not.toHaveProperty('api_key');

    // A second machine whose config has the key and no repo url.
    const second = new PythonClient(serverUrl, scope.name, py.apiKey);
    const m2 = await pyCall(
      second.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm2',
        version: '2.0.0',
        max_agents: 1,
      }),
    );
    expect(sentJson(second)).not.toHaveProperty('repo_url');
    expect(second.last.status).toBe(201);
    expect(m2.orchestrator_id).toBe('prod-m2');
    expect(m2).not.toHaveProperty('api_key');
    expect((await pyCall(second.poll('prod-m2'))).orchestrator_registered).toBe(true);

    // Restarts that lost the key file register with no key: the same machine (200) and a new
    // one (201); neither gets a key, and the scope keeps the first one.
    for (const [machineId, status] of [
      ['m1', 200],
      ['m3', 201],
    ] as const) {
      const keyless = new PythonClient(serverUrl, scope.name);
      const rejoined = await pyCall(
        keyless.orchestrators.register({
          cluster: 'prod',
          machine_id: machineId,
          version: '2.0.0',
          max_agents: 1,
          repo_url: REPO_URL,
        }),
      );
      expect(keyless.last.headers).not.toHaveProperty('authorization');
      expect(keyless.last.status).toBe(status);
      expect(rejoined.orchestrator_id).toBe(`prod-${machineId}`);
      expect(rejoined).not.toHaveProperty('api_key');
      expect(keyless.apiKey).toBeUndefined();
    }
    expect((await pyCall(py.poll('prod-m3'))).orchestrator_registered).toBe(true);
  });

  test('syncs flows and files projects, drafts and tasks with the fields the client sends', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);

    const synced = await pyCall(
      py.flows.register('default', DEFAULT_FLOW.states, DEFAULT_FLOW.transitions, {
        description: 'Implement, review, merge',
      }),
    );
    expect(py.last.status).toBe(200);
    expect(synced.name).toBe('default');
    const projectFlow = await pyCall(
      py.flows.register('project', PROJECT_FLOW.states, PROJECT_FLOW.transitions, {
        description: 'Tasks of a project',
        child_flow: CHILD_FLOW,
      }),
    );
    expect(py.last.status).toBe(200);
    expect(sentJson(py).child_flow).toEqual(CHILD_FLOW);
    expect(JSON.parse(projectFlow.child_flow)).toEqual(CHILD_FLOW);
    const flows = await pyCall(py.flows.list());
    expect(flows.map((f) => f.name)).toEqual(['default', 'project']);
    expect(JSON.parse(flows[1]?.child_flow)).toEqual(CHILD_FLOW);
    expect(JSON.parse(flows[0]?.states)).toEqual(DEFAULT_FLOW.states);
    expect(JSON.parse(flows[0]?.transitions)).toEqual(DEFAULT_FLOW.transitions);

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
    expect(await pyCall(py.projects.get('PROJ-widgets'))).toMatchObject({
      branch: 'feature/widgets',
    });
    expect(await pyCall(py.projects.get('PROJ-missing'))).toBeNull();
    expect(py.last.status).toBe(404);
    // The client writes flow state names into status.
    const moved = await pyCall(py.projects.update('PROJ-widgets', { status: 'in_progress' }));
    expect(moved.status).toBe('in_progress');
    expect((await pyCall(py.projects.list('in_progress'))).map((p) => p.id)).toEqual([
      'PROJ-widgets',
    ]);
    // Once the project's PR is open, the client PATCHes pr_url and pr_number alone.
    const withPr = await pyCall(
      py.projects.update('PROJ-widgets', {
        pr_url: 'https://github.com/acme/widgets/pull/41',
        pr_number: 41,
      }),
    );
    expect(sentJson(py)).toEqual({
      pr_url: 'https://github.com/acme/widgets/pull/41',
      pr_number: 41,
      scope: scope.name,
    });
    expect(py.last.status).toBe(200);
    expect(withPr).toMatchObject({
      pr_url: 'https://github.com/acme/widgets/pull/41',
      pr_number: 41,
    });

    const draft = await pyCall(
      py.drafts.create('Cache the widget index', 'human', 'drafts/cache.md', 'idea'),
    );
    expect(py.last.status).toBe(201);
    expect(Number.isInteger(draft.id), `draft id ${JSON.stringify(draft.id)}`).toBe(true);
    expect((await pyCall(py.drafts.list('idea'))).map((d) => d.id)).toEqual([draft.id]);

    // create_task looks the project's branch up first.
    const branch = (await pyCall(py.projects.get('PROJ-widgets')))?.branch as string;
    const created = [
      await createTask(py, 'a1f0c2d4', { project_id: 'PROJ-widgets', branch }),
      await createTask(py, 'b2e1d3c5', {
        project_id: 'PROJ-widgets',
        branch,
        blocked_by: 'a1f0c2d4',
        priority: 'P2',
      }),
      await createTask(py, 'c3d2e4f6', { role: 'breakdown', hooks: null, type: 'product' }),
    ];
    const creates = py.sent.filter((r) => r.method === 'POST' && r.path === '/api/v1/tasks');
    expect(creates.map((r) => r.status)).toEqual([201, 201, 201]);
    expect(JSON.parse(creates[0]?.body ?? '{}')).toMatchObject({
      metadata: { created_by: 'human', checks: null, breakdown_depth: 0 },
      scope: scope.name,
    });
    for (const task of created) {
      expectTaskAsPythonReadsIt(task, scope.name);
      expect(task.queue).toBe('incoming');
    }
    expect(created[0]).toMatchObject({
      id: 'a1f0c2d4',
      file_path: 'TASK-a1f0c2d4.md',
      title: 'Task a1f0c2d4',
      role: 'implement',
      priority: 'P1',
      branch: 'feature/widgets',
      project_id: 'PROJ-widgets',
      flow: 'project',
      hooks: HOOKS,
      blocked_by: null,
    });
    expect(created[1]).toMatchObject({ blocked_by: 'a1f0c2d4', flow: 'project' });
    expect(created[2]).toMatchObject({ flow: 'default', type: 'product', hooks: null });

    const incoming = await pyCall(py.tasks.list('incoming'));
    expect(py.last.query).toEqual({ queue: 'incoming', scope: scope.name });
    const mine = incoming.filter((t) => t.scope === scope.name);
    expect(mine.map((t) => t.id).sort()).toEqual(['a1f0c2d4', 'b2e1d3c5', 'c3d2e4f6']);
    for (const task of incoming) expectTaskAsPythonReadsIt(task, scope.name);

    expectTaskAsPythonReadsIt(await pyCall(py.tasks.get('a1f0c2d4')), scope.name);
    expect(await pyCall(py.tasks.get('deadbeef'))).toBeNull();
    expect(py.last.status).toBe(404);

    const projectTasks = await pyCall(py.projects.getTasks('PROJ-widgets'));
    expect(projectTasks.map((t) => t.id).sort()).toEqual(['a1f0c2d4', 'b2e1d3c5']);
    for (const task of projectTasks) expectTaskAsPythonReadsIt(task, scope.name);

    const poll = await pyCall(py.poll(orchestratorId));
    expect(poll.queue_counts).toMatchObject({ incoming: 3, claimed: 0, provisional: 0 });
  });

  test('claims by role and type, renews the lease by PATCH, submits, and the gatekeeper accepts', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.flows.register('default', DEFAULT_FLOW.states, DEFAULT_FLOW.transitions));
    await createTask(py, 'impl0001', { type: 'feature' });
    await createTask(py, 'brk00001', { role: 'breakdown', priority: 'P0' });

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
    expect(sentJson(py)).toEqual({
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
      id: 'impl0001',
      queue: 'claimed',
      claimed_by: 'implementer-1',
      attempt_count: 1,
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

    // renew_active_leases: `(now + timedelta(hours=1)).isoformat()`, microseconds and +00:00.
    const listedClaimed = await pyCall(py.tasks.list('claimed'));
    expect(listedClaimed.map((t) => t.id)).toEqual(['impl0001']);
    pythonFromIsoformat(listedClaimed[0]?.lease_expires_at);
    const renewal = new Date(Date.now() + 3_600_000);
    const newExpiry = pythonIsoformat(renewal, renewal.getUTCMilliseconds() * 1000 + 456);
    expect(newExpiry).toMatch(/T\d\d:\d\d:\d\d\.\d{6}\+00:00$/);
    const renewed = await pyCall(py.tasks.update('impl0001', { lease_expires_at: newExpiry }));
    expect(sentJson(py)).toEqual({ lease_expires_at: newExpiry, scope: scope.name });
    expectTaskAsPythonReadsIt(renewed, scope.name);
    expect(renewed).toMatchObject({
      id: 'impl0001',
      queue: 'claimed',
      claimed_by: 'implementer-1',
    });
    expect(pythonFromIsoformat(renewed.lease_expires_at)).toBe(renewal.getTime());

    const submitted = await pyCall(
      py.tasks.submit('impl0001', 3, 42, 'pytest: 120 passed', '3 commit(s). 42 turn(s).'),
    );
    expect(sentJson(py)).toEqual({
      commits_count: 3,
      turns_used: 42,
      check_results: 'pytest: 120 passed',
      execution_notes: '3 commit(s). 42 turn(s).',
      scope: scope.name,
    });
    expectTaskAsPythonReadsIt(submitted, scope.name);
    expect(submitted).toMatchObject({ id: 'impl0001', queue: 'provisional' });
    // The PR the agent opened, recorded on the task.
    const withPr = await pyCall(
      py.tasks.update('impl0001', {
        pr_url: 'https://github.com/acme/widgets/pull/17',
        pr_number: 17,
      }),
    );
    expect(withPr).toMatchObject({ pr_number: 17, queue: 'provisional' });

    const review = await pyCall(py.poll(orchestratorId));
    expect(review.queue_counts).toMatchObject({ incoming: 1, claimed: 0, provisional: 1 });
    expect(review.provisional_tasks).toEqual([
      { id: 'impl0001', hooks: HOOKS, pr_number: 17, claimed_by: null },
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
      id: 'impl0001',
      queue: 'provisional',
      claimed_by: 'gatekeeper-1',
      attempt_count: 1,
    });
    const reviewing = await pyCall(py.poll(orchestratorId));
    expect(reviewing.provisional_tasks).toEqual([
      { id: 'impl0001', hooks: HOOKS, pr_number: 17, claimed_by: 'gatekeeper-1' },
    ]);

    // accept() without accepted_by sends only the injected scope.
    const accepted = await pyCall(py.tasks.accept('impl0001'));
    expect(sentJson(py)).toEqual({ scope: scope.name });
    expect(py.last.status).toBe(200);
    expectTaskAsPythonReadsIt(accepted, scope.name);
    expect(accepted).toMatchObject({ id: 'impl0001', queue: 'done', claimed_by: null });
    pythonFromIsoformat(accepted.completed_at);

    const done = await pyCall(py.poll(orchestratorId));
    expect(done.queue_counts).toMatchObject({ incoming: 1, claimed: 0, provisional: 0 });
    expect(done.provisional_tasks).toEqual([]);
    expect((await pyCall(py.tasks.list('done'))).map((t) => t.id)).toEqual(['impl0001']);
  });

  test('rejects with the default rejected_by, requeues with a {scope} body, fails by PATCH', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.flows.register('default', DEFAULT_FLOW.states, DEFAULT_FLOW.transitions));
    await createTask(py, 'd1000000', { priority: 'P0' });
    const claim = () =>
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-1',
        role_filter: 'implement',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 5,
      });

    expect(await pyCall(claim())).toMatchObject({ id: 'd1000000', queue: 'claimed' });
    await pyCall(py.tasks.submit('d1000000', 1, 10));
    const rejected = await pyCall(py.tasks.reject('d1000000', 'Tests miss the edge case'));
    expect(py.last.body).toBe(
      pythonJsonDumps({
        reason: 'Tests miss the edge case',
        rejected_by: 'orchestrator',
        scope: scope.name,
      }),
    );
    expectTaskAsPythonReadsIt(rejected, scope.name);
    expect(rejected).toMatchObject({
      id: 'd1000000',
      queue: 'incoming',
      rejection_count: 1,
      claimed_by: null,
    });

    // A rejected task waits out its retry backoff; every claim counts an attempt.
    expect(await pyCall(claim())).toBeNull();
    await scope.clock.advance('1m');
    expect(await pyCall(claim())).toMatchObject({ id: 'd1000000', attempt_count: 2 });
    const requeued = await pyCall(py.tasks.requeue('d1000000'));
    expect(py.last.body).toBe(pythonJsonDumps({ scope: scope.name }));
    expectTaskAsPythonReadsIt(requeued, scope.name);
    expect(requeued).toMatchObject({
      id: 'd1000000',
      queue: 'incoming',
      attempt_count: 2,
      claimed_by: null,
    });

    // The circuit breaker: tasks.fail() PATCHes queue failed with execution_notes.
    await scope.clock.advance('1m');
    expect(await pyCall(claim())).toMatchObject({ id: 'd1000000', attempt_count: 3 });
    const failed = await pyCall(py.tasks.fail('d1000000', 'Circuit breaker: 2 failed attempts'));
    expect(sentJson(py)).toEqual({
      queue: 'failed',
      execution_notes: 'Circuit breaker: 2 failed attempts',
      scope: scope.name,
    });
    expectTaskAsPythonReadsIt(failed, scope.name);
    expect(failed).toMatchObject({
      id: 'd1000000',
      queue: 'failed',
      execution_notes: 'Circuit breaker: 2 failed attempts',
      claimed_by: null,
      lease_expires_at: null,
    });
    expect((await pyCall(py.tasks.list('failed'))).map((t) => t.id)).toEqual(['d1000000']);
    expect((await pyCall(py.poll(orchestratorId))).queue_counts).toMatchObject({
      incoming: 0,
      claimed: 0,
      provisional: 0,
    });
  });

  test('runs the scheduler’s housekeeping PATCHes: expiry, checks, hold, reset, continuation', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await pyCall(py.flows.register('default', DEFAULT_FLOW.states, DEFAULT_FLOW.transitions));
    await createTask(py, 'e1000000', { priority: 'P0' });
    await createTask(py, 'e2000000', { priority: 'P1' });
    await createTask(py, 'e3000000', { priority: 'P2' });
    const claim = (agent: string, queue?: string) =>
      pyCall(
        py.tasks.claim({
          orchestrator_id: orchestratorId,
          agent_name: agent,
          lease_duration_seconds: LEASE_SECONDS,
          max_claimed: 5,
          ...(queue ? { queue } : { role_filter: 'implement' }),
        }),
      );

    // check_and_requeue_expired_leases, claimed → incoming, attempt_count + 1.
    const e1 = await claim('implementer-1');
    expect(e1).toMatchObject({ id: 'e1000000', attempt_count: 1 });
    const requeued = await pyCall(
      py.tasks.update('e1000000', {
        queue: 'incoming',
        claimed_by: null,
        lease_expires_at: null,
        attempt_count: (e1?.attempt_count as number) + 1,
        needs_intervention: false,
      }),
    );
    expect(py.last.body).toContain('"claimed_by": null');
    expect(py.last.body).toContain('"needs_intervention": false');
    expectTaskAsPythonReadsIt(requeued, scope.name);
    expect(requeued).toMatchObject({
      id: 'e1000000',
      queue: 'incoming',
      claimed_by: null,
      lease_expires_at: null,
      attempt_count: 2,
      needs_intervention: 0,
    });

    // ... and provisional → provisional: the gatekeeper's claim is cleared, the task stays.
    expect(await claim('implementer-1')).toMatchObject({ id: 'e1000000' });
    await pyCall(py.tasks.submit('e1000000', 2, 20));
    expect(await claim('gatekeeper-1', 'provisional')).toMatchObject({
      id: 'e1000000',
      claimed_by: 'gatekeeper-1',
    });
    const released = await pyCall(
      py.tasks.update('e1000000', {
        queue: 'provisional',
        claimed_by: null,
        lease_expires_at: null,
      }),
    );
    expect(released).toMatchObject({
      queue: 'provisional',
      claimed_by: null,
      lease_expires_at: null,
    });
    expect((await pyCall(py.poll(orchestratorId))).provisional_tasks).toEqual([
      { id: 'e1000000', hooks: HOOKS, pr_number: null, claimed_by: null },
    ]);

    // check_and_evaluate_checks: a failed check sends the task back, with a `context` key.
    const bounced = await pyCall(
      py.tasks.update('e1000000', {
        queue: 'incoming',
        claimed_by: null,
        lease_expires_at: null,
        context: 'Check failed: run_tests reported 2 failures',
      }),
    );
    expectTaskAsPythonReadsIt(bounced, scope.name);
    expect(bounced).toMatchObject({ id: 'e1000000', queue: 'incoming', claimed_by: null });

    // needs_intervention goes out as a Python bool and comes back as 0/1.
    const flagged = await pyCall(py.tasks.update('e2000000', { needs_intervention: true }));
    expect(py.last.body).toContain('"needs_intervention": true');
    expect(flagged.needs_intervention).toBe(1);
    const listed = (await pyCall(py.tasks.list('incoming'))).find((t) => t.id === 'e2000000');
    expect(listed?.needs_intervention).toBe(1);

    // hold_task: a custom queue of the flow, with checks and check_results cleared.
    const held = await pyCall(
      py.tasks.update('e2000000', {
        queue: 'escalated',
        claimed_by: null,
        claimed_at: null,
        checks: null,
        check_results: null,
      }),
    );
    expectTaskAsPythonReadsIt(held, scope.name);
    expect(held).toMatchObject({ id: 'e2000000', queue: 'escalated', checks: null });
    expect((await pyCall(py.tasks.list('escalated'))).map((t) => t.id)).toEqual(['e2000000']);

    // reset_task: back to incoming with a clean slate.
    const reset = await pyCall(
      py.tasks.update('e2000000', {
        queue: 'incoming',
        claimed_by: null,
        claimed_at: null,
        checks: null,
        check_results: null,
        rejection_count: 0,
      }),
    );
    expect(reset).toMatchObject({ id: 'e2000000', queue: 'incoming', rejection_count: 0 });
    const cleared = await pyCall(py.tasks.update('e2000000', { needs_intervention: false }));
    expect(cleared.needs_intervention).toBe(0);

    // mark_needs_continuation sends keys the server has no column for; resume_task claims back.
    expect(await claim('implementer-1')).toMatchObject({ id: 'e1000000' });
    const paused = await pyCall(
      py.tasks.update('e1000000', {
        queue: 'needs_continuation',
        reason: 'Agent ran out of turns',
        branch_name: 'agent/e1000000',
        agent_name: 'implementer-1',
      }),
    );
    expectTaskAsPythonReadsIt(paused, scope.name);
    expect(paused).toMatchObject({ id: 'e1000000', queue: 'needs_continuation' });
    const resumed = await pyCall(
      py.tasks.update('e1000000', {
        queue: 'claimed',
        claimed_by: 'implementer-2',
        orchestrator_id: orchestratorId,
      }),
    );
    expectTaskAsPythonReadsIt(resumed, scope.name);
    expect(resumed).toMatchObject({
      id: 'e1000000',
      queue: 'claimed',
      claimed_by: 'implementer-2',
    });

    // retry_task on a task that was never claimed.
    const retried = await pyCall(
      py.tasks.update('e3000000', { queue: 'incoming', claimed_by: null, claimed_at: null }),
    );
    expect(retried).toMatchObject({ id: 'e3000000', queue: 'incoming' });

    expect((await pyCall(py.poll(orchestratorId))).queue_counts).toMatchObject({
      incoming: 2,
      claimed: 1,
      provisional: 0,
    });
  });

  test('reads a claim at max_claimed (429) and an empty queue (404) as None', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await createTask(py, 'f1000000', { priority: 'P0' });
    await createTask(py, 'f2000000', { priority: 'P1' });
    const claim = (client: PythonClient, orchestrator: string, agent: string) =>
      client.tasks.claim({
        orchestrator_id: orchestrator,
        agent_name: agent,
        role_filter: 'implement',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 1,
      });

    expect(await pyCall(claim(py, orchestratorId, 'implementer-1'))).toMatchObject({
      id: 'f1000000',
    });
    expect(await pyCall(claim(py, orchestratorId, 'implementer-2'))).toBeNull();
    expect(py.last.status).toBe(429);
    expect((await pyCall(py.tasks.get('f2000000')))?.queue).toBe('incoming');

    // max_claimed counts per orchestrator, as the SDK's docstring says.
    const m2 = new PythonClient(serverUrl, scope.name, py.apiKey);
    await pyCall(
      m2.orchestrators.register({
        cluster: 'prod',
        machine_id: 'm2',
        version: '2.0.0',
        max_agents: 1,
      }),
    );
    expect(await pyCall(claim(m2, 'prod-m2', 'implementer-3'))).toMatchObject({
      id: 'f2000000',
    });

    const nothing = await pyCall(
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-4',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 5,
      }),
    );
    expect(nothing).toBeNull();
    expect(py.last.status).toBe(404);

    // Anything else raises, as the client does.
    const raised = await py.tasks
      .claim({ orchestrator_id: orchestratorId, agent_name: 'x', queue: 'done' })
      .then(
        () => null,
        (error: unknown) => error,
      );
    expect(raised).toBeInstanceOf(PyHTTPError);
    expect((raised as PyHTTPError).status).toBe(400);
  });

  test('threads messages and drives actions through execute, complete and fail', async ({
    scope,
    serverUrl,
  }) => {
    const { py } = await startOrchestrator(serverUrl, scope.name);
    await createTask(py, 'a0000001');

    const question = await pyCall(
      py.messages.create({
        task_id: 'a0000001',
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
        task_id: 'a0000001',
        from_actor: 'human',
        type: 'answer',
        content: 'SQLite.',
        to_actor: 'agent',
        parent_message_id: question.id,
      }),
    );
    expect(answer.parent_message_id).toBe(question.id);
    const warning = await pyCall(
      py.messages.create({
        task_id: 'a0000001',
        from_actor: 'gatekeeper',
        type: 'warning',
        content: 'Task has been rejected 3 times by reviewers. Human attention required.',
        to_actor: 'human',
      }),
    );

    const thread = await pyCall(py.messages.list({ thread_id: question.id }));
    expect(py.last.query).toEqual({ thread_id: question.id, scope: scope.name });
    expect(thread.map((m) => [m.id, m.type])).toEqual([
      [question.id, 'question'],
      [answer.id, 'answer'],
    ]);
    const toHuman = await pyCall(py.messages.list({ to_actor: 'human', type: 'warning' }));
    expect(toHuman.map((m) => m.id)).toEqual([warning.id]);
    expect(await pyCall(py.messages.list({ task_id: 'a0000001' }))).toHaveLength(3);
    const taskMessages = await pyCall(py.tasks.getMessages('a0000001'));
    expect(taskMessages.map((m) => m.type)).toEqual(['question', 'answer', 'warning']);

    const buttons = { buttons: [{ label: 'Approve', command: 'approve' }] };
    const merge = await pyCall(
      py.actions.create({
        entity_type: 'task',
        entity_id: 'a0000001',
        label: 'Merge PR #17',
        description: 'All checks passed',
        action_data: buttons,
      }),
    );
    expect(sentJson(py)).not.toHaveProperty('proposed_by');
    expect(sentJson(py).action_data).toEqual(buttons);
    expect(py.last.status).toBe(201);
    expect(merge).toMatchObject({
      entity_type: 'task',
      entity_id: 'a0000001',
      action_type: 'proposal',
      status: 'proposed',
    });
    expect(JSON.parse(merge.action_data)).toEqual(buttons);

    const proposed = await pyCall(
      py.actions.list({ entity_type: 'task', entity_id: 'a0000001', status: 'proposed' }),
    );
    expect(proposed.map((a) => a.id)).toEqual([merge.id]);

    const executing = await pyCall(py.actions.execute(merge.id));
    expect(py.last.body).toBe(pythonJsonDumps({ scope: scope.name }));
    expect(executing.status).toBe('execute_requested');
    const requested = await pyCall(py.actions.list({ status: 'execute_requested' }));
    expect(requested.map((a) => a.id)).toEqual([merge.id]);
    const completed = await pyCall(py.actions.complete(merge.id, { merged: true, sha: 'abc1234' }));
    expect(sentJson(py)).toEqual({ result: { merged: true, sha: 'abc1234' }, scope: scope.name });
    expect(py.last.status).toBe(200);
    expect(completed.status).toBe('completed');
    expect(JSON.parse(completed.result)).toEqual({ merged: true, sha: 'abc1234' });

    const rebase = await pyCall(
      py.actions.create({
        entity_type: 'task',
        entity_id: 'a0000001',
        label: 'Rebase the branch',
        proposed_by: 'rebaser',
      }),
    );
    await pyCall(py.actions.execute(rebase.id));
    const failed = await pyCall(py.actions.fail(rebase.id, { error: 'merge conflict' }));
    expect(py.last.status).toBe(200);
    expect(failed.status).toBe('failed');
    expect(JSON.parse(failed.result)).toEqual({ error: 'merge conflict' });

    const finished = await pyCall(py.actions.list({ entity_type: 'task', entity_id: 'a0000001' }));
    expect(Object.fromEntries(finished.map((a) => [a.id, a.status]))).toEqual({
      [merge.id]: 'completed',
      [rebase.id]: 'failed',
    });

    // The gatekeeper proposes actions on entities the server does not hold: a task of another
    // system and a draft named by its file, with action_data already encoded as text.
    for (const [entityType, entityId] of [
      ['task', 'not-created-here'],
      ['draft', 'DRAFT-widgets'],
    ] as const) {
      const review = await pyCall(
        py.actions.create({
          entity_type: entityType,
          entity_id: entityId,
          action_type: 'review_task',
          label: 'Review',
          proposed_by: 'gatekeeper',
          action_data: '{"buttons":[]}',
        }),
      );
      expect(py.last.status).toBe(201);
      expect(review).toMatchObject({
        entity_type: entityType,
        entity_id: entityId,
        action_type: 'review_task',
        action_data: '{"buttons":[]}',
        status: 'proposed',
      });
    }
  });

  test('deletes a task and a flow with no scope at all: the key names it', async ({
    scope,
    serverUrl,
  }) => {
    const { py } = await startOrchestrator(serverUrl, scope.name);
    await createTask(py, 'gone0000');
    await createTask(py, 'kept0000');
    await pyCall(py.flows.register('default', DEFAULT_FLOW.states, DEFAULT_FLOW.transitions));
    await pyCall(py.flows.register('hotfix', ['incoming', 'claimed', 'done', 'failed'], []));

    const deleted = await pyCall(py.tasks.delete('gone0000'));
    expect(py.last).toMatchObject({ method: 'DELETE', query: {}, body: undefined });
    expect(py.last.headers.authorization).toBe(`Bearer ${py.apiKey}`);
    expect(py.last.status).toBeGreaterThanOrEqual(200);
    expect(py.last.status).toBeLessThan(300);
    expect(deleted.task_id).toBe('gone0000');
    expect(await pyCall(py.tasks.get('gone0000'))).toBeNull();
    expect(await pyCall(py.tasks.get('kept0000'))).not.toBeNull();

    await pyCall(py.flows.delete('hotfix'));
    expect(py.last).toMatchObject({ method: 'DELETE', query: {}, body: undefined });
    expect(py.last.status).toBeGreaterThanOrEqual(200);
    expect(py.last.status).toBeLessThan(300);
    expect((await pyCall(py.flows.list())).map((f) => f.name)).toEqual(['default']);
  });

  test('agent-script calls (no key, no scope) answer 400 on the default server; the scheduler takes over', async ({
    scope,
    serverUrl,
  }) => {
    const { py, orchestratorId } = await startOrchestrator(serverUrl, scope.name);
    await createTask(py, 'h1000000');
    await pyCall(
      py.tasks.claim({
        orchestrator_id: orchestratorId,
        agent_name: 'implementer-1',
        role_filter: 'implement',
        lease_duration_seconds: LEASE_SECONDS,
        max_claimed: 1,
      }),
    );

    const tests = await agentScriptRequest(
      serverUrl,
      'POST',
      '/api/v1/tasks/h1000000/hooks/run_tests/complete',
      { status: 'passed', evidence: { passed: 120, failed: 0 } },
    );
    expect(tests.status, JSON.stringify(tests.body)).toBe(400);
    expect(tests.body.code).toBe('scope_required');
    const script = await submitPrScript(serverUrl, 'h1000000', {
      url: 'https://github.com/acme/widgets/pull/9',
      number: 9,
      commits: 2,
      notes: 'Added the index.',
    });
    expect([script.evidence.status, script.submit.status]).toEqual([400, 400]);
    expect(script.update).toBeNull();

    // Nothing changed; the scheduler submits when the agent exits, as the script expects.
    const untouched = await pyCall(py.tasks.get('h1000000'));
    expect(untouched).toMatchObject({ queue: 'claimed', hooks: HOOKS, pr_number: null });
    const submitted = await pyCall(
      py.tasks.submit('h1000000', 2, 0, undefined, 'Added the index.'),
    );
    expect(submitted.queue).toBe('provisional');
  });

  test('agent-script calls (no key, no scope) succeed on a server with legacyUnscopedIds', async () => {
    const server = await startPrivateServer({ testMode: true, legacyUnscopedIds: true });
    try {
      const scopeName = scopeForTest('python agent scripts');
      const { py, orchestratorId } = await startOrchestrator(server.url, scopeName);
      await createTask(py, 'h1000000');
      await pyCall(
        py.tasks.claim({
          orchestrator_id: orchestratorId,
          agent_name: 'implementer-1',
          role_filter: 'implement',
          lease_duration_seconds: LEASE_SECONDS,
          max_claimed: 1,
        }),
      );

      const testEvidence = { passed: 120, failed: 0 };
      const tests = await agentScriptRequest(
        server.url,
        'POST',
        '/api/v1/tasks/h1000000/hooks/run_tests/complete',
        { status: 'passed', evidence: testEvidence },
      );
      expect(tests.status, JSON.stringify(tests.body)).toBe(200);
      expect(tests.body).toMatchObject({ id: 'h1000000', scope: scopeName });

      const pr = { url: 'https://github.com/acme/widgets/pull/9', number: 9 };
      const script = await submitPrScript(server.url, 'h1000000', {
        ...pr,
        commits: 2,
        notes: 'Added the index.',
      });
      expect(script.evidence.status, JSON.stringify(script.evidence.body)).toBe(200);
      expect(script.submit.status, JSON.stringify(script.submit.body)).toBe(200);
      expect(script.submit.body).toMatchObject({ queue: 'provisional', commits_count: 2 });
      expect(script.update?.status, JSON.stringify(script.update?.body)).toBe(200);

      const task = expectTaskAsPythonReadsIt(await pyCall(py.tasks.get('h1000000')), scopeName);
      expect(task).toMatchObject({
        queue: 'provisional',
        pr_url: pr.url,
        pr_number: 9,
        execution_notes: 'Added the index.',
      });
      const hooks = JSON.parse(task.hooks);
      expect(hooks).toEqual([
        {
          name: 'run_tests',
          point: 'before_submit',
          type: 'agent',
          status: 'passed',
          evidence: testEvidence,
        },
        {
          name: 'create_pr',
          point: 'before_submit',
          type: 'agent',
          status: 'passed',
          evidence: { pr_url: pr.url, pr_number: 9 },
        },
      ]);
      const poll = await pyCall(py.poll(orchestratorId));
      expect(poll.provisional_tasks).toEqual([
        { id: 'h1000000', hooks: task.hooks, pr_number: 9, claimed_by: null },
      ]);

      // An unknown id stays an error the script may ignore, never a 5xx.
      const missing = await agentScriptRequest(
        server.url,
        'POST',
        '/api/v1/tasks/deadbeef/hooks/run_tests/complete',
        { status: 'failed' },
      );
      expect(missing.status).toBe(404);
    } finally {
      await server.close();
    }
  });
});
