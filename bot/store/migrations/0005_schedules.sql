-- 0005: scheduled posts, and the slots they claimed.
-- Every timestamp is ISO 8601 text in UTC (bot.clock.iso), so text order is time order.

-- One row per scheduled post. local_time ('HH:MM'), days (scheduling.format_days text) and
-- timezone (IANA name) are what the counsellor chose; next_run is the next slot, in UTC.
-- paused_reason is NULL while active, else why it is paused (shown in /schedule list).
-- AUTOINCREMENT: a removed schedule's id is never given to a new one.
CREATE TABLE schedules (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id      INTEGER NOT NULL,
    channel_id    INTEGER NOT NULL,
    kind          TEXT    NOT NULL CHECK (kind IN ('tip', 'prompt')),
    topic         TEXT,
    local_time    TEXT    NOT NULL,
    days          TEXT    NOT NULL,
    timezone      TEXT    NOT NULL,
    next_run      TEXT    NOT NULL,
    paused_reason TEXT,
    created_by    INTEGER NOT NULL,
    created_at    TEXT    NOT NULL
);

-- The dispatcher's query: the earliest / the due active schedules, proportional to those due.
CREATE INDEX schedules_due ON schedules (next_run) WHERE paused_reason IS NULL;
CREATE INDEX schedules_guild ON schedules (guild_id);

-- A slot is claimed (inserted) in the same transaction that moves the schedule's next_run on,
-- before anything is posted; the primary key makes a second claim of the same slot a no-op,
-- so a slot is posted at most once, even across restarts and repeated wakes.
-- status: 'claimed' (posting, or the bot stopped mid-post), 'posted', 'failed', 'skipped'.
CREATE TABLE schedule_slots (
    schedule_id INTEGER NOT NULL REFERENCES schedules (id) ON DELETE CASCADE,
    slot        TEXT    NOT NULL,
    status      TEXT    NOT NULL,
    posted_at   TEXT,
    message_id  INTEGER,
    PRIMARY KEY (schedule_id, slot)
) WITHOUT ROWID;
