import type { Kysely } from 'kysely';
import { ApiError } from '../../errors.js';
import type { Database } from '../../store/schema.js';
import { findTask } from '../../store/tasks.js';

/** Messages hang off a task of the request's scope; another scope's task answers 404. */
export async function assertTaskExists(
  db: Kysely<Database>,
  scope: string,
  taskId: string,
  field: string,
): Promise<void> {
  if (!(await findTask(db, scope, taskId))) {
    throw new ApiError(404, 'not_found', `task ${taskId} not found in this scope`, [
      { field, reason: 'no such task in this scope' },
    ]);
  }
}
