import { z } from '@hono/zod-openapi';
import {
  CommaList,
  Count,
  EntityId,
  Flag,
  FlagInput,
  jsonTextInput,
  Limit,
  nullAsAbsent,
  Offset,
  PAGE_FIELDS,
  ScopeName,
  Timestamp,
  TimestampInput,
  WholeListPage,
} from './common.js';
import {
  MAX_CLAIM_WAIT_SECONDS,
  MAX_INT,
  MAX_LEASE_SECONDS,
  MAX_LIST_LENGTH,
} from './constants.js';

export const Priority = z.enum(['P0', 'P1', 'P2', 'P3']);
export const Complexity = z.enum(['XS', 'S', 'M', 'L', 'XL']);
export const QueueName = z
  .string()
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, 'must be 1-64 characters of letters, digits and _.:-');

export const Hook = z
  .object({
    name: z.string().min(1),
    point: z.string().optional(),
    type: z.string().optional(),
    status: z.string().optional(),
    evidence: z.unknown().optional(),
  })
  .passthrough();
const HookList = z.array(Hook).max(MAX_LIST_LENGTH);
const JsonObject = z.record(z.string(), z.unknown());

const nullableText = z.string().nullable();
const nullableInt = z.number().int().nullable();

export const Task = z
  .object({
    id: z.string(),
    scope: z.string(),
    file_path: z.string(),
    title: z.string(),
    queue: z.string(),
    priority: z.string().nullable(),
    complexity: nullableText,
    role: nullableText,
    type: nullableText,
    branch: z.string(),
    blocked_by: nullableText,
    project_id: nullableText,
    flow: z.string(),
    flow_overrides: nullableText.openapi({ description: 'JSON object as text' }),
    hooks: nullableText.openapi({ description: 'JSON array of hooks as text' }),
    content: nullableText,
    auto_accept: Flag,
    claimed_by: nullableText,
    orchestrator_id: nullableText,
    claimed_at: Timestamp.nullable(),
    lease_expires_at: Timestamp.nullable(),
    commits_count: z.number().int(),
    turns_used: nullableInt,
    attempt_count: z.number().int(),
    rejection_count: z.number().int(),
    version: z.number().int(),
    has_plan: Flag,
    needs_rebase: Flag,
    needs_breakdown: Flag,
    review_round: z.number().int(),
    needs_intervention: Flag,
    plan_id: nullableText,
    pr_url: nullableText,
    pr_number: nullableInt,
    staging_url: nullableText,
    checks: nullableText,
    check_results: nullableText,
    execution_notes: nullableText,
    last_rebase_attempt_at: Timestamp.nullable(),
    submitted_at: Timestamp.nullable(),
    completed_at: Timestamp.nullable(),
    created_at: Timestamp,
    updated_at: Timestamp,
    available_at: Timestamp.nullable().openapi({
      description: 'A returned task is not claimed before this instant (retry backoff)',
    }),
    max_attempts: nullableInt.openapi({
      description: 'Claims allowed before the task fails; null: the server default',
    }),
    lease_token: nullableText.openapi({
      description:
        'The fencing token of the current claim (new with every claim); submit and renew may send it',
    }),
  })
  .openapi('Task');
export type Task = z.infer<typeof Task>;

/** Claims a task may take before it fails with `attempts_exhausted`. */
export const MaxAttempts = z
  .number()
  .int('must be a whole number')
  .min(1, 'must be at least 1')
  .max(1000, 'must be at most 1000');

/** Optimistic lock: when given, the write succeeds only if the task is still at this version. */
const ExpectedVersion = z.number().int().min(1).max(MAX_INT).optional().openapi({
  description: 'Expected current version; a mismatch answers 409 version_conflict',
});

export const TaskCreate = z
  .object({
    id: EntityId,
    file_path: z.string().min(1).max(1024),
    branch: z.string().min(1).max(255),
    title: z.string().max(1000).nullish(),
    queue: QueueName.nullish(),
    priority: Priority.nullish(),
    complexity: Complexity.nullish(),
    role: z.string().max(128).nullish(),
    type: z.string().max(128).nullish(),
    blocked_by: z.string().max(200).nullish(),
    project_id: z.string().max(200).nullish(),
    flow: z.string().max(128).nullish(),
    flow_overrides: jsonTextInput(JsonObject, 'a JSON object').nullish(),
    hooks: jsonTextInput(HookList, 'an array of hooks').nullish(),
    content: z.string().nullish(),
    auto_accept: FlagInput.nullish(),
    max_attempts: MaxAttempts.nullish(),
  })
  .openapi('TaskCreate');
export type TaskCreate = z.infer<typeof TaskCreate>;

export const TaskPatch = z
  .object({
    title: z.string().max(1000),
    queue: QueueName,
    priority: Priority.nullable(),
    complexity: Complexity.nullable(),
    role: z.string().max(128).nullable(),
    type: z.string().max(128).nullable(),
    branch: z.string().min(1).max(255),
    blocked_by: z.string().max(200).nullable(),
    project_id: z.string().max(200).nullable(),
    flow: z.string().max(128),
    flow_overrides: jsonTextInput(JsonObject, 'a JSON object').nullable(),
    hooks: jsonTextInput(HookList, 'an array of hooks').nullable(),
    content: z.string().nullable(),
    auto_accept: FlagInput,
    claimed_by: z.string().max(200).nullable(),
    claimed_at: TimestampInput.nullable(),
    lease_expires_at: TimestampInput.nullable(),
    commits_count: Count,
    turns_used: Count.nullable(),
    attempt_count: Count,
    rejection_count: Count,
    has_plan: FlagInput,
    needs_rebase: FlagInput,
    needs_intervention: FlagInput,
    plan_id: z.string().nullable(),
    pr_url: z.string().nullable(),
    pr_number: Count.nullable(),
    staging_url: z.string().nullable(),
    checks: z.string().nullable(),
    check_results: z.string().nullable(),
    execution_notes: z.string().nullable(),
    last_rebase_attempt_at: TimestampInput.nullable(),
    submitted_at: TimestampInput.nullable(),
    completed_at: TimestampInput.nullable(),
    max_attempts: MaxAttempts.nullable(),
  })
  .partial()
  .extend({ version: ExpectedVersion })
  .openapi('TaskPatch');
export type TaskPatch = z.infer<typeof TaskPatch>;

const StringOrList = z
  .union([z.string(), z.array(z.string()).max(MAX_LIST_LENGTH)])
  .transform((value) => (typeof value === 'string' ? [value] : value));

const ClaimWaitSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(0, 'must not be negative')
  .max(MAX_CLAIM_WAIT_SECONDS, `must be at most ${MAX_CLAIM_WAIT_SECONDS}`)
  .openapi({
    description:
      'Long poll: when nothing is claimable, hold the request up to this many seconds until a ' +
      'task becomes claimable in the scope (then claim it) or the wait ends (then 404). Waiters ' +
      'of one scope are served first come, first served. Default 0: answer at once.',
  });

const LeaseSeconds = z
  .number()
  .int('must be a whole number of seconds')
  .min(1, 'must be positive')
  .max(MAX_LEASE_SECONDS, `must be at most ${MAX_LEASE_SECONDS}`);

export const TaskClaim = z
  .object({
    orchestrator_id: z.string().min(1).max(200),
    agent_name: z.string().min(1).max(200),
    role_filter: nullAsAbsent(StringOrList),
    type_filter: nullAsAbsent(StringOrList),
    queue: nullAsAbsent(QueueName),
    lease_duration_seconds: nullAsAbsent(LeaseSeconds),
    max_claimed: nullAsAbsent(z.number().int().min(1).max(MAX_INT)),
    wait_seconds: nullAsAbsent(ClaimWaitSeconds),
  })
  .openapi('TaskClaim');
export type TaskClaim = z.infer<typeof TaskClaim>;

const Claimant = {
  agent_name: z.string().max(200).optional(),
  orchestrator_id: z.string().max(200).optional(),
  lease_token: z.string().max(200).optional().openapi({
    description: 'The token the claim answered with; a former claimant’s token is refused (409)',
  }),
};

export const TaskSubmit = z
  .object({
    commits_count: Count.nullable(),
    turns_used: Count.nullable(),
    check_results: z
      .unknown()
      .transform((value) =>
        value === undefined || value === null || typeof value === 'string'
          ? (value ?? null)
          : JSON.stringify(value),
      )
      .optional()
      .openapi({ description: 'Text, or any JSON value (stored as its JSON text)' }),
    execution_notes: z.string().nullish(),
    version: ExpectedVersion,
    ...Claimant,
  })
  .openapi('TaskSubmit');
export type TaskSubmit = z.infer<typeof TaskSubmit>;

export const TaskAccept = z
  .object({
    accepted_by: z.string().max(200).nullish(),
    completed_at: TimestampInput.nullish(),
    version: ExpectedVersion,
  })
  .openapi('TaskAccept');
export type TaskAccept = z.infer<typeof TaskAccept>;

export const TaskReject = z
  .object({
    reason: z.string().min(1).max(10000),
    rejected_by: z.string().max(200).nullish(),
    version: ExpectedVersion,
  })
  .openapi('TaskReject');
export type TaskReject = z.infer<typeof TaskReject>;

export const TaskRequeue = z.object({ version: ExpectedVersion }).openapi('TaskRequeue');
export type TaskRequeue = z.infer<typeof TaskRequeue>;

export const TaskForceQueue = z
  .object({
    queue: QueueName,
    reason: z.string().min(1).max(10000),
    version: ExpectedVersion,
  })
  .openapi('TaskForceQueue');
export type TaskForceQueue = z.infer<typeof TaskForceQueue>;

export const TaskLeaseRenew = z
  .object({
    lease_duration_seconds: LeaseSeconds.optional(),
    version: ExpectedVersion,
    ...Claimant,
  })
  .openapi('TaskLeaseRenew');
export type TaskLeaseRenew = z.infer<typeof TaskLeaseRenew>;

export const HookComplete = z
  .object({
    status: z.enum(['passed', 'failed']),
    evidence: z.unknown().optional(),
  })
  .openapi('HookComplete');
export type HookComplete = z.infer<typeof HookComplete>;

/** The fields of a task on the wire, as `fields=` and `omit=` name them. */
export const TaskField = Task.keyof();
export type TaskField = z.infer<typeof TaskField>;
const TaskFieldList = CommaList.pipe(z.array(TaskField));

export const TaskListQuery = z.object({
  scope: ScopeName.optional(),
  queue: CommaList.optional(),
  priority: CommaList.optional(),
  role: CommaList.optional(),
  claimed_by: z.string().optional(),
  project_id: z.string().optional(),
  needs_intervention: z
    .enum(['true', 'false', '1', '0'])
    .transform((value) => value === 'true' || value === '1')
    .optional(),
  sort: z.enum(['priority', 'created', 'newest']).optional().openapi({
    description: 'newest first (default); created: oldest first; priority: P0 first, then oldest',
  }),
  limit: Limit,
  offset: Offset,
  cursor: z.string().max(2000).optional().openapi({
    description:
      'Keyset paging: the `next_cursor` of the previous page (same filters and sort); not with offset',
  }),
  fields: TaskFieldList.optional().openapi({
    description: 'Only these task fields, comma-separated (`id` is always included)',
  }),
  omit: TaskFieldList.optional().openapi({
    description:
      'Every task field but these, comma-separated: `omit=content` lists without content',
  }),
});
export type TaskListQuery = z.infer<typeof TaskListQuery>;

export const TaskList = z
  .object({
    tasks: z.array(Task).openapi({
      description: 'With `fields` or `omit`, each task carries only the fields asked for',
    }),
    ...PAGE_FIELDS,
    next_cursor: z.string().nullable().openapi({
      description: 'Pass as `cursor` for the page after this one; null on the last page',
    }),
  })
  .openapi('TaskList');
export type TaskList = z.infer<typeof TaskList>;

export const TaskHistoryEntry = z
  .object({
    id: z.number().int(),
    task_id: z.string(),
    event: z.string(),
    agent: z.string().nullable(),
    details: z.string().nullable(),
    timestamp: Timestamp,
  })
  .openapi('TaskHistoryEntry');
export type TaskHistoryEntry = z.infer<typeof TaskHistoryEntry>;

export const TaskHistoryQuery = WholeListPage.extend({ scope: ScopeName.optional() });
export type TaskHistoryQuery = z.infer<typeof TaskHistoryQuery>;

export const TaskHistory = z
  .object({
    task_id: z.string(),
    history: z.array(TaskHistoryEntry),
    ...PAGE_FIELDS,
  })
  .openapi('TaskHistory');
export type TaskHistory = z.infer<typeof TaskHistory>;

export const TaskDeleted = z
  .object({ message: z.string(), task_id: z.string() })
  .openapi('TaskDeleted');
export type TaskDeleted = z.infer<typeof TaskDeleted>;

/** What clients send: the input side of the schemas (booleans for flags, objects for JSON text). */
export type TaskCreateInput = z.input<typeof TaskCreate>;
export type TaskPatchInput = z.input<typeof TaskPatch>;
export type TaskClaimInput = z.input<typeof TaskClaim>;
export type TaskSubmitInput = z.input<typeof TaskSubmit>;
export type TaskAcceptInput = z.input<typeof TaskAccept>;
export type TaskRejectInput = z.input<typeof TaskReject>;
export type TaskRequeueInput = z.input<typeof TaskRequeue>;
export type TaskForceQueueInput = z.input<typeof TaskForceQueue>;
export type TaskLeaseRenewInput = z.input<typeof TaskLeaseRenew>;
export type HookCompleteInput = z.input<typeof HookComplete>;
