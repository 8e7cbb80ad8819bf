alter table "tasks" add column "lease_token" text;
alter table "tasks" add column "lost_leases" integer default 0 not null;
alter table "tasks" add column "available_at" text;
alter table "tasks" add column "max_attempts" integer;
