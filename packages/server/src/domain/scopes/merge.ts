import type { MergeConflict, ScopeCounts, ScopeMerge, ScopeMergeReport } from '@octopoid/api';
import { ApiError } from '../../errors.js';
import { nextDraftId } from '../../store/drafts.js';
import type { Column, ScopedTable } from '../../store/entities.js';
import {
  deleteRowsWhere,
  insertRows,
  rowsOfScope,
  rowsOfScopeIn,
  takenValues,
} from '../../store/scopes.js';
import type { Db } from '../../store/store.js';
import type { ScopeContext } from '../context.js';
import { assertNoDependencyCycles } from '../tasks/dependency-cycles.js';
import { assertCopyWithinBudget } from './copy-budget.js';
import {
  type ChildRows,
  type MergePlan,
  nothingMoved,
  overlongRename,
  type ParentHolds,
  type Placed,
  type PlacedTable,
  planMerge,
} from './merge-plan.js';
import { otherScope } from './other-scope.js';
import { zeroCounts } from './purge.js';
import { scopeSummary } from './summary.js';

type Tx = Db;
type Report = ScopeMergeReport;

/** A merge that wrote nothing because something conflicts; carries the report. */
export class MergeRefused extends ApiError {
  constructor(
    readonly report: Report,
    message: string,
  ) {
    super(
      'conflict',
      message,
      report.conflicts
        .filter((c) => c.resolution === 'failed')
        .map((c) => ({
          field: `${c.type}/${c.id}`,
          reason: `${c.field} ${c.value} already exists in scope ${report.into}`,
        })),
    );
    this.name = 'MergeRefused';
  }
}

/** Thrown to roll a dry run back once its report is known. */
class DryRunDone {
  constructor(readonly report: Report) {}
}

async function countsOf(tx: Tx, scope: string): Promise<ScopeCounts> {
  return (await scopeSummary(tx, scope))?.counts ?? zeroCounts();
}

/** The tables a merge moves rows of. */
const MOVED_TABLES = [
  'projects',
  'tasks',
  'task_history',
  'drafts',
  'messages',
  'actions',
  'flows',
] as const satisfies readonly ScopedTable[];

/** The child's rows, locked for the merge's writes. */
async function readChild(tx: Tx, scope: string): Promise<ChildRows> {
  const read = <T extends ScopedTable>(table: T) =>
    rowsOfScope(tx, table, scope, { forUpdate: true });
  return {
    projects: await read('projects'),
    tasks: await read('tasks'),
    task_history: await read('task_history'),
    drafts: await read('drafts'),
    messages: await read('messages'),
    actions: await read('actions'),
    flows: await read('flows'),
  };
}

async function readParentHolds(tx: Tx, into: string, child: ChildRows): Promise<ParentHolds> {
  const ids = (table: 'projects' | 'tasks' | 'messages' | 'actions') =>
    takenValues(
      tx,
      table,
      into,
      'id',
      child[table].map((row) => row.id),
    );
  // Only the parent's flows the child names: the parent's others are neither read nor counted.
  const parentFlows = await rowsOfScopeIn(
    tx,
    'flows',
    into,
    'name',
    child.flows.map((flow) => flow.name),
  );
  return {
    ids: {
      projects: await ids('projects'),
      tasks: await ids('tasks'),
      messages: await ids('messages'),
      actions: await ids('actions'),
    },
    filePaths: await takenValues(
      tx,
      'tasks',
      into,
      'file_path',
      child.tasks.map((task) => task.file_path),
    ),
    flows: new Map(parentFlows.map((flow) => [flow.name, flow])),
    nextDraftId: await nextDraftId(tx, into),
  };
}

/**
 * Writes one table's rows into the parent. Their new keys are checked first, because a renamed
 * id can still collide (with the parent, or with another moving row); as tables are written in
 * turn, a refusal here rolls back what was written before it.
 */
async function writeTable<T extends PlacedTable>(
  tx: Tx,
  into: string,
  table: T,
  placed: Placed<T>[],
  keyFields: readonly (Column<T> & MergeConflict['field'])[],
  refuse: (collisions: MergeConflict[]) => Promise<never>,
): Promise<void> {
  const collisions: MergeConflict[] = [];
  for (const field of keyFields) {
    const keyValueOf = (p: Placed<T>) => String(p.row[field as keyof typeof p.row]);
    const taken = await takenValues(tx, table, into, field, placed.map(keyValueOf));
    const seen = new Set<string>();
    for (const p of placed) {
      const value = keyValueOf(p);
      if (taken.has(value) || seen.has(value)) {
        collisions.push({ type: table, id: p.from, field, value, resolution: 'failed' });
      }
      seen.add(value);
    }
  }
  if (collisions.length > 0) await refuse(collisions);
  const rows = placed.map((p) => p.row);
  if ((await insertRows(tx, table, rows)) !== rows.length) {
    throw ApiError.conflict(`scope ${into} changed during the merge; retry`);
  }
}

async function writePlan(
  tx: Tx,
  child: string,
  into: string,
  plan: MergePlan,
  now: string,
  refuse: (collisions: MergeConflict[]) => Promise<never>,
): Promise<void> {
  const { insert, remove } = plan;
  await writeTable(tx, into, 'projects', insert.projects, ['id'], refuse);
  await writeTable(tx, into, 'flows', insert.flows, ['name'], refuse);
  await writeTable(tx, into, 'tasks', insert.tasks, ['id', 'file_path'], refuse);
  const lastSeq = new Map<string, number>();
  for (const entry of insert.task_history) {
    lastSeq.set(entry.task_id, Math.max(lastSeq.get(entry.task_id) ?? 0, entry.seq));
  }
  await insertRows(tx, 'task_history', [
    ...insert.task_history,
    ...plan.report.moved.tasks.map(({ from, to }) => ({
      scope: into,
      task_id: to,
      seq: (lastSeq.get(to) ?? 0) + 1,
      event: 'merged',
      agent: null,
      details: JSON.stringify({ from_scope: child, from_id: from }),
      timestamp: now,
    })),
  ]);
  await writeTable(tx, into, 'drafts', insert.drafts, [], refuse);
  await writeTable(tx, into, 'messages', insert.messages, ['id'], refuse);
  await writeTable(tx, into, 'actions', insert.actions, ['id'], refuse);

  await deleteRowsWhere(tx, 'messages', child, 'id', remove.messages);
  await deleteRowsWhere(tx, 'actions', child, 'id', remove.actions);
  // The moved tasks' history goes with them: its foreign key cascades.
  await deleteRowsWhere(tx, 'tasks', child, 'id', remove.tasks);
  await deleteRowsWhere(tx, 'projects', child, 'id', remove.projects);
  await deleteRowsWhere(tx, 'drafts', child, 'id', remove.drafts);
  await deleteRowsWhere(tx, 'flows', child, 'name', remove.flows);
}

/**
 * Moves the scope's work (tasks with their history, projects, drafts, messages, actions, flows)
 * into the parent scope in one transaction, resolving conflicts by the caller's policy and
 * rewriting every reference to a renamed id. A dry run does all of it, then rolls it back.
 * @throws `ApiError` 404 when the child scope holds no entity; 400 `validation_failed` when it
 *   names itself or a rename would exceed the id length; `MergeRefused` (409 `conflict`, with the
 *   report) on conflicts under the `fail` policy; 409 `conflict` when the target changed during the
 *   merge; 413 `payload_too_large` (naming `scope`) when the child holds more than the copy budget
 */
export async function mergeScope(ctx: ScopeContext, input: ScopeMerge): Promise<Report> {
  const into = otherScope(ctx, input.into, 'into');
  const prefix = input.prefix ?? `${ctx.scope}-`;
  const now = ctx.clocks.nowIso(into);
  try {
    return await ctx.store.transaction(async (tx) => {
      if (!(await scopeSummary(tx, ctx.scope))) throw ApiError.notFound('scope', ctx.scope);
      await assertCopyWithinBudget(tx, ctx.scope, MOVED_TABLES, ctx.maxScopeCopyBytes);
      const child = await readChild(tx, ctx.scope);
      const plan = planMerge(
        child,
        await readParentHolds(tx, into, child),
        into,
        input.onConflict,
        prefix,
      );
      const header = {
        scope: ctx.scope,
        into,
        onConflict: input.onConflict,
        dryRun: input.dryRun,
      };
      const refuse = async (collisions: MergeConflict[]): Promise<never> => {
        const report: Report = {
          ...header,
          ...plan.report,
          moved: nothingMoved(),
          kept: [],
          conflicts: [...plan.report.conflicts, ...collisions],
          remaining: await countsOf(tx, ctx.scope),
        };
        throw new MergeRefused(
          report,
          collisions.length > 0
            ? `renamed ids still collide in scope ${into}; choose another prefix`
            : `${report.conflicts.length} conflicts with scope ${into}; nothing was merged`,
        );
      };
      if (plan.refused) await refuse([]);
      const overlong = overlongRename(plan.report.conflicts);
      if (overlong) {
        throw ApiError.invalid(
          'prefix',
          `renaming ${overlong.type} ${overlong.field} ${overlong.value} gives ${overlong.to?.length} characters, more than the ${overlong.field} allows; choose a shorter prefix`,
        );
      }
      await writePlan(tx, ctx.scope, into, plan, now, refuse);
      await assertNoDependencyCycles(
        tx,
        into,
        plan.insert.tasks.map(({ row }) => ({ id: row.id, blocked_by: row.blocked_by ?? null })),
      );
      const report: Report = {
        ...header,
        ...plan.report,
        remaining: await countsOf(tx, ctx.scope),
      };
      if (input.dryRun) throw new DryRunDone(report);
      return report;
    });
  } catch (error) {
    if (error instanceof DryRunDone) return error.report;
    throw error;
  }
}
