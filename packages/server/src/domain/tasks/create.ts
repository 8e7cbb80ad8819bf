import type { TaskCreate } from '@octopoid/api';
import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { findConflictingTask, insertTaskIfAbsent, type TaskRow } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { assertKnownQueue, loadFlow } from '../flows.js';
import { referencedProject } from '../projects/reference.js';
import { assertKnownRoles } from '../roles.js';
import { assertNoDependencyCycle } from './dependency-cycles.js';
import { recordHistory } from './write.js';

async function assertNoClash(db: Kysely<Database>, scope: string, input: TaskCreate) {
  const clash = await findConflictingTask(db, scope, input.id, input.file_path);
  if (!clash) return;
  const field = clash.id === input.id ? 'id' : 'file_path';
  const value = field === 'id' ? input.id : input.file_path;
  throw ApiError.conflict(`a task with ${field} ${value} already exists in this scope`, [
    { field, reason: 'already exists' },
  ]);
}

/**
 * Creates a task, in `incoming` unless the input names another queue of its flow.
 * @throws `ApiError` 409 `conflict` when the scope already holds the id or file path; 400
 *   `validation_failed` for `queue: done`, an unknown queue, project or role; 409 `conflict` when
 *   `blocked_by` would make a cycle
 */
export function createTask(ctx: ScopeContext, input: TaskCreate): Promise<TaskRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    await assertNoClash(tx, ctx.scope, input);
    const flow = await loadFlow(tx, ctx.scope, input.flow);
    const queue = input.queue ?? 'incoming';
    assertKnownQueue(queue, flow);
    if (queue === 'done') throw ApiError.invalid('queue', 'a task cannot be created done');
    if (input.role) await assertKnownRoles(tx, ctx.scope, [input.role], 'role');
    await assertNoDependencyCycle(tx, ctx.scope, input.id, input.blocked_by);
    const project = input.project_id
      ? await referencedProject(tx, ctx.scope, input.project_id)
      : undefined;
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
      flow: flow.name,
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
    const created = await insertTaskIfAbsent(tx, row);
    if (!created) {
      // A concurrent create took the id or file_path after the check above (PostgreSQL).
      await assertNoClash(tx, ctx.scope, input);
      throw ApiError.conflict(`task ${row.id} was created concurrently`);
    }
    await recordHistory(tx, ctx.scope, row.id, now, [{ event: 'created', details: { queue } }]);
    return created;
  });
}
