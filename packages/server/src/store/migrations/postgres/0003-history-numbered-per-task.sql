alter table "task_history" add column "seq" integer;
update "task_history" set "seq" = (select count(*) from task_history earlier
          where earlier.scope = task_history.scope and earlier.task_id = task_history.task_id
            and earlier.id <= task_history.id);
create unique index "task_history_seq_unique" on "task_history" ("scope", "task_id", "seq");
