import { ApiError } from '../../errors.js';
import { type HistoryEntry, type HistoryRecord, insertHistory } from '../../store/history.js';
import type { Db } from '../../store/store.js';
import {
  findTask,
  findTaskForWrite,
  type TaskChanges,
  type TaskRow,
  updateTaskRecording,
} from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { DEFAULT_FLOW_NAME, flowFrom } from '../flows.js';
import type { FlowDefinition } from '../transitions.js';

export type HistoryNote = Pick<HistoryEntry, 'event'> &
  Partial<Pick<HistoryEntry, 'agent'>> & {
    details?: string | Record<string, unknown> | null;
  };

/** What a task write knows besides the row: the task's flow, and whether tasks wait for it. */
export interface WriteFacts {
  flow: FlowDefinition;
  hasDependents: boolean;
}

/**
 * Runs one task write in a transaction: loads the task with its flow (locking its row where the
 * database can), checks the caller's expected version, lets `decide` compute the change, writes
 * it with a version bump, and records history. Everything commits together or not at all.
 */
export function writeTask(
  ctx: ScopeContext,
  id: string,
  expectedVersion: number | undefined,
  decide: (
    task: TaskRow,
    tx: Db,
    now: string,
    facts: WriteFacts,
  ) => Promise<{ changes: TaskChanges; history: HistoryNote[]; after?: AfterWrite }>,
): Promise<TaskRow> {
  const now = ctx.clocks.nowIso(ctx.scope);
  return ctx.store.transaction(async (tx) => {
    const loaded = await findTaskForWrite(tx, ctx.scope, id, DEFAULT_FLOW_NAME);
    if (!loaded) throw ApiError.notFound('task', id);
    const { task } = loaded;
    if (expectedVersion !== undefined && expectedVersion !== task.version) {
      throw ApiError.versionConflict(expectedVersion, task.version);
    }
    const { changes, history, after } = await decide(task, tx, now, {
      flow: flowFrom(task.flow, loaded.flow),
      hasDependents: loaded.hasDependents,
    });
    const updated = await updateTaskRecording(
      tx,
      task,
      { ...changes, updated_at: now },
      now,
      historyRecords(history),
    );
    if (!updated) throw ApiError.conflict(`task ${id} changed concurrently; retry`);
    await after?.(updated, tx, now);
    return updated;
  });
}

export type AfterWrite = (task: TaskRow, tx: Db, now: string) => Promise<void>;

export async function loadTask(ctx: ScopeContext, db: Db, id: string): Promise<TaskRow> {
  const task = await findTask(db, ctx.scope, id, { forUpdate: true });
  if (!task) throw ApiError.notFound('task', id);
  return task;
}

/** History notes as the rows a write records: `details` as JSON text, a missing agent as NULL. */
export function historyRecords(notes: readonly HistoryNote[]): HistoryRecord[] {
  return notes.map((note) => ({
    event: note.event,
    agent: note.agent ?? null,
    details:
      note.details === undefined || note.details === null
        ? null
        : typeof note.details === 'string'
          ? note.details
          : JSON.stringify(note.details),
  }));
}

/** Appends notes to a task's history on their own, as a write that changes no task does. */
export function recordHistory(
  db: Db,
  scope: string,
  taskId: string,
  timestamp: string,
  notes: HistoryNote[],
): Promise<void> {
  return insertHistory(
    db,
    historyRecords(notes).map((record) => ({ ...record, scope, task_id: taskId, timestamp })),
  );
}
