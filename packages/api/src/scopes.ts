import { z } from '@hono/zod-openapi';
import { ErrorBody, PAGE_FIELDS, ScopeName, Timestamp, WholeListPage } from './common.js';
import { MERGE_CONFLICT_POLICIES } from './constants.js';

/**
 * Glossary of the scope lifecycle:
 * - *child* / *parent*: a merge moves the child scope's work (an agent's sandbox) into the parent.
 * - *conflict*: an id (or a task's file_path, or a differently defined flow of the same name)
 *   that the parent already has.
 * - *activity*: the latest time any row of the scope was created or changed.
 */

const count = z.number().int().min(0);

/** Rows per entity table of one scope. */
export const ScopeCounts = z
  .object({
    tasks: count,
    task_history: count,
    projects: count,
    drafts: count,
    orchestrators: count,
    roles: count,
    flows: count,
    messages: count,
    actions: count,
    api_keys: count,
    claim_replays: count,
  })
  .openapi('ScopeCounts');
export type ScopeCounts = z.infer<typeof ScopeCounts>;

export const ScopeSummary = z
  .object({
    scope: z.string(),
    counts: ScopeCounts,
    created_at: Timestamp.openapi({ description: 'Earliest time a row of the scope was created' }),
    last_activity_at: Timestamp.openapi({
      description: 'Latest time a row of the scope was created or changed',
    }),
  })
  .openapi('ScopeSummary');
export type ScopeSummary = z.infer<typeof ScopeSummary>;

/** A page of the scope list: every scope, up to 500, unless `limit` asks for fewer. */
export const ScopeListQuery = WholeListPage;
export type ScopeListQuery = z.infer<typeof ScopeListQuery>;

export const ScopeList = z
  .object({
    scopes: z.array(ScopeSummary).openapi({ description: 'Ordered by name' }),
    ...PAGE_FIELDS,
  })
  .openapi('ScopeList');
export type ScopeList = z.infer<typeof ScopeList>;

export const ScopePurged = z
  .object({
    scope: z.string(),
    deleted: ScopeCounts.openapi({ description: 'Rows deleted per entity table' }),
  })
  .openapi('ScopePurged');
export type ScopePurged = z.infer<typeof ScopePurged>;

export const ScopeClone = z
  .object({ to: ScopeName.openapi({ description: 'A scope that holds nothing yet' }) })
  .openapi('ScopeClone');
export type ScopeClone = z.infer<typeof ScopeClone>;

export const ScopeCloned = z
  .object({
    scope: z.string(),
    to: z.string(),
    copied: ScopeCounts.openapi({ description: 'Rows copied per table; API keys never are' }),
  })
  .openapi('ScopeCloned');
export type ScopeCloned = z.infer<typeof ScopeCloned>;

export const MergeConflictPolicy = z.enum(MERGE_CONFLICT_POLICIES);
export type MergeConflictPolicy = z.infer<typeof MergeConflictPolicy>;

/** Prefixed ids must stay valid ids, queue-style flow names and file names. */
const RenamePrefix = z
  .string()
  .regex(/^[A-Za-z0-9._:-]{1,64}$/, 'must be 1-64 characters of letters, digits and ._:-');

export const ScopeMerge = z
  .object({
    into: ScopeName.openapi({ description: 'The parent scope that receives the entities' }),
    onConflict: MergeConflictPolicy.default('fail').openapi({
      description:
        'fail: any conflict refuses the merge (409). skip: conflicting entities, and everything ' +
        'linked to them, stay in the child. rename: conflicting ids get `prefix`.',
    }),
    prefix: RenamePrefix.optional().openapi({
      description: 'With onConflict "rename" only; default "<child scope>-"',
    }),
    dryRun: z.boolean().default(false).openapi({ description: 'Report without writing' }),
  })
  .refine((input) => input.prefix === undefined || input.onConflict === 'rename', {
    path: ['prefix'],
    message: 'only applies with onConflict "rename"',
  })
  .openapi('ScopeMerge');
export type ScopeMerge = z.infer<typeof ScopeMerge>;
export type ScopeMergeInput = z.input<typeof ScopeMerge>;

/** Entity types a merge moves. Orchestrators, their roles and API keys stay with the child. */
export const MergedType = z.enum(['tasks', 'projects', 'drafts', 'messages', 'actions', 'flows']);
export type MergedType = z.infer<typeof MergedType>;

const EntityKey = z.union([z.string(), z.number().int()]);
const Moved = z.object({ from: z.string(), to: z.string() });
const MovedDraft = z.object({ from: z.number().int(), to: z.number().int() });

export const MergeConflict = z
  .object({
    type: MergedType,
    id: EntityKey.openapi({ description: "The child entity's id (a flow's name)" }),
    field: z.enum(['id', 'file_path', 'name']),
    value: z.string().openapi({ description: 'The value the parent already has' }),
    resolution: z.enum(['failed', 'skipped', 'renamed']),
    to: z.string().optional().openapi({ description: 'The new value, when renamed' }),
  })
  .openapi('MergeConflict');
export type MergeConflict = z.infer<typeof MergeConflict>;

export const MergeKept = z
  .object({
    type: MergedType,
    id: EntityKey,
    linked_to: z.object({ type: MergedType, id: EntityKey }).openapi({
      description: 'The skipped conflicting entity this one is linked to',
    }),
  })
  .openapi('MergeKept');
export type MergeKept = z.infer<typeof MergeKept>;

export const ScopeMergeReport = z
  .object({
    scope: z.string().openapi({ description: 'The child scope' }),
    into: z.string(),
    onConflict: MergeConflictPolicy,
    dryRun: z.boolean(),
    moved: z.object({
      tasks: z.array(Moved),
      task_history: count.openapi({ description: 'History rows moved with their tasks' }),
      projects: z.array(Moved),
      drafts: z.array(MovedDraft).openapi({ description: 'Drafts get new ids in the parent' }),
      messages: z.array(Moved),
      actions: z.array(Moved),
      flows: z.array(Moved),
    }),
    conflicts: z.array(MergeConflict),
    kept: z.array(MergeKept).openapi({
      description: 'Entities left in the child because they are linked to a skipped one',
    }),
    remaining: ScopeCounts.openapi({ description: 'What the child scope holds after the merge' }),
  })
  .openapi('ScopeMergeReport');
export type ScopeMergeReport = z.infer<typeof ScopeMergeReport>;

/** A refused merge: the usual error body plus the report of what conflicted. */
export const ScopeMergeRefused = ErrorBody.extend({ report: ScopeMergeReport }).openapi(
  'ScopeMergeRefused',
);
export type ScopeMergeRefused = z.infer<typeof ScopeMergeRefused>;
