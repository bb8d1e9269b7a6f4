-- 0012: schedules keyed by shard, so that a process running some of the bot's shards claims
-- only its own servers' schedules, through an index, at a cost that follows its own due ones.

-- The shard count the row is keyed for, and its server's shard under that count:
-- (guild_id >> 22) % shard_count, Discord's rule. Rows from before this migration are keyed
-- for one shard (shard 0 of 1), which is right; a process running some shards of another
-- count keys them again when it starts (every process of a bot runs with the same count).
ALTER TABLE schedules ADD COLUMN shard_count INTEGER NOT NULL DEFAULT 1;
ALTER TABLE schedules ADD COLUMN shard INTEGER NOT NULL DEFAULT 0;

-- The dispatcher's queries in such a process: the earliest / the due active schedules of its
-- shards (schedules_due still serves a process running every shard).
CREATE INDEX schedules_due_shard ON schedules (shard_count, shard, next_run) WHERE paused_reason IS NULL;
