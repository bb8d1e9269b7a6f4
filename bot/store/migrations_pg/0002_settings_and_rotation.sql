-- 0002 (PostgreSQL twin of migrations/0002_settings_and_rotation.sql): per-server settings and
-- per-server rotation of posted items.

CREATE TABLE guild_settings (
    guild_id           bigint PRIMARY KEY,
    counsellor_role_id bigint,
    timezone           text
);

CREATE TABLE rotation (
    guild_id bigint      NOT NULL,
    kind     text        NOT NULL,   -- 'tip' or 'prompt'
    item_id  text        NOT NULL,
    used_at  timestamptz NOT NULL,
    PRIMARY KEY (guild_id, kind, item_id)
);
