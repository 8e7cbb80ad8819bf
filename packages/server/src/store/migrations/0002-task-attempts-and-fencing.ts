import type { Migration } from './migration.js';

/**
 * Fencing and attempts: the token of the current claim, the count of leases lost since the last
 * submit (an anonymous submit is then ambiguous), when a returned task may be claimed again, and
 * a per-task attempt limit (NULL: the server's default).
 */
export const taskAttemptsAndFencing: Migration = {
  id: 2,
  name: 'task-attempts-and-fencing',
  statements: (db) => [
    db.schema.alterTable('tasks').addColumn('lease_token', 'text'),
    db.schema
      .alterTable('tasks')
      .addColumn('lost_leases', 'integer', (c) => c.notNull().defaultTo(0)),
    db.schema.alterTable('tasks').addColumn('available_at', 'text'),
    db.schema.alterTable('tasks').addColumn('max_attempts', 'integer'),
  ],
};
