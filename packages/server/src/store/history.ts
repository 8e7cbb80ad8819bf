import { type Compilable, type Insertable, type Selectable, sql } from 'kysely';
import { compiledQueries, compiledQuery, type SlotValues } from './compiled-queries.js';
import { type Page, type RowPage, selectPage } from './listing.js';
import type { TaskHistoryTable } from './schema.js';
import type { Db } from './store.js';
import type { TaskRow } from './tasks.js';

/** A history entry as the API shows it: `id` is its number within the task's history. */
export type HistoryRow = Omit<Selectable<TaskHistoryTable>, 'seq'>;
export type HistoryEntry = Omit<Insertable<TaskHistoryTable>, 'id' | 'seq'>;
/** What a write records in the history of each task it writes; the write gives task and time. */
export type HistoryRecord = Pick<HistoryEntry, 'event' | 'agent' | 'details'>;

/** The number one past the last entry of the history of task `task_id` of `scope` (SQL). */
export const nextSeq = (scope: unknown, taskId: unknown) =>
  sql<number>`(select coalesce(max(seq), 0) + 1 from task_history
    where scope = ${scope} and task_id = ${taskId})`;

interface HistorySlots extends SlotValues {
  scope: string;
  task_id: string;
  event: string;
  agent: string | null;
  details: string | null;
  timestamp: string;
  seq_scope: string;
  seq_task_id: string;
}

const historyInsert = compiledQuery((db, slots: HistorySlots) =>
  db.insertInto('task_history').values({
    scope: slots.scope,
    task_id: slots.task_id,
    event: slots.event,
    agent: slots.agent,
    details: slots.details,
    timestamp: slots.timestamp,
    seq: nextSeq(slots.seq_scope, slots.seq_task_id),
  }),
);

/**
 * Appends entries to their tasks' histories, each numbered one past its task's last. Callers
 * hold the task's row (written or locked in the same transaction), so no other writer can number
 * an entry of that task at the same time.
 */
export async function insertHistory(db: Db, entries: HistoryEntry[]): Promise<void> {
  for (const { scope, task_id, event, agent, details, timestamp } of entries) {
    await historyInsert.run(db, {
      scope,
      task_id,
      event,
      agent: agent ?? null,
      details: details ?? null,
      timestamp,
      seq_scope: scope,
      seq_task_id: task_id,
    });
  }
}

/**
 * A write of tasks (an insert or update returning all their columns) in the form
 * `compiledQueries` runs: `key` names its shape (writes with one key build the same SQL from
 * their slots), `values` fills the slots `build` reads.
 */
export interface TaskWrite<P extends SlotValues = SlotValues> {
  key: string;
  values: P;
  build: (db: Db, slots: P) => Compilable<TaskRow>;
}

const writeShapes = compiledQueries(
  (write: TaskWrite) => write.key,
  (db, slots: SlotValues, write) => write.build(db, slots),
);

/** The slot of field `field` of the `index`th history record of a recorded write. */
const recordSlot = (index: number, field: keyof HistoryRecord) => `history.${index}.${field}`;
const RECORDED_AT = 'history.timestamp';

/** A write and the inserts of its history as one statement (PostgreSQL's data-modifying CTE). */
const recordingShapes = compiledQueries(
  ({ write, records }: { write: TaskWrite; records: number }) => `${write.key}#${records}`,
  (db, slots: SlotValues, { write, records }) => {
    const values = sql.join(
      Array.from(
        { length: records },
        (_, index) =>
          sql`(cast(${slots[recordSlot(index, 'event')]} as text),
            cast(${slots[recordSlot(index, 'agent')]} as text),
            cast(${slots[recordSlot(index, 'details')]} as text), ${sql.lit(index)})`,
      ),
    );
    const statement = sql<TaskRow>`with written as (${write.build(db, slots)}), recorded as (
      insert into task_history (scope, task_id, event, agent, details, timestamp, seq)
      select written.scope, written.id, record.event, record.agent, record.details,
        cast(${slots[RECORDED_AT]} as text),
        ${nextSeq(sql.ref('written.scope'), sql.ref('written.id'))} + record.n
      from written cross join (values ${values}) as record (event, agent, details, n)
    ) select * from written`;
    return { compile: () => statement.compile(db) };
  },
);

/**
 * Runs `write` and appends `records`, in order, to the history of each task it wrote, stamped
 * `timestamp` and numbered after the task's last entry. Resolves the written rows; a task the
 * write did not touch gets no entry. PostgreSQL runs it all as one statement (a data-modifying
 * CTE, a named prepared statement); SQLite, which has no data-modifying CTEs, as the write and
 * then the inserts, so call it inside a transaction there. Both compile once per shape (see
 * `compiledQueries`).
 */
export async function writeRecording<P extends SlotValues>(
  db: Db,
  taskWrite: TaskWrite<P>,
  timestamp: string,
  records: readonly HistoryRecord[],
): Promise<TaskRow[]> {
  // The shape caches hold writes of every slot type; a key always comes with its own builder.
  const write = taskWrite as unknown as TaskWrite;
  if (db.capabilities.dialect === 'sqlite' || records.length === 0) {
    const rows = await writeShapes(write).run(db, write.values);
    await insertHistory(
      db,
      rows.flatMap((row) =>
        records.map((record) => ({ ...record, scope: row.scope, task_id: row.id, timestamp })),
      ),
    );
    return rows;
  }
  const values: SlotValues = { ...write.values, [RECORDED_AT]: timestamp };
  records.forEach((record, index) => {
    values[recordSlot(index, 'event')] = record.event;
    values[recordSlot(index, 'agent')] = record.agent ?? null;
    values[recordSlot(index, 'details')] = record.details ?? null;
  });
  return recordingShapes({ write, records: records.length }).run(db, values);
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
