-- 0012 (PostgreSQL twin of migrations/0012_schedule_shards.sql): schedules keyed by shard.
-- See the SQLite file for what each column means.
ALTER TABLE schedules ADD COLUMN shard_count integer NOT NULL DEFAULT 1;
ALTER TABLE schedules ADD COLUMN shard integer NOT NULL DEFAULT 0;

CREATE INDEX schedules_due_shard ON schedules (shard_count, shard, next_run) WHERE paused_reason IS NULL;
