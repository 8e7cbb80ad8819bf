import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PACKAGE_ROOT } from '../../package-root.js';
import type { Dialect } from '../store.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/**
 * Every migration this server knows, in order. Append only: never edit a released one (the
 * golden-checksum test fails when a file's text changes).
 *
 * - 0001 initial-schema: every table, keyed by scope first. `tasks_project_idx` serves project
 *   task lists and the delete check (and PostgreSQL's foreign-key check on delete).
 * - 0002 task-attempts-and-fencing: the token of the current claim, the count of leases lost
 *   since the last submit (an anonymous submit is then ambiguous), when a returned task may be
 *   claimed again, and a per-task attempt limit (NULL: the server's default).
 * - 0003 history-numbered-per-task: history entries get `seq`, their number within their task's
 *   history (1, 2, 3 …), which the API shows as the entry's `id`. The table's own key stays a
 *   server-wide sequence, whose gaps would let one scope count another scope's writes, so it is
 *   no longer shown.
 * - 0004 claim-replays: claims made with an `Idempotency-Key`, so a retried claim gets the first
 *   one's task from any server sharing the database (keyed by scope and key; rows go with their
 *   task, and expire after a minute of the scope's time).
 * - 0005 claim-and-expiry-order-indexes: indexes in the order a claim takes tasks (priority, then
 *   ready longest, then id) and in the order leases expire, so a claim reads its first candidate
 *   and the lease sweep its expired claims without sorting. A
 *   text-to-timestamptz cast is not immutable (PostgreSQL refuses it in an index), so PostgreSQL
 *   gets `octopoid_instant(text)`, the cast declared immutable: stored instants always carry
 *   their offset (`Z`), so the session's time zone never changes its answer.
 */
export const MIGRATION_NAMES: readonly { id: number; name: string }[] = [
  { id: 1, name: 'initial-schema' },
  { id: 2, name: 'task-attempts-and-fencing' },
  { id: 3, name: 'history-numbered-per-task' },
  { id: 4, name: 'claim-replays' },
  { id: 5, name: 'claim-and-expiry-order-indexes' },
];

/** `0001-initial-schema`: how a migration is named in its file and in drift reports. */
export const migrationLabel = (m: { id: number; name: string }): string =>
  `${String(m.id).padStart(4, '0')}-${m.name}`;

/**
 * The folder holding `<dialect>/<label>.sql`. The package ships `src/`, so it is found from the
 * package's folder, whether this runs from the sources, the build or the bundled CLI.
 */
const SQL_FOLDER = join(PACKAGE_ROOT, 'src', 'store', 'migrations');

/**
 * Reads every migration's SQL for one dialect, in order.
 *
 * @throws Error (from the file system) when a file is missing from the package.
 */
export function readMigrations(dialect: Dialect): Promise<Migration[]> {
  return Promise.all(
    MIGRATION_NAMES.map(async ({ id, name }) => ({
      id,
      name,
      dialect,
      text: await readFile(
        join(SQL_FOLDER, dialect, `${migrationLabel({ id, name })}.sql`),
        'utf8',
      ),
    })),
  );
}
