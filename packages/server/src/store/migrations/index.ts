import { initialSchema } from './0001-initial-schema.js';
import { taskAttemptsAndFencing } from './0002-task-attempts-and-fencing.js';
import { historyNumberedPerTask } from './0003-history-numbered-per-task.js';
import type { Migration } from './migration.js';

export type { Migration } from './migration.js';

/** Every migration this server knows, in order. Append only: never edit a released one. */
export const migrations: readonly Migration[] = [
  initialSchema,
  taskAttemptsAndFencing,
  historyNumberedPerTask,
];
