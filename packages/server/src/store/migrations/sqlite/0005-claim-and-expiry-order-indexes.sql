create index "tasks_claim_order_idx" on "tasks" ("scope", "queue", coalesce("priority", 'P2'), julianday(coalesce("available_at", "created_at")), "id");
create index "tasks_lease_expiry_idx" on "tasks" (julianday("lease_expires_at")) where "claimed_by" is not null;
