-- 0001: the foundation: bot metadata, members as last seen, tips seen and tried, weekly activity.
-- Every timestamp is ISO 8601 text in UTC. Ids of tips, items and prompts are stable content ids.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
) WITHOUT ROWID;

-- One row per member per server: the display name the bot saw at the member's last
-- interaction (there is no members intent) and when they were last active.
CREATE TABLE members (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    display_name TEXT    NOT NULL,
    first_seen   TEXT    NOT NULL,
    last_active  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;

-- ISO weeks ('2026-W05') in which a member did anything: the weekly streak.
CREATE TABLE member_weeks (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    week     TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, week)
) WITHOUT ROWID;

-- Tips shown to a member, per topic selection ('all' or a topic id), for no-repeat rotation.
CREATE TABLE tip_seen (
    guild_id  INTEGER NOT NULL,
    user_id   INTEGER NOT NULL,
    selection TEXT    NOT NULL,
    tip_id    TEXT    NOT NULL,
    seen_at   TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, selection, tip_id)
) WITHOUT ROWID;

-- Tips a member said they tried (idempotent: one row per tip).
CREATE TABLE tip_tried (
    guild_id INTEGER NOT NULL,
    user_id  INTEGER NOT NULL,
    tip_id   TEXT    NOT NULL,
    tried_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, tip_id)
) WITHOUT ROWID;
