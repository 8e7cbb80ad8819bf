import { sql } from 'kysely';
import type { ClaimReplayRow } from './claim-replays.js';
import {
  compiledQueries,
  definedColumns,
  prefixedValues,
  type SlotValues,
  slotsUnder,
} from './compiled-queries.js';
import { type HistoryRecord, nextSeq } from './history.js';
import type { Db } from './store.js';
import {
  type ClaimableShape,
  type ClaimCriteria,
  claimableQuery,
  claimableSlots,
  type ExpiredShape,
  expiredQuery,
  expiredSlots,
  type TaskChanges,
  type TaskRow,
} from './tasks.js';

/** What a claim writes, known before the task is chosen; see `claimNextAlone`. */
export interface ClaimWrite {
  /** The columns written (`attempt_count` and `version` are counted up by the statement). */
  changes: Omit<TaskChanges, 'attempt_count' | 'version'>;
  /** Added to the task's `attempt_count`: 1 for a claim that counts an attempt, else 0. */
  attempts: 0 | 1;
  /** The history entry's time, an ISO instant. */
  timestamp: string;
  /**
   * The history entry; its `details` are the object's JSON text, to which the statement adds the
   * task's new `attempt_count` as a last key, `attempt`.
   */
  record: Omit<HistoryRecord, 'details'> & { details: Record<string, unknown> };
  /** The idempotency key to remember the claim under, in `claim_replays`; none when absent. */
  remember?: ClaimKeyRecord;
}

/** A claim's idempotency key as `claim_replays` records it; the task and `lease_token` are the claim's. */
export type ClaimKeyRecord = Pick<ClaimReplayRow, 'idempotency_key' | 'created_at' | 'expires_at'>;

interface ClaimShape extends ClaimableShape {
  expired: ExpiredShape;
  columns: readonly string[];
  remembers: boolean;
}

const setSlot = (column: string) => `set.${column}`;

/** The row the claim statement answers: the claimed task's columns (all NULL when none). */
type ClaimAnswer = { [K in keyof TaskRow]: TaskRow[K] | null } & {
  expired_leases: boolean;
  key_known: boolean;
};

const claimShapes = compiledQueries(
  ({ roles, types, expired, columns, remembers }: ClaimShape) =>
    `${roles},${types},${expired.queues}:${columns.join(',')}${remembers ? ':key' : ''}`,
  (db, slots: SlotValues, shape) => {
    const expired = expiredQuery(db, slotsUnder(slots, 'expired.'), shape.expired);
    const candidate = claimableQuery(db, slotsUnder(slots, 'claimable.'), shape);
    const update = db
      .updateTable('tasks')
      .set((eb) => ({
        ...(Object.fromEntries(
          shape.columns.map((column) => [column, slots[setSlot(column)]]),
        ) as TaskChanges),
        attempt_count: eb('attempt_count', '+', slots.attempts as number),
        version: eb('version', '+', 1),
      }))
      .where(sql<boolean>`(scope, id) = (select scope, id from candidate)`)
      .where(sql<boolean>`not exists (select 1 from expired)`)
      .where(sql<boolean>`not exists (select 1 from known)`)
      .returningAll();
    // Without a key to remember, `known` is empty and `remembered` inserts nothing.
    const known = shape.remembers
      ? sql`select 1 from claim_replays
          where scope = cast(${slots.known_scope} as text)
          and idempotency_key = cast(${slots.known_key} as text)`
      : sql`select 1 where false`;
    const remembered = shape.remembers
      ? sql`, remembered as (
          insert into claim_replays
            (scope, idempotency_key, task_id, lease_token, created_at, expires_at)
          select written.scope, cast(${slots.key} as text), written.id,
            written.lease_token, cast(${slots.key_created_at} as text),
            cast(${slots.key_expires_at} as text)
          from written
        )`
      : sql``;
    const statement = sql<ClaimAnswer>`with expired as (${expired}), known as (${known}),
      candidate as (${candidate}), written as (${update})${remembered}, recorded as (
        insert into task_history (scope, task_id, event, agent, details, timestamp, seq)
        select written.scope, written.id, cast(${slots.event} as text),
          cast(${slots.agent} as text),
          cast(${slots.details_before_attempt} as text) || written.attempt_count || '}',
          cast(${slots.timestamp} as text),
          ${nextSeq(sql.ref('written.scope'), sql.ref('written.id'))}
        from written
      )
      select written.*, exists (select 1 from expired) as expired_leases,
        exists (select 1 from known) as key_known
      from (values (1)) as one (n) left join written on true`;
    return { compile: () => statement.compile(db) };
  },
);

/**
 * A claim as one statement, atomic without a transaction (PostgreSQL only): the task
 * `nextClaimable` would choose, locked with SKIP LOCKED, written with `claim` and counted up, its
 * history entry recorded, and its idempotency key `claim.remember` (if any) recorded in
 * `claim_replays` with the task and its `lease_token`. It claims nothing while the scope holds a
 * claim in `claimQueues` whose lease ended by `criteria.now`, and answers `'expired_leases'`:
 * those go back to their queues first (see the claim's transaction); nor while the scope has
 * recorded `claim.remember`'s key already, answering `'key_known'`. `undefined` when nothing is
 * claimable.
 * @throws the driver's unique violation (23505) when a concurrent claim recorded the same key
 *   after this statement began; the statement then wrote nothing
 */
export async function claimNextAlone(
  db: Db,
  scope: string,
  criteria: ClaimCriteria,
  claimQueues: readonly string[],
  claim: ClaimWrite,
): Promise<TaskRow | undefined | 'expired_leases' | 'key_known'> {
  const claimable = claimableSlots(scope, criteria);
  const expired = expiredSlots(criteria.now, { scope }, claimQueues);
  const columns = definedColumns(claim.changes);
  const values: SlotValues = {
    ...prefixedValues('claimable.', claimable.values),
    ...prefixedValues('expired.', expired.values),
    attempts: claim.attempts,
    event: claim.record.event,
    agent: claim.record.agent ?? null,
    // The details' JSON text up to the value of `attempt`, its last key.
    details_before_attempt: JSON.stringify({ ...claim.record.details, attempt: 0 }).slice(0, -2),
    timestamp: claim.timestamp,
  };
  const { remember } = claim;
  if (remember) {
    Object.assign(values, {
      known_scope: scope,
      known_key: remember.idempotency_key,
      key: remember.idempotency_key,
      key_created_at: remember.created_at,
      key_expires_at: remember.expires_at,
    });
  }
  for (const column of columns) values[setSlot(column)] = claim.changes[column];
  const shape = { ...claimable.shape, expired: expired.shape, columns, remembers: !!remember };
  const [answer] = await claimShapes(shape).run(db, values);
  if (!answer || answer.expired_leases) return 'expired_leases';
  if (answer.key_known) return 'key_known';
  const { expired_leases: _, key_known: __, ...task } = answer;
  return task.id === null ? undefined : (task as TaskRow);
}
