import type { Selectable } from 'kysely';
import { type Page, type RowPage, selectPage, whereEquals } from './listing.js';
import type { MessageTable } from './schema.js';
import type { Db } from './store.js';

export type MessageRow = Selectable<MessageTable>;

export function insertMessage(db: Db, row: MessageRow): Promise<MessageRow> {
  return db.insertInto('messages').values(row).returningAll().executeTakeFirstOrThrow();
}

export function findMessage(db: Db, scope: string, id: string) {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
}

export interface MessageFilters {
  task_id?: string | undefined;
  to_actor?: string | undefined;
  type?: string | undefined;
  /** The message with this id and every reply below it. */
  thread_id?: string | undefined;
  /** Only messages nobody has replied to. */
  unreplied?: boolean | undefined;
}

/** The ids of a message and of every reply below it, within the scope. */
function threadIds(db: Db, scope: string, rootId: string) {
  return db
    .withRecursive('thread(id)', (qb) =>
      qb
        .selectFrom('messages')
        .select('id')
        .where('scope', '=', scope)
        .where('id', '=', rootId)
        // UNION (not UNION ALL) ends the walk even if imported data ever held a cycle.
        .union(
          qb
            .selectFrom('messages as reply')
            .innerJoin('thread', 'thread.id', 'reply.parent_message_id')
            .select('reply.id')
            .where('reply.scope', '=', scope),
        ),
    )
    .selectFrom('thread')
    .select('thread.id');
}

/** One page of the scope's messages, oldest first; ties in time are broken by id. */
export function selectMessages(
  db: Db,
  scope: string,
  filters: MessageFilters,
  page: Page,
): Promise<RowPage<MessageRow>> {
  const scoped = db
    .selectFrom('messages as m')
    .where('m.scope', '=', scope)
    .$if(filters.thread_id !== undefined, (q) =>
      q.where('m.id', 'in', threadIds(db, scope, filters.thread_id ?? '')),
    )
    .$if(filters.unreplied === true, (q) =>
      q.where(({ not, exists, selectFrom }) =>
        not(
          exists(
            selectFrom('messages as r')
              .select('r.id')
              .whereRef('r.scope', '=', 'm.scope')
              .whereRef('r.parent_message_id', '=', 'm.id'),
          ),
        ),
      ),
    );
  const filtered = whereEquals(scoped, {
    'm.task_id': filters.task_id,
    'm.to_actor': filters.to_actor,
    'm.type': filters.type,
  });
  return selectPage(
    filtered,
    (q) => q.selectAll('m').orderBy('m.created_at').orderBy('m.id'),
    page,
    ['m.content'],
  );
}
