import {
  MAX_ID_LENGTH,
  type MergeConflict,
  type MergeConflictPolicy,
  type MergedType,
  type ScopeMergeReport,
} from '@octopoid/api';
import type { Insertable } from 'kysely';
import type { Database } from '../../store/schema.js';
import type { ScopedRow } from '../../store/scopes.js';

/**
 * Plans a merge without touching the database: which child entities move, under which ids, with
 * which references rewritten, and what conflicted. `merge.ts` reads the inputs and writes the plan.
 */

/** Entities that move as themselves. Flows are configuration and are handled apart. */
type EntityType = Exclude<MergedType, 'flows'>;

/** Parents before children: the order rows are inserted into the parent. */
const ENTITY_TYPES = [
  'projects',
  'tasks',
  'drafts',
  'messages',
  'actions',
] as const satisfies EntityType[];

export type ChildRows = { [T in EntityType | 'flows' | 'task_history']: ScopedRow<T>[] };

/** What the parent already holds of the child's ids, file paths and flow names. */
export interface ParentHolds {
  ids: Record<Exclude<EntityType, 'drafts'>, Set<string>>;
  filePaths: Set<string>;
  flows: Map<string, ScopedRow<'flows'>>;
  nextDraftId: number;
}

/** Tables whose rows a merge places in the parent one by one, keyed. */
export type PlacedTable = EntityType | 'flows';

/** A row for the parent, with the key it had in the child. */
export interface Placed<T extends PlacedTable> {
  from: string | number;
  row: Insertable<Database[T]>;
}

export interface MergePlan {
  report: Pick<ScopeMergeReport, 'moved' | 'conflicts' | 'kept'>;
  /** True when the policy is `fail` and something conflicts: nothing may be written. */
  refused: boolean;
  insert: { [T in PlacedTable]: Placed<T>[] } & {
    task_history: Insertable<Database['task_history']>[];
  };
  /** Keys of the child rows to delete (flows by name). */
  remove: { [T in PlacedTable]: (string | number)[] };
}

type AnyRow = Record<string, unknown> & { id?: unknown };
type Ref = { type: MergedType; id: string | number };

/** Where the actions API lets an action name an entity of its scope. */
const ACTION_ENTITY_TYPES: Record<string, EntityType> = {
  task: 'tasks',
  project: 'projects',
  draft: 'drafts',
};

/** Own keys only: an `entity_type` such as `constructor` names no table. */
const actionEntityType = (entityType: string): EntityType | undefined =>
  Object.hasOwn(ACTION_ENTITY_TYPES, entityType) ? ACTION_ENTITY_TYPES[entityType] : undefined;

/** Every field that names another entity of the scope, per entity type. */
const LINKS: {
  [T in EntityType]: { field: string; target: (row: AnyRow) => EntityType | undefined }[];
} = {
  projects: [],
  tasks: [
    { field: 'blocked_by', target: () => 'tasks' },
    { field: 'project_id', target: () => 'projects' },
  ],
  drafts: [
    { field: 'linked_task_id', target: () => 'tasks' },
    { field: 'linked_project_id', target: () => 'projects' },
  ],
  messages: [
    { field: 'task_id', target: () => 'tasks' },
    { field: 'parent_message_id', target: () => 'messages' },
  ],
  actions: [{ field: 'entity_id', target: (row) => actionEntityType(String(row.entity_type)) }],
};

const nodeOf = (type: MergedType, id: unknown) => `${type}\u0000${String(id)}`;

interface Entity {
  type: EntityType;
  key: string | number;
  node: string;
  row: AnyRow;
}

/** The child entities a link of `entity` names (references to ids the child lacks are kept as is). */
function linkedNodes(entity: Entity, inChild: Set<string>): string[] {
  return LINKS[entity.type].flatMap(({ field, target }) => {
    const value = entity.row[field];
    const type = target(entity.row);
    if (value === null || value === undefined || value === '' || !type) return [];
    const node = nodeOf(type, value);
    return inChild.has(node) ? [node] : [];
  });
}

function sameFlow(a: ScopedRow<'flows'>, b: ScopedRow<'flows'>): boolean {
  return (
    a.states === b.states &&
    a.transitions === b.transitions &&
    a.child_flow === b.child_flow &&
    a.description === b.description
  );
}

type Clash = Omit<MergeConflict, 'resolution' | 'to'>;

function findClashes(child: ChildRows, parent: ParentHolds): Clash[] {
  const clashes: Clash[] = [];
  for (const type of ['projects', 'tasks', 'messages', 'actions'] as const) {
    for (const row of child[type]) {
      if (parent.ids[type].has(row.id)) {
        clashes.push({ type, id: row.id, field: 'id', value: row.id });
      }
      if (type === 'tasks') {
        const { file_path } = row as ScopedRow<'tasks'>;
        if (parent.filePaths.has(file_path)) {
          clashes.push({ type, id: row.id, field: 'file_path', value: file_path });
        }
      }
    }
  }
  for (const flow of child.flows) {
    const theirs = parent.flows.get(flow.name);
    if (theirs && !sameFlow(flow, theirs)) {
      clashes.push({ type: 'flows', id: flow.name, field: 'name', value: flow.name });
    }
  }
  return clashes;
}

/** Union-find over entity nodes: linked entities share one group. */
class Groups {
  readonly #parent = new Map<string, string>();

  root(node: string): string {
    const up = this.#parent.get(node);
    if (up === undefined || up === node) return node;
    const top = this.root(up);
    this.#parent.set(node, top);
    return top;
  }

  join(a: string, b: string): void {
    const [ra, rb] = [this.root(a), this.root(b)];
    if (ra !== rb) this.#parent.set(ra, rb);
  }
}

/**
 * `skip`: the entities that stay in the child, each with the skipped entity it stays for. A
 * conflicting entity stays, and so does everything linked to it (directly or through a chain),
 * so nothing that moves points at the parent's namesake and nothing left behind points at
 * something that moved. A task whose flow conflicts stays too: the parent's flow of that name
 * means something else.
 */
function entitiesThatStay(
  entities: Entity[],
  inChild: Set<string>,
  clashes: Clash[],
): Map<string, Ref> {
  const groups = new Groups();
  for (const entity of entities) {
    for (const node of linkedNodes(entity, inChild)) groups.join(entity.node, node);
  }
  const reasonOfGroup = new Map<string, Ref>();
  const conflictingFlows = new Set(clashes.filter((c) => c.type === 'flows').map((c) => c.id));
  for (const clash of clashes) {
    if (clash.type !== 'flows') {
      const root = groups.root(nodeOf(clash.type, clash.id));
      if (!reasonOfGroup.has(root)) reasonOfGroup.set(root, { type: clash.type, id: clash.id });
    }
  }
  for (const entity of entities) {
    const flow = entity.type === 'tasks' ? String(entity.row.flow) : undefined;
    const root = groups.root(entity.node);
    if (flow !== undefined && conflictingFlows.has(flow) && !reasonOfGroup.has(root)) {
      reasonOfGroup.set(root, { type: 'flows', id: flow });
    }
  }
  const stay = new Map<string, Ref>();
  for (const entity of entities) {
    const reason = reasonOfGroup.get(groups.root(entity.node));
    if (reason) stay.set(entity.node, reason);
  }
  return stay;
}

/** The prefixed form of a file path: the prefix goes on the file name, the folder stays. */
function prefixedPath(path: string, prefix: string): string {
  const cut = path.lastIndexOf('/') + 1;
  return `${path.slice(0, cut)}${prefix}${path.slice(cut)}`;
}

export function nothingMoved(): ScopeMergeReport['moved'] {
  return {
    tasks: [],
    task_history: 0,
    projects: [],
    drafts: [],
    messages: [],
    actions: [],
    flows: [],
  };
}

function resolve(clashes: Clash[], policy: MergeConflictPolicy, prefix: string): MergeConflict[] {
  const resolution = ({ fail: 'failed', skip: 'skipped', rename: 'renamed' } as const)[policy];
  return clashes.map((clash) => {
    if (policy !== 'rename') return { ...clash, resolution };
    const to =
      clash.field === 'file_path' ? prefixedPath(clash.value, prefix) : `${prefix}${clash.value}`;
    return { ...clash, resolution, to };
  });
}

/** The longest value each renamed field may hold: the limits the API sets on its input. */
const RENAMED_FIELD_LIMITS: Record<MergeConflict['field'], number> = {
  id: MAX_ID_LENGTH,
  name: 128,
  file_path: 1024,
};

/** The first renamed value longer than its field allows, which no request could then name. */
export function overlongRename(conflicts: MergeConflict[]): MergeConflict | undefined {
  return conflicts.find(
    (conflict) =>
      conflict.to !== undefined && conflict.to.length > RENAMED_FIELD_LIMITS[conflict.field],
  );
}

/** The new key of each moving entity (renamed on an id conflict, drafts numbered on) and flow. */
function keysInParent(
  entities: Entity[],
  stay: Map<string, Ref>,
  conflicts: MergeConflict[],
  nextDraftId: number,
): Map<string, string | number> {
  const keys = new Map<string, string | number>(
    conflicts
      .filter((c) => c.to !== undefined && c.field !== 'file_path')
      .map((c) => [nodeOf(c.type, c.id), c.to as string]),
  );
  let draftId = nextDraftId;
  for (const entity of entities) {
    if (stay.has(entity.node)) continue;
    if (entity.type === 'drafts') keys.set(entity.node, draftId++);
    else if (!keys.has(entity.node)) keys.set(entity.node, entity.key);
  }
  return keys;
}

/**
 * Flows go wherever a task needs them: into the parent unless it has the same flow already (a
 * skipped conflicting flow stays behind), and out of the child unless a task left there still
 * runs on it.
 */
function placeFlows(
  plan: MergePlan,
  child: ChildRows,
  parent: ParentHolds,
  into: string,
  flowName: (name: string) => string,
  flowsInUse: Set<string>,
  skippedFlows: Set<string>,
): void {
  for (const flow of child.flows) {
    if (skippedFlows.has(flow.name)) continue;
    const to = flowName(flow.name);
    plan.report.moved.flows.push({ from: flow.name, to });
    if (to !== flow.name || !parent.flows.has(flow.name)) {
      const child_flow = flow.child_flow === null ? null : flowName(flow.child_flow);
      plan.insert.flows.push({
        from: flow.name,
        row: { ...flow, scope: into, name: to, child_flow },
      });
    }
    if (!flowsInUse.has(flow.name)) plan.remove.flows.push(flow.name);
  }
}

export function planMerge(
  child: ChildRows,
  parent: ParentHolds,
  into: string,
  policy: MergeConflictPolicy,
  prefix: string,
): MergePlan {
  const entities: Entity[] = ENTITY_TYPES.flatMap((type) =>
    (child[type] as AnyRow[]).map((row) => {
      const key = row.id as string | number;
      return { type, key, node: nodeOf(type, key), row };
    }),
  );
  const clashes = findClashes(child, parent);
  const conflicts = resolve(clashes, policy, prefix);
  const plan: MergePlan = {
    report: { moved: nothingMoved(), conflicts, kept: [] },
    refused: policy === 'fail' && clashes.length > 0,
    insert: {
      projects: [],
      tasks: [],
      task_history: [],
      drafts: [],
      messages: [],
      actions: [],
      flows: [],
    },
    remove: { projects: [], tasks: [], drafts: [], messages: [], actions: [], flows: [] },
  };
  if (plan.refused) return plan;

  const inChild = new Set(entities.map((e) => e.node));
  const stay = policy === 'skip' ? entitiesThatStay(entities, inChild, clashes) : new Map();
  const conflicting = new Set(clashes.map((c) => nodeOf(c.type, c.id)));
  for (const { type, key, node } of entities) {
    const linked_to = stay.get(node);
    if (linked_to && !conflicting.has(node)) plan.report.kept.push({ type, id: key, linked_to });
  }

  const keys = keysInParent(entities, stay, conflicts, parent.nextDraftId);
  // Every link is a text column (an action names a draft by its number as text).
  const follow = (type: MergedType, value: unknown) => {
    const key = value === null || value === undefined ? undefined : keys.get(nodeOf(type, value));
    return key === undefined ? value : String(key);
  };
  const flowName = (name: string) => String(follow('flows', name));
  const flowsInUse = new Set(
    entities.filter((e) => e.type === 'tasks' && stay.has(e.node)).map((e) => String(e.row.flow)),
  );
  const skippedFlows = new Set(
    conflicts.filter((c) => c.type === 'flows' && c.resolution === 'skipped').map((c) => c.value),
  );
  placeFlows(plan, child, parent, into, flowName, flowsInUse, skippedFlows);

  const renamedPaths = new Map(
    conflicts.filter((c) => c.field === 'file_path' && c.to).map((c) => [c.id, c.to as string]),
  );
  for (const entity of entities) {
    const to = keys.get(entity.node);
    if (to === undefined) continue;
    const row: AnyRow = { ...entity.row, scope: into, id: to };
    for (const { field, target } of LINKS[entity.type]) {
      const type = target(entity.row);
      if (type) row[field] = follow(type, row[field]);
    }
    if (entity.type === 'tasks') {
      row.file_path = renamedPaths.get(entity.key) ?? row.file_path;
      row.flow = flowName(String(row.flow));
    }
    const placed = { from: entity.key, row: row as Insertable<Database[EntityType]> };
    (plan.insert[entity.type] as Placed<EntityType>[]).push(placed);
    plan.remove[entity.type].push(entity.key);
    (plan.report.moved[entity.type] as { from: unknown; to: unknown }[]).push({
      from: entity.key,
      to,
    });
  }

  for (const { id: _globalId, ...entry } of child.task_history) {
    if (!keys.has(nodeOf('tasks', entry.task_id))) continue;
    const task_id = String(follow('tasks', entry.task_id));
    plan.insert.task_history.push({ ...entry, scope: into, task_id });
  }
  plan.report.moved.task_history = plan.insert.task_history.length;
  return plan;
}
