create table "claim_replays" ("scope" text not null, "idempotency_key" text not null, "task_id" text not null, "lease_token" text not null, "created_at" text not null, "expires_at" text not null, constraint "claim_replays_pk" primary key ("scope", "idempotency_key"), constraint "claim_replays_task_fk" foreign key ("scope", "task_id") references "tasks" ("scope", "id") on delete cascade);
create index "claim_replays_task_idx" on "claim_replays" ("scope", "task_id");
create index "claim_replays_expires_idx" on "claim_replays" ("expires_at");
