import { type CreateTableBuilder, type Kysely, sql } from 'kysely';
import type { Dialect } from '../store.js';
import type { Migration } from './migration.js';

type Table = CreateTableBuilder<string, string>;

const text = (table: Table, ...names: string[]): Table =>
  names.reduce((t, name) => t.addColumn(name, 'text'), table);

const requiredText = (table: Table, ...names: string[]): Table =>
  names.reduce((t, name) => t.addColumn(name, 'text', (c) => c.notNull()), table);

const counter = (table: Table, ...names: string[]): Table =>
  names.reduce((t, name) => t.addColumn(name, 'integer', (c) => c.notNull().defaultTo(0)), table);

function tasks(db: Kysely<unknown>) {
  let table = db.schema.createTable('tasks') as unknown as Table;
  table = requiredText(table, 'scope', 'id', 'file_path', 'title', 'queue', 'branch', 'flow');
  table = text(
    table,
    'priority',
    'complexity',
    'role',
    'type',
    'blocked_by',
    'project_id',
    'flow_overrides',
    'hooks',
    'content',
    'claimed_by',
    'orchestrator_id',
    'claimed_at',
    'claimed_from',
    'lease_expires_at',
    'plan_id',
    'pr_url',
    'staging_url',
    'checks',
    'check_results',
    'execution_notes',
    'last_rebase_attempt_at',
    'submitted_at',
    'completed_at',
  );
  table = counter(
    table,
    'auto_accept',
    'commits_count',
    'attempt_count',
    'rejection_count',
    'has_plan',
    'needs_rebase',
    'needs_breakdown',
    'review_round',
    'needs_intervention',
  );
  return requiredText(
    table
      .addColumn('turns_used', 'integer')
      .addColumn('pr_number', 'integer')
      .addColumn('version', 'integer', (c) => c.notNull().defaultTo(1)),
    'created_at',
    'updated_at',
  )
    .addPrimaryKeyConstraint('tasks_pk', ['scope', 'id'])
    .addUniqueConstraint('tasks_file_path_unique', ['scope', 'file_path'])
    .addForeignKeyConstraint(
      'tasks_project_fk',
      ['scope', 'project_id'],
      'projects',
      ['scope', 'id'],
      (fk) => fk.onDelete('restrict'),
    );
}

function taskHistory(db: Kysely<unknown>, dialect: Dialect) {
  const withId =
    dialect === 'postgres'
      ? db.schema.createTable('task_history').addColumn('id', 'bigserial', (c) => c.primaryKey())
      : db.schema
          .createTable('task_history')
          .addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement());
  return requiredText(withId as unknown as Table, 'scope', 'task_id', 'event', 'timestamp')
    .addColumn('agent', 'text')
    .addColumn('details', 'text')
    .addForeignKeyConstraint(
      'task_history_task_fk',
      ['scope', 'task_id'],
      'tasks',
      ['scope', 'id'],
      (fk) => fk.onDelete('cascade'),
    );
}

function projects(db: Kysely<unknown>) {
  const table = requiredText(
    db.schema.createTable('projects') as unknown as Table,
    'scope',
    'id',
    'title',
    'status',
    'base_branch',
    'created_at',
    'updated_at',
  );
  return counter(
    text(table, 'description', 'branch', 'created_by', 'pr_url', 'completed_at'),
    'auto_accept',
  )
    .addColumn('pr_number', 'integer')
    .addPrimaryKeyConstraint('projects_pk', ['scope', 'id']);
}

function drafts(db: Kysely<unknown>) {
  const table = requiredText(
    db.schema.createTable('drafts').addColumn('id', 'integer', (c) => c.notNull()) as Table,
    'scope',
    'title',
    'author',
    'status',
    'created_at',
    'updated_at',
  );
  return text(
    table,
    'domain',
    'file_path',
    'linked_task_id',
    'linked_project_id',
    'tags',
  ).addPrimaryKeyConstraint('drafts_pk', ['scope', 'id']);
}

function orchestrators(db: Kysely<unknown>) {
  const table = requiredText(
    db.schema.createTable('orchestrators') as unknown as Table,
    'scope',
    'id',
    'cluster',
    'machine_id',
    'status',
    'registered_at',
    'last_heartbeat',
  );
  return text(table, 'repo_url', 'hostname', 'version', 'capabilities')
    .addPrimaryKeyConstraint('orchestrators_pk', ['scope', 'id'])
    .addUniqueConstraint('orchestrators_machine_unique', ['scope', 'cluster', 'machine_id']);
}

function roles(db: Kysely<unknown>) {
  return requiredText(
    db.schema.createTable('roles') as unknown as Table,
    'scope',
    'name',
    'claims_from',
    'orchestrator_id',
    'created_at',
  )
    .addColumn('description', 'text')
    .addPrimaryKeyConstraint('roles_pk', ['scope', 'name']);
}

function flows(db: Kysely<unknown>) {
  return text(
    requiredText(
      db.schema.createTable('flows') as unknown as Table,
      'scope',
      'name',
      'states',
      'transitions',
      'registered_at',
      'updated_at',
    ),
    'description',
    'child_flow',
  ).addPrimaryKeyConstraint('flows_pk', ['scope', 'name']);
}

function messages(db: Kysely<unknown>) {
  return text(
    requiredText(
      db.schema.createTable('messages') as unknown as Table,
      'scope',
      'id',
      'task_id',
      'from_actor',
      'type',
      'content',
      'created_at',
    ),
    'to_actor',
    'parent_message_id',
  ).addPrimaryKeyConstraint('messages_pk', ['scope', 'id']);
}

function actions(db: Kysely<unknown>) {
  return text(
    requiredText(
      db.schema.createTable('actions') as unknown as Table,
      'scope',
      'id',
      'entity_type',
      'entity_id',
      'action_type',
      'label',
      'status',
      'proposed_by',
      'proposed_at',
    ),
    'description',
    'executed_at',
    'expires_at',
    'result',
    'metadata',
    'action_data',
  ).addPrimaryKeyConstraint('actions_pk', ['scope', 'id']);
}

function apiKeys(db: Kysely<unknown>) {
  return requiredText(
    db.schema.createTable('api_keys').addColumn('key_hash', 'text', (c) => c.primaryKey()) as Table,
    'scope',
    'created_at',
  )
    .addColumn('last_used_at', 'text')
    .addUniqueConstraint('api_keys_scope_unique', ['scope']);
}

export const initialSchema: Migration = {
  id: 1,
  name: 'initial-schema',
  statements: (db, dialect) => [
    projects(db),
    tasks(db),
    taskHistory(db, dialect),
    db.schema.createIndex('tasks_claim_idx').on('tasks').columns(['scope', 'queue', 'priority']),
    db.schema.createIndex('tasks_blocked_by_idx').on('tasks').columns(['scope', 'blocked_by']),
    // Project task lists and the delete check (and PostgreSQL's FK check on delete) use it.
    db.schema.createIndex('tasks_project_idx').on('tasks').columns(['scope', 'project_id']),
    db.schema
      .createIndex('tasks_lease_idx')
      .on('tasks')
      .columns(['lease_expires_at'])
      .where(sql.ref('lease_expires_at'), 'is not', null),
    db.schema.createIndex('task_history_task_idx').on('task_history').columns(['scope', 'task_id']),
    drafts(db),
    orchestrators(db),
    roles(db),
    flows(db),
    messages(db),
    db.schema.createIndex('messages_task_idx').on('messages').columns(['scope', 'task_id']),
    db.schema
      .createIndex('messages_parent_idx')
      .on('messages')
      .columns(['scope', 'parent_message_id']),
    actions(db),
    db.schema
      .createIndex('actions_entity_idx')
      .on('actions')
      .columns(['scope', 'entity_type', 'entity_id']),
    apiKeys(db),
  ],
};
