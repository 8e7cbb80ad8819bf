import { sql } from 'kysely';
import type { Migration } from './migration.js';

/**
 * History entries get `seq`, their number within their task's history (1, 2, 3 …), which the
 * API shows as the entry's `id`. The table's own key stays a server-wide sequence, whose gaps
 * would let one scope count another scope's writes, so it is no longer shown.
 */
export const historyNumberedPerTask: Migration = {
  id: 3,
  name: 'history-numbered-per-task',
  statements: (db) => [
    db.schema.alterTable('task_history').addColumn('seq', 'integer'),
    db.updateTable('task_history' as never).set({
      seq: sql`(select count(*) from task_history earlier
          where earlier.scope = task_history.scope and earlier.task_id = task_history.task_id
            and earlier.id <= task_history.id)`,
    } as never),
    db.schema
      .createIndex('task_history_seq_unique')
      .on('task_history')
      .columns(['scope', 'task_id', 'seq'])
      .unique(),
  ],
};
