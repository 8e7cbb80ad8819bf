create function "octopoid_instant"(text) returns timestamptz language sql immutable strict parallel safe as $$select $1::timestamptz$$;
create index "tasks_claim_order_idx" on "tasks" ("scope", "queue", (coalesce("priority", 'P2')), ("octopoid_instant"(coalesce("available_at", "created_at"))), "id");
create index "tasks_lease_expiry_idx" on "tasks" (("octopoid_instant"("lease_expires_at"))) where "claimed_by" is not null;
