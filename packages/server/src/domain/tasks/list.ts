import { EntityId, Priority, type Task, type TaskField, TimestampInput } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { rowsWithinBudget } from '../../store/page-budget.js';
import {
  contentsOf,
  selectTaskSummaries,
  type TaskFilters,
  type TaskKeyset,
  type TaskOrder,
  type TaskSummaryRow,
} from '../../store/tasks.js';
import type { ScopeContext } from '../context.js';
import { toTask } from './wire.js';

export interface TaskPageRequest {
  limit: number;
  offset: number;
  /** `next_cursor` of the previous page; excludes `offset`. */
  cursor?: string | undefined;
  /** Only these fields (`id` always); otherwise every field but `omit`. */
  fields?: TaskField[] | undefined;
  omit?: TaskField[] | undefined;
}

export interface TaskPage {
  tasks: Partial<Task>[];
  total: number;
  /** The page size asked for, or the tasks given when the size budget ended the page. */
  limit: number;
  next_cursor: string | null;
}

/** Cursors are opaque to clients: base64url of `[order, priority, created_at, id]`. */
function encodeCursor(order: TaskOrder, row: TaskSummaryRow): string {
  const keys = [order, row.priority ?? 'P2', row.created_at, row.id];
  return Buffer.from(JSON.stringify(keys)).toString('base64url');
}

/**
 * Whether `keys` could have come from `encodeCursor`: a cursor is client input, so each key must
 * be what the server stores — a priority, a canonical timestamp in range, an id — before it
 * reaches a comparison in SQL (PostgreSQL refuses a malformed instant with an error).
 */
const isCursorKeys = (keys: unknown): keys is [string, string, string, string] => {
  if (!Array.isArray(keys) || keys.length !== 4) return false;
  const [sort, priority, createdAt, id] = keys as unknown[];
  const instant = TimestampInput.safeParse(createdAt);
  return (
    typeof sort === 'string' &&
    Priority.safeParse(priority).success &&
    instant.success &&
    instant.data === createdAt &&
    EntityId.safeParse(id).success
  );
};

function decodeCursor(cursor: string, order: TaskOrder): TaskKeyset {
  let keys: unknown;
  try {
    keys = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    keys = undefined;
  }
  if (!isCursorKeys(keys)) {
    throw ApiError.invalid('cursor', 'is not a next_cursor this server gave');
  }
  const [sort, priority, created_at, id] = keys;
  if (sort !== order) {
    throw ApiError.invalid('cursor', `was made for sort ${sort}; send the same sort`);
  }
  return { priority, created_at, id };
}

function selectedFields(request: TaskPageRequest): (field: string) => boolean {
  if (request.fields && request.omit) {
    throw ApiError.invalid('omit', 'give either fields or omit, not both');
  }
  const { fields, omit } = request;
  if (fields) return (field) => field === 'id' || fields.includes(field as TaskField);
  return (field) => !omit?.includes(field as TaskField);
}

const pick = (task: Task, wanted: (field: string) => boolean): Partial<Task> =>
  Object.fromEntries(Object.entries(task).filter(([field]) => wanted(field)));

/**
 * One page of the scope's tasks: rows and total from one snapshot, by offset or keyset cursor,
 * with only the fields asked for. Content is read only for the rows that fit the response-size
 * budget (`rowsWithinBudget`: `MAX_LIST_BYTES` characters of JSON), so no single list can hold the
 * server; a page cut short by it says so by its `limit` and continues from `next_cursor`.
 * Throws 400 naming `cursor`, `offset` or `omit` for a cursor that is not ours or was made for
 * another sort, a cursor with an offset, or both `fields` and `omit`.
 */
export async function listTaskPage(
  ctx: ScopeContext,
  filters: TaskFilters,
  order: TaskOrder,
  request: TaskPageRequest,
): Promise<TaskPage> {
  if (request.cursor !== undefined && request.offset > 0) {
    throw ApiError.invalid('offset', 'a cursor continues where its page ended; drop offset');
  }
  const after = request.cursor === undefined ? undefined : decodeCursor(request.cursor, order);
  const wanted = selectedFields(request);
  const withContent = wanted('content');
  return ctx.store.snapshot(async (db) => {
    const { rows, total } = await selectTaskSummaries(db, ctx.scope, filters, order, {
      limit: request.limit + 1,
      offset: request.offset,
      after,
    });
    const summaries = rows.slice(0, request.limit).map(({ content_length, ...summary }) => ({
      task: pick(toTask({ ...summary, content: null }), wanted),
      contentLength: withContent ? (content_length ?? 0) : 0,
    }));
    const fit = rowsWithinBudget(
      summaries.map(({ task, contentLength }) => JSON.stringify(task).length + contentLength),
    );
    const kept = rows.slice(0, fit);
    const page = summaries.slice(0, fit).map(({ task }) => task);
    if (withContent) {
      const contents = await contentsOf(
        db,
        ctx.scope,
        kept.map((row) => row.id),
      );
      for (const task of page) task.content = contents.get(task.id as string) ?? null;
    }
    const cut = kept.length < Math.min(rows.length, request.limit);
    const more = cut || rows.length > request.limit;
    const last = kept.at(-1);
    return {
      tasks: page,
      total,
      limit: cut ? kept.length : request.limit,
      next_cursor: more && last ? encodeCursor(order, last) : null,
    };
  });
}
