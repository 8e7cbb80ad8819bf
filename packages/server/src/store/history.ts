import type { Insertable, Kysely, Selectable } from 'kysely';
import type { Database, TaskHistoryTable } from './schema.js';

type Db = Kysely<Database>;
export type HistoryRow = Selectable<TaskHistoryTable>;
export type HistoryEntry = Omit<Insertable<TaskHistoryTable>, 'id'>;

export async function insertHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  if (entries.length > 0) await db.insertInto('task_history').values(entries).execute();
}

export function listHistory(db: Db, scope: string, taskId: string): Promise<HistoryRow[]> {
  return db
    .selectFrom('task_history')
    .selectAll()
    .where('scope', '=', scope)
    .where('task_id', '=', taskId)
    .orderBy('id')
    .execute();
}
