import type { Database } from './schema.js';

/** Every table whose rows belong to a scope: every table but the migrations record. */
export type ScopedTable = Exclude<keyof Database, 'octopoid_migrations'>;
export type Column<T extends ScopedTable> = keyof Database[T] & string;

/** What the store knows of one scoped table. */
export interface ScopedEntity<T extends ScopedTable> {
  /** The column naming a row within its scope; a scope's rows are read in its order. */
  key: Column<T>;
  /**
   * The key is a server-wide sequence the database assigns: a copy leaves it out and gets a
   * fresh one (the API shows such rows by another number).
   */
  sequenceKey?: true;
  /** When a row appeared. */
  created: Column<T>;
  /** When a row last changed (the latest of these; NULLs ignored). */
  changed: readonly Column<T>[];
  /** Whether a clone copies the table (a scope's API keys and claim replays stay its own). */
  cloned: boolean;
}

/**
 * The registry of scoped tables, parents before children (the order a copy inserts in, so every
 * foreign key finds its row; deletes run in reverse). Purge, clone, merge, the scope summary,
 * the time-to-live sweep and the registration check all read it; the type demands an entry for
 * every table of `schema.ts`, and a test checks the live database has no other scoped table.
 */
export const SCOPED_ENTITIES: { readonly [T in ScopedTable]: ScopedEntity<T> } = {
  projects: { key: 'id', created: 'created_at', changed: ['updated_at'], cloned: true },
  tasks: { key: 'id', created: 'created_at', changed: ['updated_at'], cloned: true },
  task_history: {
    key: 'id',
    sequenceKey: true,
    created: 'timestamp',
    changed: ['timestamp'],
    cloned: true,
  },
  drafts: { key: 'id', created: 'created_at', changed: ['updated_at'], cloned: true },
  messages: { key: 'id', created: 'created_at', changed: ['created_at'], cloned: true },
  actions: {
    key: 'id',
    created: 'proposed_at',
    changed: ['proposed_at', 'executed_at'],
    cloned: true,
  },
  roles: { key: 'name', created: 'created_at', changed: ['created_at'], cloned: true },
  flows: { key: 'name', created: 'registered_at', changed: ['updated_at'], cloned: true },
  orchestrators: {
    key: 'id',
    created: 'registered_at',
    changed: ['last_heartbeat'],
    cloned: true,
  },
  api_keys: {
    key: 'key_hash',
    created: 'created_at',
    changed: ['created_at', 'last_used_at'],
    cloned: false,
  },
  // A replay answers a retry of one claim of the scope's own clients: a copy has no such claims.
  claim_replays: {
    key: 'idempotency_key',
    created: 'created_at',
    changed: ['created_at'],
    cloned: false,
  },
};

/** The scoped tables, parents before children. */
export const SCOPED_TABLES = Object.keys(SCOPED_ENTITIES) as readonly ScopedTable[];

/** The scoped tables, children before parents: the order that deletes rows without objections. */
export const DELETE_ORDER: readonly ScopedTable[] = [...SCOPED_TABLES].reverse();
