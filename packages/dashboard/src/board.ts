/**
 * What the board shows, computed from API rows: pure functions, unit-tested without a browser.
 * Rows are typed structurally (only the fields read here) so the module needs no runtime import.
 */

/**
 * Column order of the built-in queues: the API's `BUILT_IN_QUEUES` with its review
 * (`REVIEW_QUEUE`) and continuation (`CONTINUATION_QUEUE`) queues, in the server's default-flow
 * order. Kept as data so the bundle needs nothing at run time from the schema package; a unit
 * test holds the two equal.
 */
export const BUILT_IN_COLUMNS = [
  'incoming',
  'claimed',
  'provisional',
  'needs_continuation',
  'done',
  'failed',
] as const;

const TERMINAL = new Set(['done', 'failed']);

export interface BoardTask {
  id: string;
  queue: string;
  priority: string | null;
  blocked_by: string | null;
  lease_expires_at: string | null;
}

/**
 * The board's columns: the built-in queues, then each flow's own states (`states` is the JSON
 * text the API returns) and any other queue a task sits in, in first-seen order, before `done`.
 */
export function boardColumns(
  flows: readonly { states: string }[],
  tasks: readonly { queue: string }[],
): string[] {
  const extra: string[] = [];
  const add = (queue: string) => {
    if (!(BUILT_IN_COLUMNS as readonly string[]).includes(queue) && !extra.includes(queue)) {
      extra.push(queue);
    }
  };
  for (const flow of flows) for (const state of parseJsonArray(flow.states)) add(String(state));
  for (const task of tasks) add(task.queue);
  const open = BUILT_IN_COLUMNS.filter((queue) => !TERMINAL.has(queue));
  return [...open, ...extra, 'done', 'failed'];
}

const PRIORITY_RANK: Record<string, number> = { P0: 0, P1: 1, P2: 2, P3: 3 };

/** Tasks per column, each column by priority (P0 first), then by id. */
export function tasksByColumn<T extends BoardTask>(
  columns: readonly string[],
  tasks: readonly T[],
): Map<string, T[]> {
  const byColumn = new Map(columns.map((column) => [column, [] as T[]]));
  for (const task of tasks) byColumn.get(task.queue)?.push(task);
  const rank = (task: T) => PRIORITY_RANK[task.priority ?? ''] ?? 4;
  for (const list of byColumn.values()) {
    list.sort((a, b) => rank(a) - rank(b) || a.id.localeCompare(b.id));
  }
  return byColumn;
}

/**
 * The unresolved blocker of a task, with the queue it sits in (`undefined` when that task is not
 * on the board); `null` when the task is not blocked. As the server rules: a dependency is
 * resolved once its blocker is `done` or gone.
 */
export function blocker(
  task: BoardTask,
  queueOf: ReadonlyMap<string, string>,
): { id: string; queue: string } | null {
  const id = task.blocked_by;
  if (!id) return null;
  const queue = queueOf.get(id);
  if (queue === undefined || queue === 'done') return null;
  return { id, queue };
}

/** `1h 02m`, `4m 05s`, `12s`: a duration in ms for a card or a list. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  if (h > 0) return `${h}h ${pad(m)}m`;
  if (m > 0) return `${m}m ${pad(s)}s`;
  return `${s}s`;
}

/** Lease time left at `nowMs` (epoch ms), `expired`, or `null` for a task holding no lease. */
export function leaseLeft(task: Pick<BoardTask, 'lease_expires_at'>, nowMs: number) {
  if (!task.lease_expires_at) return null;
  const left = Date.parse(task.lease_expires_at) - nowMs;
  return left > 0 ? `${formatDuration(left)} left` : 'expired';
}

/** How long ago an ISO-8601 time was, at `nowMs`: `12s ago`. */
export function ago(iso: string, nowMs: number): string {
  return `${formatDuration(nowMs - Date.parse(iso))} ago`;
}

/** An array from a JSON-in-text column; anything else (null, bad JSON, an object) gives `[]`. */
export function parseJsonArray(text: string | null): unknown[] {
  if (!text) return [];
  try {
    const value: unknown = JSON.parse(text);
    return Array.isArray(value) ? value : [];
  } catch {
    return [];
  }
}
