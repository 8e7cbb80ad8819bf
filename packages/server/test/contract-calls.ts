/**
 * How to call each route of the OpenAPI document, for the contract test (./contract.test.ts).
 * Adding a route to the server? Add an entry here: set up state with the SDK, then call the
 * route with `route.expect(status, request)`, once successfully and once for each error it is
 * meant to answer. The test fails for a route of the document that has no entry.
 */
import type { OctopoidSDK } from '@octopoid/sdk';
import { startPrivateServer } from '@octopoid/testing/vitest';

export interface ProbeRequest {
  /** Values of the route's `{path}` parameters. */
  params?: Record<string, string | number>;
  query?: Record<string, string | number | boolean>;
  /** Sent as JSON. */
  body?: unknown;
  /** Sent as is; set its `content-type` in `headers`. */
  rawBody?: string;
  /**
   * Announces a body of this many bytes in `content-length` but sends only the headers, and reads
   * the answer the server gives from them alone (a 413). Sending the body instead races the
   * server, which answers early and then closes the connection under the unread rest.
   */
  announcedBodyBytes?: number;
  headers?: Record<string, string>;
  /** `?scope=` on `/api/v1` routes: the test's own scope unless given; `null` sends none. */
  scope?: string | null;
  /** Another server to call instead of the run's. */
  serverUrl?: string;
}

export interface RouteProbe {
  /**
   * Calls the route under test; fails unless it answers `status` with a body that the
   * document's schema for that status accepts. Resolves to the body.
   */
  expect(status: number, request?: ProbeRequest): Promise<unknown>;
}

export type RouteCall = (route: RouteProbe, sdk: OctopoidSDK) => Promise<void>;

const newTask = (id: string, extra: object = {}) => ({
  id,
  file_path: `tasks/${id}.md`,
  branch: 'main',
  ...extra,
});
const claimant = { orchestrator_id: 'orch-1', agent_name: 'agent-1' };
const task = { params: { id: 't-1' } };
const missingTask = { params: { id: 't-missing' } };
const unknownKey = { authorization: `Bearer oct_${'0'.repeat(64)}` };
const newMessage = { task_id: 't-1', from_actor: 'agent-1', type: 'comment', content: 'done?' };
const newAction = { entity_type: 'task', entity_id: 't-1', label: 'Merge the PR' };
const missingAction = { params: { id: 'act-missing' } };
const newProject = { id: 'p-1', title: 'Project one', branch: 'feature/p-1' };
const project = { params: { id: newProject.id } };
const missingProject = { params: { id: 'p-missing' } };
const newDraft = { title: 'An idea', author: 'someone' };
const missingDraft = { params: { id: 999_999 } };
const newFlow = {
  states: ['incoming', 'claimed', 'provisional', 'done', 'failed'],
  transitions: [{ from: 'provisional', to: 'done', agent: 'reviewer' }],
};
const flow = { params: { name: 'review' } };
const newOrchestrator = {
  cluster: 'c-1',
  machine_id: 'm-1',
  repo_url: 'https://example.com/r.git',
};
const orchestratorId = `${newOrchestrator.cluster}-${newOrchestrator.machine_id}`;
const orchestrator = { params: { id: orchestratorId } };
const missingOrchestrator = { params: { id: 'c-1-missing' } };

/** Task `t-1` of the scope, claimed (or submitted) so transitions have something to act on. */
async function claimedTask(sdk: OctopoidSDK) {
  await sdk.tasks.create(newTask('t-1'));
  await sdk.tasks.claim(claimant);
}
async function submittedTask(sdk: OctopoidSDK) {
  await claimedTask(sdk);
  await sdk.tasks.submit('t-1', { commits_count: 1, turns_used: 1 });
}

/** The id of a proposed action on task `t-1`. */
async function proposedAction(sdk: OctopoidSDK): Promise<string> {
  await sdk.tasks.create(newTask('t-1'));
  return (await sdk.actions.create(newAction)).id;
}

async function registeredRole(sdk: OctopoidSDK) {
  await sdk.orchestrators.register(newOrchestrator);
  await sdk.roles.register({ orchestrator_id: orchestratorId, roles: [{ name: 'review' }] });
}

export const ROUTE_CALLS: Record<string, RouteCall> = {
  // --- server ---
  'GET /': async (route) => {
    await route.expect(200);
  },
  'GET /api/health': async (route) => {
    await route.expect(200);
    const server = await startPrivateServer();
    try {
      await server.store.close();
      await route.expect(503, { serverUrl: server.url });
    } finally {
      await server.close();
    }
  },
  'GET /openapi.json': async (route) => {
    await route.expect(200);
  },
  'GET /docs': async (route) => {
    await route.expect(200);
  },

  // --- scopes ---
  'DELETE /api/v1/scopes/{scope}': async (route, sdk) => {
    const params = { scope: sdk.scope as string };
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, { params });
    await route.expect(404, { params });
    await route.expect(400, { params, scope: `${sdk.scope}-other` });
  },

  // --- tasks ---
  'GET /api/v1/tasks': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, { query: { queue: 'incoming,claimed', sort: 'priority' } });
    await route.expect(400, { scope: null });
    await route.expect(400, { query: { limit: 0 } });
  },
  'POST /api/v1/tasks': async (route) => {
    await route.expect(201, {
      body: newTask('t-1', { hooks: [{ name: 'ci' }], auto_accept: true }),
    });
    await route.expect(409, { body: newTask('t-1') });
    await route.expect(400, { body: { id: 't-2' } });
  },
  'POST /api/v1/tasks/claim': async (route, sdk) => {
    await route.expect(404, { body: claimant });
    await sdk.tasks.create(newTask('t-1'));
    await sdk.tasks.create(newTask('t-2'));
    await route.expect(200, { body: { ...claimant, max_claimed: 1 } });
    await route.expect(429, { body: { ...claimant, max_claimed: 1 } });
    await route.expect(400, { body: { agent_name: 'agent-1' } });
  },
  'GET /api/v1/tasks/{id}': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, task);
    await route.expect(404, missingTask);
  },
  'PATCH /api/v1/tasks/{id}': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, { ...task, body: { title: 'edited', needs_rebase: true } });
    await route.expect(409, { ...task, body: { title: 'late', version: 1 } });
    await route.expect(404, { ...missingTask, body: { title: 'x' } });
    await route.expect(400, { ...task, body: { priority: 'P9' } });
  },
  'DELETE /api/v1/tasks/{id}': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, task);
    await route.expect(404, task);
  },
  'GET /api/v1/tasks/{id}/history': async (route, sdk) => {
    await claimedTask(sdk);
    await route.expect(200, task);
    await route.expect(404, missingTask);
  },
  'POST /api/v1/tasks/{id}/submit': async (route, sdk) => {
    await claimedTask(sdk);
    const body = { commits_count: 2, turns_used: 5, check_results: { lint: 'ok' } };
    await route.expect(200, { ...task, body });
    await route.expect(409, { ...task, body });
    await route.expect(404, { ...missingTask, body });
    await route.expect(400, { ...task, body: { commits_count: -1, turns_used: 1 } });
  },
  'POST /api/v1/tasks/{id}/accept': async (route, sdk) => {
    await submittedTask(sdk);
    await route.expect(200, { ...task, body: { accepted_by: 'reviewer' } });
    await route.expect(409, { ...task, body: {} });
    await route.expect(404, missingTask);
  },
  'POST /api/v1/tasks/{id}/reject': async (route, sdk) => {
    await submittedTask(sdk);
    const body = { reason: 'tests fail', rejected_by: 'reviewer' };
    await route.expect(200, { ...task, body });
    await route.expect(409, { ...task, body });
    await route.expect(400, { ...task, body: { reason: '' } });
    await route.expect(404, { ...missingTask, body });
  },
  'POST /api/v1/tasks/{id}/requeue': async (route, sdk) => {
    await claimedTask(sdk);
    await route.expect(200, task);
    await route.expect(409, task);
    await route.expect(404, missingTask);
  },
  'POST /api/v1/tasks/{id}/force-queue': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, { ...task, body: { queue: 'failed', reason: 'operator' } });
    await route.expect(409, { ...task, body: { queue: 'incoming', reason: 'x', version: 1 } });
    await route.expect(400, { ...task, body: { queue: 'has space', reason: 'x' } });
    await route.expect(404, { ...missingTask, body: { queue: 'failed', reason: 'x' } });
  },
  'POST /api/v1/tasks/{id}/lease': async (route, sdk) => {
    await claimedTask(sdk);
    await route.expect(200, { ...task, body: { lease_duration_seconds: 600 } });
    await route.expect(400, { ...task, body: { lease_duration_seconds: 0 } });
    await sdk.tasks.requeue('t-1');
    await route.expect(409, task);
    await route.expect(404, missingTask);
  },
  'POST /api/v1/tasks/{id}/hooks/{hookName}/complete': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1', { hooks: [{ name: 'ci', status: 'pending' }] }));
    const hook = (hookName: string) => ({ params: { id: 't-1', hookName } });
    await route.expect(200, { ...hook('ci'), body: { status: 'passed', evidence: { url: 'x' } } });
    await route.expect(404, { ...hook('deploy'), body: { status: 'passed' } });
    await route.expect(400, { ...hook('ci'), body: { status: 'maybe' } });
  },
  'GET /api/v1/tasks/{id}/messages': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.messages.create(newMessage);
    await route.expect(200, { ...task, query: { limit: 10 } });
    await route.expect(200, missingTask);
    await route.expect(400, { ...task, query: { limit: 0 } });
  },

  // --- scope lifecycle ---
  'GET /api/v1/scopes': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200);
    await route.expect(401, { headers: unknownKey });
  },
  'GET /api/v1/scopes/{scope}': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(200, { params: { scope: sdk.scope as string } });
    const empty = `${sdk.scope}-empty`;
    await route.expect(404, { params: { scope: empty }, scope: empty });
  },
  'POST /api/v1/scopes/{scope}/clone': async (route, sdk) => {
    const params = { scope: sdk.scope as string };
    const to = `${sdk.scope}-clone`;
    await route.expect(404, { params, body: { to } });
    await sdk.tasks.create(newTask('t-1'));
    try {
      await route.expect(201, { params, body: { to } });
      await route.expect(409, { params, body: { to } });
    } finally {
      await sdk.withScope(to).scopes.purge();
    }
  },
  'POST /api/v1/scopes/{scope}/merge': async (route, sdk) => {
    const params = { scope: sdk.scope as string };
    const into = `${sdk.scope}-parent`;
    const parent = sdk.withScope(into);
    try {
      await sdk.tasks.create(newTask('t-1'));
      await parent.tasks.create(newTask('t-1'));
      await route.expect(409, { params, body: { into } });
      await route.expect(200, { params, body: { into, onConflict: 'rename' } });
      await route.expect(400, { params, body: { into, prefix: 'x-' } });
    } finally {
      await parent.scopes.purge();
    }
  },

  // --- messages ---
  'POST /api/v1/messages': async (route, sdk) => {
    await route.expect(201, { body: newMessage });
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(201, { body: newMessage });
    await route.expect(400, { body: { ...newMessage, content: '' } });
  },
  'GET /api/v1/messages': async (route, sdk) => {
    await sdk.tasks.create(newTask('t-1'));
    await sdk.messages.create(newMessage);
    await route.expect(200, { query: { task_id: 't-1', unreplied: true } });
    await route.expect(400, { scope: null });
  },

  // --- actions ---
  'POST /api/v1/actions': async (route, sdk) => {
    await route.expect(201, { body: newAction });
    await sdk.tasks.create(newTask('t-1'));
    await route.expect(201, { body: { ...newAction, metadata: { pr: 7 } } });
    await route.expect(400, { body: { ...newAction, label: '' } });
  },
  'GET /api/v1/actions': async (route, sdk) => {
    await proposedAction(sdk);
    await route.expect(200, { query: { entity_type: 'task', status: 'proposed' } });
    await route.expect(400, { query: { offset: -1 } });
  },
  'GET /api/v1/actions/{id}': async (route, sdk) => {
    const params = { id: await proposedAction(sdk) };
    await route.expect(200, { params });
    await route.expect(404, missingAction);
  },
  'PATCH /api/v1/actions/{id}': async (route, sdk) => {
    const params = { id: await proposedAction(sdk) };
    await route.expect(200, { params, body: { status: 'executing', result: { step: 1 } } });
    await route.expect(400, { params, body: {} });
    await route.expect(404, { ...missingAction, body: { status: 'failed' } });
  },
  'POST /api/v1/actions/{id}/execute': async (route, sdk) => {
    const params = { id: await proposedAction(sdk) };
    await route.expect(200, { params });
    await route.expect(409, { params });
    await route.expect(404, missingAction);
  },
  'POST /api/v1/actions/{id}/complete': async (route, sdk) => {
    const params = { id: await proposedAction(sdk) };
    await route.expect(409, { params });
    await sdk.actions.execute(params.id);
    await route.expect(200, { params, body: { result: { merged: true } } });
    await route.expect(404, missingAction);
  },
  'POST /api/v1/actions/{id}/fail': async (route, sdk) => {
    const params = { id: await proposedAction(sdk) };
    await route.expect(409, { params });
    await sdk.actions.execute(params.id);
    await route.expect(200, { params, body: { result: 'merge conflict' } });
    await route.expect(404, missingAction);
  },

  // --- projects ---
  'GET /api/v1/projects': async (route, sdk) => {
    await sdk.projects.create(newProject);
    await route.expect(200, { query: { status: 'draft' } });
    await route.expect(400, { query: { limit: 'many' } });
  },
  'POST /api/v1/projects': async (route) => {
    await route.expect(201, { body: { ...newProject, auto_accept: true } });
    await route.expect(409, { body: newProject });
    await route.expect(400, { body: { id: 'p-2', branch: 'feature' } });
  },
  'GET /api/v1/projects/{id}': async (route, sdk) => {
    await sdk.projects.create(newProject);
    await route.expect(200, project);
    await route.expect(404, missingProject);
  },
  'PATCH /api/v1/projects/{id}': async (route, sdk) => {
    await sdk.projects.create(newProject);
    await route.expect(200, { ...project, body: { status: 'completed', pr_number: 12 } });
    await route.expect(400, { ...project, body: { pr_number: -1 } });
    await route.expect(404, { ...missingProject, body: { title: 'x' } });
  },
  'DELETE /api/v1/projects/{id}': async (route, sdk) => {
    await sdk.projects.create(newProject);
    await sdk.tasks.create(newTask('t-1', { project_id: newProject.id }));
    await route.expect(409, project);
    await sdk.tasks.delete('t-1');
    await route.expect(200, project);
    await route.expect(404, project);
  },
  'GET /api/v1/projects/{id}/tasks': async (route, sdk) => {
    await sdk.projects.create(newProject);
    await sdk.tasks.create(newTask('t-1', { project_id: newProject.id }));
    await route.expect(200, project);
    await route.expect(404, missingProject);
  },

  // --- drafts ---
  'GET /api/v1/drafts': async (route, sdk) => {
    await sdk.drafts.create(newDraft);
    await route.expect(200, { query: { author: newDraft.author } });
    await route.expect(400, { query: { limit: 501 } });
  },
  'POST /api/v1/drafts': async (route) => {
    await route.expect(201, { body: { ...newDraft, tags: ['queue'] } });
    await route.expect(400, { body: { title: 'no author' } });
  },
  'GET /api/v1/drafts/{id}': async (route, sdk) => {
    const { id } = await sdk.drafts.create(newDraft);
    await route.expect(200, { params: { id } });
    await route.expect(404, missingDraft);
    await route.expect(400, { params: { id: '12abc' } });
  },
  'PATCH /api/v1/drafts/{id}': async (route, sdk) => {
    const { id } = await sdk.drafts.create(newDraft);
    await route.expect(200, { params: { id }, body: { status: 'review', tags: '["a"]' } });
    await route.expect(400, { params: { id }, body: { tags: 'not json' } });
    await route.expect(404, { ...missingDraft, body: { status: 'review' } });
  },
  'DELETE /api/v1/drafts/{id}': async (route, sdk) => {
    const { id } = await sdk.drafts.create(newDraft);
    await route.expect(200, { params: { id } });
    await route.expect(404, { params: { id } });
  },

  // --- flows ---
  'GET /api/v1/flows': async (route, sdk) => {
    await sdk.flows.register('review', newFlow);
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
  'PUT /api/v1/flows/{name}': async (route) => {
    await route.expect(200, { ...flow, body: { ...newFlow, description: 'with review' } });
    await route.expect(400, { ...flow, body: { states: [] } });
  },
  'GET /api/v1/flows/{name}': async (route, sdk) => {
    await sdk.flows.register('review', newFlow);
    await route.expect(200, flow);
    await route.expect(404, { params: { name: 'missing' } });
  },
  'DELETE /api/v1/flows/{name}': async (route, sdk) => {
    await sdk.flows.register('review', newFlow);
    await route.expect(200, flow);
    await route.expect(404, flow);
  },

  // --- scheduler ---
  'GET /api/v1/scheduler/poll': async (route, sdk) => {
    await submittedTask(sdk);
    await sdk.flows.register('review', newFlow);
    await route.expect(200, { query: { orchestrator_id: claimant.orchestrator_id } });
    await route.expect(400, { scope: null });
  },

  // --- orchestrators ---
  'POST /api/v1/orchestrators/register': async (route) => {
    const registered = await route.expect(201, {
      body: { ...newOrchestrator, capabilities: { gpu: 1 } },
    });
    const key = (registered as { api_key?: string }).api_key;
    await route.expect(200, { body: newOrchestrator });
    await route.expect(401, { body: newOrchestrator, headers: unknownKey });
    await route.expect(200, { body: newOrchestrator, headers: { authorization: `Bearer ${key}` } });
    await route.expect(400, { body: { machine_id: 'm-1' } });
  },
  'POST /api/v1/orchestrators/{id}/heartbeat': async (route, sdk) => {
    await sdk.orchestrators.register(newOrchestrator);
    await route.expect(200, orchestrator);
    await route.expect(404, missingOrchestrator);
  },
  'GET /api/v1/orchestrators': async (route, sdk) => {
    await sdk.orchestrators.register(newOrchestrator);
    await route.expect(200, { query: { status: 'active,maintenance' } });
    await route.expect(200, { query: { status: 'asleep' } });
    await route.expect(400, { scope: null });
  },
  'GET /api/v1/orchestrators/{id}': async (route, sdk) => {
    await sdk.orchestrators.register(newOrchestrator);
    await route.expect(200, orchestrator);
    await route.expect(404, missingOrchestrator);
  },
  'PATCH /api/v1/orchestrators/{id}': async (route, sdk) => {
    await sdk.orchestrators.register(newOrchestrator);
    await route.expect(200, { ...orchestrator, body: { status: 'maintenance' } });
    await route.expect(400, { ...orchestrator, body: { status: 'asleep' } });
    await route.expect(404, { ...missingOrchestrator, body: { status: 'offline' } });
  },
  'POST /api/v1/orchestrators/scopes/{scope}/rotate-key': async (route, sdk) => {
    const params = { scope: sdk.scope as string };
    const { api_key } = await sdk.orchestrators.register(newOrchestrator);
    await route.expect(401, { params });
    await route.expect(200, { params, headers: { authorization: `Bearer ${api_key}` } });
  },

  // --- roles ---
  'POST /api/v1/roles/register': async (route, sdk) => {
    const body = {
      orchestrator_id: orchestratorId,
      roles: [{ name: 'review', claims_from: 'provisional' }],
    };
    await route.expect(404, { body });
    await sdk.orchestrators.register(newOrchestrator);
    await route.expect(200, { body });
    await route.expect(400, { body: { ...body, roles: [{ name: 'a/b' }] } });
  },
  'GET /api/v1/roles': async (route, sdk) => {
    await registeredRole(sdk);
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
  'GET /api/v1/roles/{name}': async (route, sdk) => {
    await registeredRole(sdk);
    await route.expect(200, { params: { name: 'review' } });
    await route.expect(404, { params: { name: 'missing' } });
  },

  // --- test mode ---
  'POST /api/v1/test/faults': async (route) => {
    const rule = { method: 'GET', path: '/api/v1/flows', status: 503, times: 1 };
    await route.expect(201, { body: rule });
    await route.expect(400, { body: { ...rule, status: 200 } });
  },
  'GET /api/v1/test/faults': async (route, sdk) => {
    await sdk.testMode.faults.add({ method: 'GET', path: '/api/v1/flows', delayMs: 1 });
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
  'DELETE /api/v1/test/faults': async (route, sdk) => {
    await sdk.testMode.faults.add({ path: '/api/v1/flows', status: 500 });
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
  'POST /api/v1/test/clock': async (route) => {
    await route.expect(200, { body: { advance: '1h30m' } });
    await route.expect(400, { body: { advance: 'soon' } });
  },
  'GET /api/v1/test/clock': async (route) => {
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
  'DELETE /api/v1/test/clock': async (route, sdk) => {
    await sdk.testMode.clock.advance('1m');
    await route.expect(200);
    await route.expect(400, { scope: null });
  },
};
