import { type Insertable, type Kysely, type Selectable, sql } from 'kysely';
import type { Database, TaskHistoryTable } from './schema.js';

type Db = Kysely<Database>;
/** A history entry as the API shows it: `id` is its number within the task's history. */
export type HistoryRow = Omit<Selectable<TaskHistoryTable>, 'seq'>;
export type HistoryEntry = Omit<Insertable<TaskHistoryTable>, 'id' | 'seq'>;

/**
 * Appends entries to their tasks' histories, each numbered one past its task's last. Callers
 * hold the task's row (written or locked in the same transaction), so no other writer can number
 * an entry of that task at the same time.
 */
export async function insertHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  for (const entry of entries) {
    await db
      .insertInto('task_history')
      .values({
        ...entry,
        seq: sql<number>`(select coalesce(max(seq), 0) + 1 from task_history
          where scope = ${entry.scope} and task_id = ${entry.task_id})`,
      })
      .execute();
  }
}

export function selectHistory(db: Db, scope: string, taskId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('task_history')
    .select(['seq as id', 'scope', 'task_id', 'event', 'agent', 'details', 'timestamp'])
    .where('scope', '=', scope)
    .where('task_id', '=', taskId)
    .orderBy('seq')
    .execute();
}
