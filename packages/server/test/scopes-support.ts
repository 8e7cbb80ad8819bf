import type { OctopoidSDK } from '@octopoid/sdk';
import { everyPage, type ListPage } from '@octopoid/testing';
import { newTask } from './tasks-support.js';

/** A scope of another name for the same test: unique, since it derives from the test's scope. */
export function siblingScope(sdk: OctopoidSDK, role: string): OctopoidSDK {
  return sdk.withScope(`${sdk.scope}-${role}`);
}

/** Every key but `scope`: the part of an entity that a copy must reproduce exactly. */
function withoutScope<T extends { scope?: unknown }>(entity: T): Omit<T, 'scope'> {
  const { scope: _scope, ...rest } = entity;
  return rest;
}

const byKey =
  <T>(key: (item: T) => string | number) =>
  (a: T, b: T) =>
    String(key(a)).localeCompare(String(key(b)));

/** Every row of a list, its pages read one after another. */
async function everyRow<Page extends ListPage, Row>(
  read: (offset: number) => Promise<Page>,
  rows: (page: Page) => Row[],
): Promise<Row[]> {
  return (await everyPage(read)).flatMap(rows);
}

/** Everything a scope holds, as its clients read it page by page, with the scope's name left out. */
export async function contentsOf(sdk: OctopoidSDK) {
  const all = { limit: 500 };
  const tasks = (
    await everyRow(
      (offset) => sdk.tasks.page({ ...all, offset }),
      (page) => page.tasks,
    )
  ).sort(byKey((t) => t.id));
  const history = Object.fromEntries(
    await Promise.all(
      tasks.map(async (task) => [
        task.id,
        (
          await everyRow(
            (offset) => sdk.tasks.historyPage(task.id, { offset }),
            (page) => page.history,
          )
        ).map(({ id: _globalId, ...entry }) => entry),
      ]),
    ),
  );
  const [projects, drafts, messages, actions, flows, roles, orchestrators] = await Promise.all([
    everyRow(
      (offset) => sdk.projects.page({ ...all, offset }),
      (page) => page.projects,
    ),
    everyRow(
      (offset) => sdk.drafts.page({ ...all, offset }),
      (page) => page.drafts,
    ),
    everyRow(
      (offset) => sdk.messages.page({ ...all, offset }),
      (page) => page.messages,
    ),
    everyRow(
      (offset) => sdk.actions.page({ ...all, offset }),
      (page) => page.actions,
    ),
    everyRow(
      (offset) => sdk.flows.page({ offset }),
      (page) => page.flows,
    ),
    everyRow(
      (offset) => sdk.roles.page({ offset }),
      (page) => page.roles,
    ),
    everyRow(
      (offset) => sdk.orchestrators.page({ offset }),
      (page) => page.orchestrators,
    ),
  ]);
  return {
    tasks: tasks.map(withoutScope),
    history,
    projects: projects.sort(byKey((p) => p.id)).map(withoutScope),
    drafts: drafts.sort((a, b) => a.id - b.id).map(withoutScope),
    messages: messages.sort(byKey((m) => m.id)).map(withoutScope),
    actions: actions.sort(byKey((a) => a.id)).map(withoutScope),
    flows: flows.sort(byKey((f) => f.name)).map(withoutScope),
    roles: roles.sort(byKey((r) => r.name)).map(withoutScope),
    orchestrators: orchestrators.sort(byKey((o) => o.id)).map(withoutScope),
  };
}

/** The names of every scope on the server that holds anything, read page by page. */
export async function everyScopeName(sdk: OctopoidSDK): Promise<string[]> {
  return everyRow(
    (offset) => sdk.scopes.page({ offset }),
    (page) => page.scopes.map((summary) => summary.scope),
  );
}

export interface SeededWork {
  draftId: number;
  /** The first message on t-1 and the reply to it. */
  messageIds: [string, string];
  /** Actions on task t-2 and on the draft. */
  actionIds: [string, string];
}

export const REVIEW_FLOW = {
  states: ['incoming', 'claimed', 'provisional', 'qa', 'done', 'failed'],
  transitions: [
    { from: 'provisional', to: 'qa', agent: 'tester' },
    { from: 'qa', to: 'done' },
  ],
  description: 'review, then QA',
};

/**
 * An agent's worth of linked work: project p-1; task t-1 in flow `review`, claimed and
 * submitted; task t-2 blocked by t-1; a draft linked to t-2 and p-1; a message thread on t-1;
 * actions on t-2 and on the draft. Every kind of reference a copy or merge must keep.
 */
export async function seedWork(sdk: OctopoidSDK): Promise<SeededWork> {
  await sdk.flows.register('review', REVIEW_FLOW);
  await sdk.projects.create({ id: 'p-1', title: 'Project one', branch: 'feature/p-1' });
  await sdk.tasks.create(
    newTask('t-1', {
      project_id: 'p-1',
      priority: 'P1',
      complexity: 'M',
      flow: 'review',
      content: 'the first task',
      hooks: [{ name: 'lint', point: 'pre_submit', type: 'command', status: 'pending' }],
      flow_overrides: { retries: 2 },
      auto_accept: true,
    }),
  );
  await sdk.tasks.create(newTask('t-2', { blocked_by: 't-1', project_id: 'p-1', type: 'chore' }));
  await sdk.tasks.claim({ orchestrator_id: 'orch-1', agent_name: 'agent-1' });
  await sdk.tasks.submit('t-1', { commits_count: 2, turns_used: 9, execution_notes: 'done' });
  const draft = await sdk.drafts.create({
    title: 'Follow-up idea',
    author: 'agent-1',
    linked_task_id: 't-2',
    linked_project_id: 'p-1',
    tags: ['idea', 'p-1'],
  });
  const first = await sdk.messages.create({
    task_id: 't-1',
    from_actor: 'agent-1',
    to_actor: 'human',
    type: 'question',
    content: 'Which branch?',
  });
  const reply = await sdk.messages.create({
    task_id: 't-1',
    from_actor: 'human',
    type: 'answer',
    content: 'feature/p-1',
    parent_message_id: first.id,
  });
  const onTask = await sdk.actions.create({
    entity_type: 'task',
    entity_id: 't-2',
    label: 'Split t-2',
    proposed_by: 'agent-1',
    action_data: { buttons: ['yes', 'no'] },
    metadata: { why: 'too big' },
  });
  const onDraft = await sdk.actions.create({
    entity_type: 'draft',
    entity_id: String(draft.id),
    label: 'Promote the draft',
  });
  return {
    draftId: draft.id,
    messageIds: [first.id, reply.id],
    actionIds: [onTask.id, onDraft.id],
  };
}

/** A scope's row counts per table: zero except the `overrides`. */
export const counts = (overrides: Record<string, number>) => ({
  tasks: 0,
  task_history: 0,
  projects: 0,
  drafts: 0,
  orchestrators: 0,
  roles: 0,
  flows: 0,
  messages: 0,
  actions: 0,
  api_keys: 0,
  claim_replays: 0,
  ...overrides,
});
