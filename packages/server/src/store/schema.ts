import type { Generated } from 'kysely';

/**
 * Column types of every table. Every entity row carries its `scope`, and every primary key
 * starts with it: nothing is addressable without naming the scope.
 *
 * Timestamps are ISO-8601 UTC text with milliseconds (`2026-01-01T00:00:00.000Z`), so they
 * compare correctly as text on both dialects. Flags are the integers 0/1, as on the wire.
 */
export interface TaskTable {
  scope: string;
  id: string;
  file_path: string;
  title: string;
  queue: string;
  priority: string | null;
  complexity: string | null;
  role: string | null;
  type: string | null;
  branch: string;
  blocked_by: string | null;
  project_id: string | null;
  flow: string;
  flow_overrides: string | null;
  hooks: string | null;
  content: string | null;
  auto_accept: number;
  claimed_by: string | null;
  orchestrator_id: string | null;
  claimed_at: string | null;
  /** The queue a claim was taken from, where an expired lease returns the task. */
  claimed_from: string | null;
  lease_expires_at: string | null;
  commits_count: number;
  turns_used: number | null;
  attempt_count: number;
  rejection_count: number;
  version: number;
  has_plan: number;
  needs_rebase: number;
  needs_breakdown: number;
  review_round: number;
  needs_intervention: number;
  plan_id: string | null;
  pr_url: string | null;
  pr_number: number | null;
  staging_url: string | null;
  checks: string | null;
  check_results: string | null;
  execution_notes: string | null;
  last_rebase_attempt_at: string | null;
  submitted_at: string | null;
  completed_at: string | null;
  created_at: string;
  updated_at: string;
  /** A fresh random token per claim; submit and renew compare it to fence out former claimants. */
  lease_token: string | null;
  /** Leases that expired since the last submit: while non-zero an anonymous submit is refused. */
  lost_leases: number;
  /** A task returned by expiry, reject or requeue waits until then (backoff); NULL: at once. */
  available_at: string | null;
  /** Claims allowed before the task fails with `attempts_exhausted`; NULL: the server default. */
  max_attempts: number | null;
}

export interface TaskHistoryTable {
  /** The table's own key: a server-wide sequence, never shown (see `seq`). */
  id: Generated<number>;
  scope: string;
  task_id: string;
  /** The entry's number within its task's history, from 1; shown as its `id`. */
  seq: number;
  event: string;
  agent: string | null;
  details: string | null;
  timestamp: string;
}

export interface ProjectTable {
  scope: string;
  id: string;
  title: string;
  description: string | null;
  status: string;
  branch: string | null;
  base_branch: string;
  auto_accept: number;
  created_by: string | null;
  pr_url: string | null;
  pr_number: number | null;
  created_at: string;
  updated_at: string;
  completed_at: string | null;
}

export interface DraftTable {
  scope: string;
  id: number;
  title: string;
  author: string;
  status: string;
  domain: string | null;
  file_path: string | null;
  linked_task_id: string | null;
  linked_project_id: string | null;
  tags: string | null;
  created_at: string;
  updated_at: string;
}

export interface OrchestratorTable {
  scope: string;
  id: string;
  cluster: string;
  machine_id: string;
  repo_url: string | null;
  hostname: string | null;
  version: string | null;
  capabilities: string | null;
  status: string;
  registered_at: string;
  last_heartbeat: string;
}

export interface RoleTable {
  scope: string;
  name: string;
  description: string | null;
  claims_from: string;
  orchestrator_id: string;
  created_at: string;
}

export interface FlowTable {
  scope: string;
  name: string;
  states: string;
  transitions: string;
  description: string | null;
  child_flow: string | null;
  registered_at: string;
  updated_at: string;
}

export interface MessageTable {
  scope: string;
  id: string;
  task_id: string;
  from_actor: string;
  to_actor: string | null;
  type: string;
  content: string;
  parent_message_id: string | null;
  created_at: string;
}

export interface ActionTable {
  scope: string;
  id: string;
  entity_type: string;
  entity_id: string;
  action_type: string;
  label: string;
  description: string | null;
  status: string;
  proposed_by: string;
  proposed_at: string;
  executed_at: string | null;
  expires_at: string | null;
  result: string | null;
  metadata: string | null;
  action_data: string | null;
}

export interface ApiKeyTable {
  key_hash: string;
  scope: string;
  created_at: string;
  last_used_at: string | null;
}

/**
 * A claim made with an `Idempotency-Key` header, remembered until `expires_at` (the scope's
 * time) so a retry of it, on whichever server of the database, gets the same task back while
 * the claim identified by `lease_token` still holds it.
 */
export interface ClaimReplayTable {
  scope: string;
  idempotency_key: string;
  task_id: string;
  /** The `lease_token` the claim gave the task. */
  lease_token: string;
  created_at: string;
  expires_at: string;
}

export interface MigrationTable {
  id: number;
  name: string;
  checksum: string;
  applied_at: string;
}

export interface Database {
  tasks: TaskTable;
  task_history: TaskHistoryTable;
  projects: ProjectTable;
  drafts: DraftTable;
  orchestrators: OrchestratorTable;
  roles: RoleTable;
  flows: FlowTable;
  messages: MessageTable;
  actions: ActionTable;
  api_keys: ApiKeyTable;
  claim_replays: ClaimReplayTable;
  octopoid_migrations: MigrationTable;
}
