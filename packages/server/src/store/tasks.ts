import { CLAIMED_QUEUE, DONE_QUEUE, REVIEW_QUEUE } from '@octopoid/api';
import { type Selectable, sql, type Updateable } from 'kysely';
import {
  compiledQueries,
  compiledQuery,
  definedColumns,
  type SlotValues,
} from './compiled-queries.js';
import type { FlowRow } from './flows.js';
import { type HistoryRecord, type TaskWrite, writeRecording } from './history.js';
import { indexedInstant, instant } from './instants.js';
import { countMatching, selectPage, whereEquals } from './listing.js';
import type { TaskTable } from './schema.js';
import type { Db, Store } from './store.js';

export type TaskRow = Selectable<TaskTable>;
export type TaskChanges = Updateable<TaskTable>;

export const CLAIM_FIELDS_CLEARED = {
  claimed_by: null,
  claimed_at: null,
  claimed_from: null,
  orchestrator_id: null,
  lease_expires_at: null,
  lease_token: null,
} as const satisfies TaskChanges;

/** NULL priorities sort as the default P2 on both dialects (they order NULLs differently). */
const priorityRank = (column: 'priority' | 't.priority') =>
  sql<string>`coalesce(${sql.ref(column)}, 'P2')`;

/** `forUpdate`: the caller will write the row in this transaction; it is locked where the database locks rows. */
export async function findTask(db: Db, scope: string, id: string, { forUpdate = false } = {}) {
  const [row] = await taskById(forUpdate).run(db, { scope, id });
  return row;
}

const taskById = compiledQueries(
  (forUpdate: boolean) => String(forUpdate),
  (db, slots: { scope: string; id: string }, forUpdate) =>
    db
      .selectFrom('tasks')
      .selectAll()
      .where('scope', '=', slots.scope)
      .where('id', '=', slots.id)
      .$if(forUpdate && db.capabilities.rowLocks, (q) => q.forUpdate()),
);

/** A task about to be written, with what its write may need to know. */
export interface TaskForWrite {
  task: TaskRow;
  /** The row of the task's flow (`defaultFlowName`'s when it names none); none when unregistered. */
  flow: Pick<FlowRow, 'name' | 'states' | 'transitions'> | undefined;
  /** Whether other tasks of the scope wait for it (`blocked_by` its id). */
  hasDependents: boolean;
}

/**
 * The task, locked where the database locks rows, its flow and whether tasks wait for it, in
 * one query. `undefined` when the scope holds no such task.
 */
export async function findTaskForWrite(
  db: Db,
  scope: string,
  id: string,
  defaultFlowName: string,
): Promise<TaskForWrite | undefined> {
  const [row] = await taskForWrite.run(db, { scope, id, defaultFlowName });
  if (!row) return undefined;
  const { flow_name, flow_states, flow_transitions, has_dependents, ...task } = row;
  return {
    task,
    flow:
      flow_name === null || flow_states === null || flow_transitions === null
        ? undefined
        : { name: flow_name, states: flow_states, transitions: flow_transitions },
    hasDependents: Boolean(has_dependents),
  };
}

const taskForWrite = compiledQuery(
  (db, slots: { scope: string; id: string; defaultFlowName: string }) =>
    db
      .selectFrom('tasks as t')
      .leftJoin('flows as f', (join) =>
        join
          .onRef('f.scope', '=', 't.scope')
          .on(
            'f.name',
            '=',
            sql<string>`coalesce(nullif(${sql.ref('t.flow')}, ''), ${slots.defaultFlowName})`,
          ),
      )
      .selectAll('t')
      .select([
        'f.name as flow_name',
        'f.states as flow_states',
        'f.transitions as flow_transitions',
      ])
      .select((eb) =>
        eb
          .exists(
            eb
              .selectFrom('tasks as d')
              .select('d.id')
              .whereRef('d.scope', '=', 't.scope')
              .whereRef('d.blocked_by', '=', 't.id'),
          )
          .as('has_dependents'),
      )
      .where('t.scope', '=', slots.scope)
      .where('t.id', '=', slots.id)
      .$if(db.capabilities.rowLocks, (q) => q.forUpdate('t')),
);

export async function findConflictingTask(db: Db, scope: string, id: string, filePath: string) {
  return db
    .selectFrom('tasks')
    .select(['id', 'file_path'])
    .where('scope', '=', scope)
    .where((eb) => eb.or([eb('id', '=', id), eb('file_path', '=', filePath)]))
    .executeTakeFirst();
}

/**
 * Inserts the task unless its id or file_path is taken in the scope (then `undefined`, and
 * nothing is recorded), and records `records` in its history (see `writeRecording`).
 */
export async function insertTaskRecording(
  db: Db,
  row: TaskRow,
  records: readonly HistoryRecord[],
): Promise<TaskRow | undefined> {
  const columns = definedColumns(row);
  const write: TaskWrite = {
    key: `insert:${columns.join(',')}`,
    values: Object.fromEntries(columns.map((column) => [column, row[column]])),
    build: (db, slots) =>
      db
        .insertInto('tasks')
        .values(Object.fromEntries(columns.map((column) => [column, slots[column]])) as TaskRow)
        .onConflict((oc) => oc.doNothing())
        .returningAll(),
  };
  const [created] = await writeRecording(db, write, row.created_at, records);
  return created;
}

/**
 * `insertTaskRecording` as a write of its own, atomic without a caller's transaction: one
 * statement on PostgreSQL (no BEGIN and COMMIT around it), a transaction of its own on SQLite.
 */
export function insertTaskAlone(
  store: Store,
  row: TaskRow,
  records: readonly HistoryRecord[],
): Promise<TaskRow | undefined> {
  const insert = (db: Db) => insertTaskRecording(db, row, records);
  return store.dialect === 'postgres' ? insert(store.db) : store.transaction(insert);
}

/** The slot of the new value of `column` in an update. */
const setSlot = (column: string) => `set.${column}`;

/**
 * `changes` written to the task at `version`, bumping the version: shaped by the columns
 * `changes` gives a value.
 */
function taskUpdate(
  target: { scope: string; id: string; version: number },
  changes: TaskChanges,
): TaskWrite {
  const columns = definedColumns(changes).filter((column) => column !== 'version');
  const values: SlotValues = {
    scope: target.scope,
    id: target.id,
    version: target.version,
    next_version: target.version + 1,
  };
  for (const column of columns) values[setSlot(column)] = changes[column];
  return {
    key: `update:${columns.join(',')}`,
    values,
    build: (db, slots) =>
      db
        .updateTable('tasks')
        .set({
          ...(Object.fromEntries(
            columns.map((column) => [column, slots[setSlot(column)]]),
          ) as TaskChanges),
          version: slots.next_version as number,
        })
        .where('scope', '=', slots.scope as string)
        .where('id', '=', slots.id as string)
        .where('version', '=', slots.version as number)
        .returningAll(),
  };
}

/** Writes `changes` and bumps the version, only if the row is still at `version`. */
export async function updateTask(
  db: Db,
  scope: string,
  id: string,
  version: number,
  changes: TaskChanges,
): Promise<TaskRow | undefined> {
  const [row] = await writeRecording(db, taskUpdate({ scope, id, version }, changes), '', []);
  return row;
}

/**
 * `updateTask`, recording `records` in the task's history at `timestamp` when it writes (see
 * `writeRecording`: one statement on PostgreSQL).
 */
export async function updateTaskRecording(
  db: Db,
  target: { scope: string; id: string; version: number },
  changes: TaskChanges,
  timestamp: string,
  records: readonly HistoryRecord[],
): Promise<TaskRow | undefined> {
  const [row] = await writeRecording(db, taskUpdate(target, changes), timestamp, records);
  return row;
}

/**
 * Clears `blocked_by` on the scope's tasks waiting for `blockerId`, with a version bump, and
 * records `records` in each one's history (see `writeRecording`). Resolves the released rows.
 */
export function unblockDependents(
  db: Db,
  scope: string,
  blockerId: string,
  now: string,
  records: readonly HistoryRecord[],
): Promise<TaskRow[]> {
  const update: TaskWrite<{ scope: string; blockerId: string; now: string }> = {
    key: 'unblock',
    values: { scope, blockerId, now },
    build: (db, slots) =>
      db
        .updateTable('tasks')
        .set((eb) => ({ blocked_by: null, updated_at: slots.now, version: eb('version', '+', 1) }))
        .where('scope', '=', slots.scope)
        .where('blocked_by', '=', slots.blockerId)
        .returningAll(),
  };
  return writeRecording(db, update, now, records);
}

export async function deleteTask(db: Db, scope: string, id: string): Promise<boolean> {
  const result = await db
    .deleteFrom('tasks')
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export interface TaskFilters {
  queue?: string[] | undefined;
  priority?: string[] | undefined;
  role?: string[] | undefined;
  claimed_by?: string | undefined;
  project_id?: string | undefined;
  needs_intervention?: boolean | undefined;
}

/** `newest` first (the default), `oldest` first, or by `priority` then oldest. */
export type TaskOrder = 'newest' | 'oldest' | 'priority';

/** The sort keys of the last row of a page: a keyset page starts right after them. */
export interface TaskKeyset {
  priority: string;
  created_at: string;
  id: string;
}

/** A task row without its `content`, and the content's length in characters. */
export type TaskSummaryRow = Omit<TaskRow, 'content'> & { content_length: number | null };

const SUMMARY_COLUMNS = [
  'scope',
  'id',
  'file_path',
  'title',
  'queue',
  'priority',
  'complexity',
  'role',
  'type',
  'branch',
  'blocked_by',
  'project_id',
  'flow',
  'flow_overrides',
  'hooks',
  'auto_accept',
  'claimed_by',
  'orchestrator_id',
  'claimed_at',
  'claimed_from',
  'lease_expires_at',
  'commits_count',
  'turns_used',
  'attempt_count',
  'rejection_count',
  'version',
  'has_plan',
  'needs_rebase',
  'needs_breakdown',
  'review_round',
  'needs_intervention',
  'plan_id',
  'pr_url',
  'pr_number',
  'staging_url',
  'checks',
  'check_results',
  'execution_notes',
  'last_rebase_attempt_at',
  'submitted_at',
  'completed_at',
  'created_at',
  'updated_at',
  'lease_token',
  'lost_leases',
  'available_at',
  'max_attempts',
] as const satisfies readonly Exclude<keyof TaskTable, 'content'>[];
// Fails to compile when a task column is added without being listed above.
const _everyColumnListed: Exclude<keyof TaskTable, 'content' | (typeof SUMMARY_COLUMNS)[number]> =
  undefined as never;

/**
 * One page of the scope's tasks without their content (see `contentsOf`), and the count of every
 * matching task. Ordered by time as instants; `after` continues a keyset page. Run it inside
 * `Store.snapshot` so that rows and total agree.
 */
export async function selectTaskSummaries(
  db: Db,
  scope: string,
  filters: TaskFilters,
  order: TaskOrder,
  page: { limit: number; offset: number; after?: TaskKeyset | undefined },
): Promise<{ rows: TaskSummaryRow[]; total: number }> {
  const { dialect } = db.capabilities;
  const filtered = whereEquals(
    db
      .selectFrom('tasks')
      .where('scope', '=', scope)
      .$if(!!filters.queue?.length, (q) => q.where('queue', 'in', filters.queue ?? []))
      .$if(!!filters.priority?.length, (q) => q.where('priority', 'in', filters.priority ?? []))
      .$if(!!filters.role?.length, (q) => q.where('role', 'in', filters.role ?? [])),
    {
      claimed_by: filters.claimed_by,
      project_id: filters.project_id,
      needs_intervention:
        filters.needs_intervention === undefined ? undefined : Number(filters.needs_intervention),
    },
  );
  const created = instant(dialect, sql.ref('created_at'));
  const keys =
    order === 'priority'
      ? sql`(${priorityRank('priority')}, ${created}, ${sql.ref('id')})`
      : sql`(${created}, ${sql.ref('id')})`;
  const { after } = page;
  const afterKeys =
    after &&
    (order === 'priority'
      ? sql`(${after.priority}, ${instant(dialect, after.created_at)}, ${after.id})`
      : sql`(${instant(dialect, after.created_at)}, ${after.id})`);
  const direction = order === 'newest' ? 'desc' : 'asc';
  const [rows, count] = await Promise.all([
    filtered
      .select(SUMMARY_COLUMNS)
      .select(sql<number | null>`length(${sql.ref('content')})`.as('content_length'))
      .$if(afterKeys !== undefined, (q) =>
        q.where(sql<boolean>`${keys} ${sql.raw(direction === 'desc' ? '<' : '>')} ${afterKeys}`),
      )
      .$if(order === 'priority', (q) => q.orderBy(priorityRank('priority')))
      .orderBy(created, direction)
      .orderBy('id', direction)
      .limit(page.limit)
      .offset(page.offset)
      .execute(),
    countMatching(filtered),
  ]);
  return { rows: rows as TaskSummaryRow[], total: count };
}

/** The `content` of these tasks of the scope, by id. */
export async function contentsOf(db: Db, scope: string, ids: string[]) {
  if (ids.length === 0) return new Map<string, string | null>();
  const rows = await db
    .selectFrom('tasks')
    .select(['id', 'content'])
    .where('scope', '=', scope)
    .where('id', 'in', ids)
    .execute();
  return new Map(rows.map((row) => [row.id, row.content]));
}

export interface ClaimCriteria {
  queue: string;
  roles?: string[] | undefined;
  types?: string[] | undefined;
  now: string;
}

/**
 * The next claimable task: in the queue, not blocked by an unfinished task of the same scope,
 * not under another unexpired claim, not waiting out a retry backoff (`available_at`), highest
 * priority first, then the one ready longest (a returned task queues behind work that was ready
 * before its backoff ended). On PostgreSQL the row is locked and rows locked by concurrent
 * claimers are skipped, so claimers never collide.
 */
export async function nextClaimable(db: Db, scope: string, criteria: ClaimCriteria) {
  const { shape, values } = claimableSlots(scope, criteria);
  const [row] = await claimableShapes(shape).run(db, values);
  return row;
}

/** The shape and slot values of `nextClaimable`'s query. */
export function claimableSlots(scope: string, criteria: ClaimCriteria) {
  const roles = criteria.roles ?? [];
  const types = criteria.types ?? [];
  const values: SlotValues = {
    scope,
    queue: criteria.queue,
    lease_now: criteria.now,
    available_now: criteria.now,
  };
  roles.forEach((role, index) => {
    values[listSlot('role', index)] = role;
  });
  types.forEach((type, index) => {
    values[listSlot('type', index)] = type;
  });
  return { shape: { roles: roles.length, types: types.length }, values };
}

/** The slot of the `index`th item of the list `list`. */
const listSlot = (list: string, index: number) => `${list}.${index}`;
const listSlots = (slots: SlotValues, list: string, length: number) =>
  Array.from({ length }, (_, index) => slots[listSlot(list, index)] as string);

/** `nextClaimable`'s query, shaped by the lengths of its role and type filters. */
const claimableShapes = compiledQueries(
  ({ roles, types }: ClaimableShape) => `${roles},${types}`,
  (db, slots: SlotValues, shape) => claimableQuery(db, slots, shape),
);

/** The lengths of a claim's role and type filters. */
export interface ClaimableShape {
  roles: number;
  types: number;
}

export function claimableQuery(db: Db, slots: SlotValues, lengths: ClaimableShape) {
  const { dialect, rowLocks } = db.capabilities;
  return db
    .selectFrom('tasks as t')
    .selectAll('t')
    .where('t.scope', '=', slots.scope as string)
    .where('t.queue', '=', slots.queue as string)
    .where((eb) =>
      eb.or([
        eb('t.blocked_by', 'is', null),
        eb('t.blocked_by', '=', ''),
        eb.not(
          eb.exists(
            eb
              .selectFrom('tasks as blocker')
              .select('blocker.id')
              .whereRef('blocker.scope', '=', 't.scope')
              .whereRef('blocker.id', '=', 't.blocked_by')
              .where('blocker.queue', '!=', DONE_QUEUE),
          ),
        ),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('t.lease_expires_at', 'is', null),
        eb(
          instant(dialect, eb.ref('t.lease_expires_at')),
          '<=',
          instant(dialect, slots.lease_now as string),
        ),
      ]),
    )
    .where((eb) =>
      eb.or([
        eb('t.available_at', 'is', null),
        eb(
          instant(dialect, eb.ref('t.available_at')),
          '<=',
          instant(dialect, slots.available_now as string),
        ),
      ]),
    )
    .$if(lengths.roles > 0, (q) => q.where('t.role', 'in', listSlots(slots, 'role', lengths.roles)))
    .$if(lengths.types > 0, (q) => q.where('t.type', 'in', listSlots(slots, 'type', lengths.types)))
    .orderBy(priorityRank('t.priority'))
    .orderBy(
      indexedInstant(
        dialect,
        sql`coalesce(${sql.ref('t.available_at')}, ${sql.ref('t.created_at')})`,
      ),
    )
    .orderBy('t.id')
    .limit(1)
    .$if(rowLocks, (q) => q.forUpdate().skipLocked());
}

/**
 * Makes counting an orchestrator's claims and taking one more a single step on PostgreSQL: under
 * READ COMMITTED two concurrent claimers would both count the same held claims and both take a
 * task past `max_claimed`. The lock is per (scope, orchestrator) and ends with the transaction.
 * SQLite serialises writers already.
 */
export async function lockClaimsOf(db: Db, scope: string, orchestratorId: string) {
  if (!db.capabilities.rowLocks) return;
  await sql`select pg_advisory_xact_lock(hashtext(${scope}), hashtext(${orchestratorId}))`.execute(
    db,
  );
}

export async function countClaimedBy(db: Db, scope: string, orchestratorId: string, now: string) {
  const { dialect } = db.capabilities;
  const row = await db
    .selectFrom('tasks')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('scope', '=', scope)
    .where('queue', '=', CLAIMED_QUEUE)
    .where('orchestrator_id', '=', orchestratorId)
    .where((eb) => eb(instant(dialect, eb.ref('lease_expires_at')), '>', instant(dialect, now)))
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Claims in `claimQueues` whose lease ended before `now`, in one scope or in every scope. On
 * PostgreSQL the rows are locked and rows another sweep holds are skipped.
 */
export function expiredClaims(
  db: Db,
  now: string,
  where: { scope?: string },
  claimQueues: readonly string[],
) {
  const { shape, values } = expiredSlots(now, where, claimQueues);
  return expiredShapes(shape).run(db, values);
}

/** The shape and slot values of `expiredClaims`' query. */
export function expiredSlots(
  now: string,
  where: { scope?: string },
  claimQueues: readonly string[],
) {
  const values: SlotValues = { now };
  if (where.scope !== undefined) values.scope = where.scope;
  claimQueues.forEach((queue, index) => {
    values[listSlot('queue', index)] = queue;
  });
  return { shape: { scoped: where.scope !== undefined, queues: claimQueues.length }, values };
}

/** Whether expired claims are looked for in one scope, and how many claim queues there are. */
export interface ExpiredShape {
  scoped: boolean;
  queues: number;
}

/** `expiredClaims`' query, shaped by whether it is scoped and by the count of claim queues. */
const expiredShapes = compiledQueries(
  ({ scoped, queues }: ExpiredShape) => `${scoped},${queues}`,
  (db, slots: SlotValues, shape) => expiredQuery(db, slots, shape),
);

export function expiredQuery(db: Db, slots: SlotValues, { scoped, queues }: ExpiredShape) {
  const { dialect, rowLocks } = db.capabilities;
  return db
    .selectFrom('tasks')
    .selectAll()
    .where((eb) =>
      eb(
        indexedInstant(dialect, eb.ref('lease_expires_at')),
        '<=',
        instant(dialect, slots.now as string),
      ),
    )
    .where('claimed_by', 'is not', null)
    .where('queue', 'in', listSlots(slots, 'queue', queues))
    .$if(scoped, (q) => q.where('scope', '=', slots.scope as string))
    .orderBy((eb) => indexedInstant(dialect, eb.ref('lease_expires_at')))
    .limit(500)
    .$if(rowLocks, (q) => q.forUpdate().skipLocked());
}

export function countTasksByQueue(db: Db, scope: string) {
  return db
    .selectFrom('tasks')
    .select((eb) => ['queue', eb.fn.countAll<number>().as('total')])
    .where('scope', '=', scope)
    .groupBy('queue')
    .execute();
}

/** Tasks awaiting review, oldest first, with what a scheduler needs to route them. */
/**
 * The oldest tasks awaiting review, their hooks and claimant: up to `limit` of them, cut sooner
 * by the response-size budget (hooks are free JSON text).
 */
export async function reviewQueue(db: Db, scope: string, limit: number) {
  const { rows } = await selectPage(
    db.selectFrom('tasks').where('scope', '=', scope).where('queue', '=', REVIEW_QUEUE),
    (q) => q.select(['id', 'hooks', 'pr_number', 'claimed_by']).orderBy('created_at').orderBy('id'),
    { limit, offset: 0 },
    ['hooks'],
  );
  return rows;
}

/** The scopes holding at least one claimed task (a lease that may expire). */
export async function scopesWithClaims(db: Db, claimQueues: readonly string[]): Promise<string[]> {
  const rows = await db
    .selectFrom('tasks')
    .select('scope')
    .distinct()
    .where('claimed_by', 'is not', null)
    .where('queue', 'in', claimQueues)
    .execute();
  return rows.map((row) => row.scope);
}

/** The id a task is `blocked_by` (NULL or empty: none), or `undefined` when there is no such task. */
export async function blockerOf(db: Db, scope: string, id: string) {
  const row = await db
    .selectFrom('tasks')
    .select('blocked_by')
    .where('scope', '=', scope)
    .where('id', '=', id)
    .executeTakeFirst();
  return row && (row.blocked_by || null);
}
