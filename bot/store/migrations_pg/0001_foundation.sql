-- 0001 (PostgreSQL twin of migrations/0001_foundation.sql): bot metadata, members as last seen,
-- tips seen and tried, weekly activity. Discord ids are bigint; instants are timestamptz (the
-- engine passes and returns them as ISO 8601 UTC text, as SQLite stores them).

CREATE TABLE meta (
    key   text PRIMARY KEY,
    value text NOT NULL
);

CREATE TABLE members (
    guild_id     bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    display_name text        NOT NULL,
    first_seen   timestamptz NOT NULL,
    last_active  timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id)
);

-- ISO weeks ('2026-W05') in which a member did anything: the weekly streak.
CREATE TABLE member_weeks (
    guild_id bigint NOT NULL,
    user_id  bigint NOT NULL,
    week     text   NOT NULL,
    PRIMARY KEY (guild_id, user_id, week)
);

CREATE TABLE tip_seen (
    guild_id  bigint      NOT NULL,
    user_id   bigint      NOT NULL,
    selection text        NOT NULL,
    tip_id    text        NOT NULL,
    seen_at   timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id, selection, tip_id)
);

CREATE TABLE tip_tried (
    guild_id bigint      NOT NULL,
    user_id  bigint      NOT NULL,
    tip_id   text        NOT NULL,
    tried_at timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id, tip_id)
);
