import { type Compilable, type Insertable, type Selectable, sql } from 'kysely';
import { type Page, type RowPage, selectPage } from './listing.js';
import { executeNamed } from './named-statements.js';
import type { TaskHistoryTable } from './schema.js';
import type { Db } from './store.js';
import type { TaskRow } from './tasks.js';

/** A history entry as the API shows it: `id` is its number within the task's history. */
export type HistoryRow = Omit<Selectable<TaskHistoryTable>, 'seq'>;
export type HistoryEntry = Omit<Insertable<TaskHistoryTable>, 'id' | 'seq'>;
/** What a write records in the history of each task it writes; the write gives task and time. */
export type HistoryRecord = Pick<HistoryEntry, 'event' | 'agent' | 'details'>;

/** The number one past the last entry of the history of task `task_id` of `scope` (SQL). */
const nextSeq = (scope: unknown, taskId: unknown) =>
  sql<number>`(select coalesce(max(seq), 0) + 1 from task_history
    where scope = ${scope} and task_id = ${taskId})`;

/**
 * Appends entries to their tasks' histories, each numbered one past its task's last. Callers
 * hold the task's row (written or locked in the same transaction), so no other writer can number
 * an entry of that task at the same time.
 */
export async function insertHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  for (const entry of entries) {
    await db
      .insertInto('task_history')
      .values({ ...entry, seq: nextSeq(entry.scope, entry.task_id) })
      .execute();
  }
}

/**
 * Runs `write` (an insert or update of tasks returning all their columns) and appends `records`,
 * in order, to the history of each task it wrote, stamped `timestamp` and numbered after the
 * task's last entry. Resolves the written rows; a task the write did not touch gets no entry.
 * PostgreSQL runs it all as one statement (a data-modifying CTE, a named prepared statement);
 * SQLite, which has no data-modifying CTEs, as the write and then the inserts, so call it inside
 * a transaction there.
 */
export async function writeRecording(
  db: Db,
  write: Compilable<TaskRow>,
  timestamp: string,
  records: readonly HistoryRecord[],
): Promise<TaskRow[]> {
  if (db.capabilities.dialect === 'sqlite') {
    const rows = await executeNamed(db, write.compile());
    await insertHistory(
      db,
      rows.flatMap((row) =>
        records.map((record) => ({ ...record, scope: row.scope, task_id: row.id, timestamp })),
      ),
    );
    return rows;
  }
  if (records.length === 0) return executeNamed(db, write.compile());
  const values = sql.join(
    records.map(
      (record, index) =>
        sql`(cast(${record.event} as text), cast(${record.agent ?? null} as text),
          cast(${record.details ?? null} as text), ${sql.lit(index)})`,
    ),
  );
  const statement = sql<TaskRow>`with written as (${write}), recorded as (
    insert into task_history (scope, task_id, event, agent, details, timestamp, seq)
    select written.scope, written.id, record.event, record.agent, record.details,
      cast(${timestamp} as text), ${nextSeq(sql.ref('written.scope'), sql.ref('written.id'))} + record.n
    from written cross join (values ${values}) as record (event, agent, details, n)
  ) select * from written`;
  return executeNamed(db, statement.compile(db));
}

/** One page of a task's history, oldest first. */
export function selectHistory(
  db: Db,
  scope: string,
  taskId: string,
  page: Page,
): Promise<RowPage<HistoryRow>> {
  return selectPage(
    db.selectFrom('task_history').where('scope', '=', scope).where('task_id', '=', taskId),
    (q) =>
      q
        .select(['seq as id', 'scope', 'task_id', 'event', 'agent', 'details', 'timestamp'])
        .orderBy('seq'),
    page,
    ['event', 'agent', 'details'],
  );
}
