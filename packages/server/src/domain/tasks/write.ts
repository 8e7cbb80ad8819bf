import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import { type HistoryEntry, insertHistory } from '../../store/history.js';
import type { Database } from '../../store/schema.js';
import { findTask, type TaskChanges, type TaskRow, updateTask } from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';

export type HistoryNote = Pick<HistoryEntry, 'event'> &
  Partial<Pick<HistoryEntry, 'agent'>> & {
    details?: string | Record<string, unknown> | null;
  };

/**
 * Runs one task write in a transaction: loads the task (locking its row where the database can),
 * checks the caller's expected version, lets `decide` compute the change, writes it with a
 * version bump, and records history. Everything commits together or not at all.
 */
export function writeTask(
  ctx: ScopeContext,
  id: string,
  expectedVersion: number | undefined,
  decide: (
    task: TaskRow,
    tx: Kysely<Database>,
    now: string,
  ) => Promise<{ changes: TaskChanges; history: HistoryNote[]; after?: AfterWrite }>,
): Promise<TaskRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    const task = await loadTask(ctx, tx, id);
    if (expectedVersion !== undefined && expectedVersion !== task.version) {
      throw ApiError.versionConflict(expectedVersion, task.version);
    }
    const { changes, history, after } = await decide(task, tx, now);
    const updated = await updateTask(tx, ctx.scope, id, task.version, {
      ...changes,
      updated_at: now,
    });
    if (!updated) throw ApiError.conflict(`task ${id} changed concurrently; retry`);
    await recordHistory(tx, ctx.scope, id, now, history);
    await after?.(updated, tx, now);
    return updated;
  });
}

export type AfterWrite = (task: TaskRow, tx: Kysely<Database>, now: string) => Promise<void>;

export async function loadTask(
  ctx: ScopeContext,
  db: Kysely<Database>,
  id: string,
): Promise<TaskRow> {
  const task = await findTask(db, ctx.scope, id, ctx.store.supportsRowLocks);
  if (!task) throw ApiError.notFound('task', id);
  return task;
}

export function recordHistory(
  db: Kysely<Database>,
  scope: string,
  taskId: string,
  timestamp: string,
  notes: HistoryNote[],
): Promise<void> {
  return insertHistory(
    db,
    notes.map((note) => ({
      scope,
      task_id: taskId,
      event: note.event,
      agent: note.agent ?? null,
      details:
        note.details === undefined || note.details === null
          ? null
          : typeof note.details === 'string'
            ? note.details
            : JSON.stringify(note.details),
      timestamp,
    })),
  );
}
