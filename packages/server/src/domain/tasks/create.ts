import { DONE_QUEUE, INCOMING_QUEUE, type TaskCreate } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import type { HistoryRecord } from '../../store/history.js';
import type { Db } from '../../store/store.js';
import {
  findConflictingTask,
  insertTaskAlone,
  insertTaskRecording,
  type TaskRow,
} from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { flowWithQueue } from '../flows.js';
import { referencedProject } from '../projects/reference.js';
import { assertKnownRoles } from '../roles.js';
import { isBuiltInQueue } from '../transitions.js';
import { assertNoDependencyCycle } from './dependency-cycles.js';
import { historyRecords } from './write.js';

async function assertNoClash(db: Db, scope: string, input: TaskCreate) {
  const clash = await findConflictingTask(db, scope, input.id, input.file_path);
  if (!clash) return;
  const field = clash.id === input.id ? 'id' : 'file_path';
  const value = field === 'id' ? input.id : input.file_path;
  throw ApiError.conflict(`a task with ${field} ${value} already exists in this scope`, [
    { field, reason: 'already exists' },
  ]);
}

/** The checks of a new task's fields; resolves its flow's name and its project (if it names one). */
async function checkNewTask(db: Db, scope: string, input: TaskCreate, queue: string) {
  const flow = await flowWithQueue(db, scope, input.flow, queue);
  if (queue === DONE_QUEUE) throw ApiError.invalid('queue', 'a task cannot be created done');
  if (input.role) await assertKnownRoles(db, scope, [input.role], 'role');
  await assertNoDependencyCycle(db, scope, input.id, input.blocked_by);
  const project = input.project_id
    ? await referencedProject(db, scope, input.project_id)
    : undefined;
  return { flow, project };
}

/**
 * Creates a task, in `incoming` unless the input names another queue of its flow.
 * @throws `ApiError` 409 `conflict` when the scope already holds the id or file path; 400
 *   `validation_failed` for `queue: done`, an unknown queue, project or role; 409 `conflict` when
 *   `blocked_by` would make a cycle
 */
export function createTask(ctx: ScopeContext, input: TaskCreate): Promise<TaskRow> {
  const queue = input.queue ?? INCOMING_QUEUE;
  const checksReadRows =
    !isBuiltInQueue(queue) || Boolean(input.role || input.blocked_by || input.project_id);
  // Checks that read other rows run in the insert's transaction; without them the insert and its
  // history are one write of their own (one statement on PostgreSQL).
  return checksReadRows
    ? ctx.store.transaction((tx) =>
        createChecked(ctx, tx, input, queue, (row, records) =>
          insertTaskRecording(tx, row, records),
        ),
      )
    : createChecked(ctx, ctx.store.db, input, queue, (row, records) =>
        insertTaskAlone(ctx.store, row, records),
      );
}

/** Checks and inserts a task with `insert`, reading with `tx`; see `createTask`. */
async function createChecked(
  ctx: ScopeContext,
  tx: Db,
  input: TaskCreate,
  queue: string,
  insert: (row: TaskRow, records: HistoryRecord[]) => Promise<TaskRow | undefined>,
): Promise<TaskRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  // A clash answers before any other refusal; it is looked for only when there is one to give.
  const { flow, project } = await checkNewTask(tx, ctx.scope, input, queue).catch(
    async (error: unknown) => {
      if (error instanceof ApiError) await assertNoClash(tx, ctx.scope, input);
      throw error;
    },
  );
  const branch = project?.branch || input.branch;
  const row: TaskRow = {
    scope: ctx.scope,
    id: input.id,
    file_path: input.file_path,
    title: input.title ?? input.id,
    queue,
    priority: input.priority ?? 'P2',
    complexity: input.complexity ?? null,
    role: input.role ?? null,
    type: input.type ?? null,
    branch,
    blocked_by: input.blocked_by || null,
    project_id: input.project_id ?? null,
    flow,
    flow_overrides: input.flow_overrides ?? null,
    hooks: input.hooks ?? null,
    content: input.content ?? null,
    auto_accept: input.auto_accept ?? 0,
    claimed_by: null,
    orchestrator_id: null,
    claimed_at: null,
    claimed_from: null,
    lease_expires_at: null,
    commits_count: 0,
    turns_used: null,
    attempt_count: 0,
    rejection_count: 0,
    version: 1,
    has_plan: 0,
    needs_rebase: 0,
    needs_breakdown: 0,
    review_round: 0,
    needs_intervention: 0,
    plan_id: null,
    pr_url: null,
    pr_number: null,
    staging_url: null,
    checks: null,
    check_results: null,
    execution_notes: null,
    last_rebase_attempt_at: null,
    submitted_at: null,
    completed_at: null,
    created_at: now,
    updated_at: now,
    lease_token: null,
    lost_leases: 0,
    available_at: null,
    max_attempts: input.max_attempts ?? null,
  };
  const created = await insert(row, historyRecords([{ event: 'created', details: { queue } }]));
  if (!created) {
    // The id or file_path is taken: by an earlier task, or by a concurrent create (PostgreSQL).
    await assertNoClash(tx, ctx.scope, input);
    throw ApiError.conflict(`task ${row.id} was created concurrently`);
  }
  return created;
}
