-- 0002: per-server settings and per-server rotation of posted items.

-- One row per server that changed a setting. NULL means "not set" (the default applies).
CREATE TABLE guild_settings (
    guild_id           INTEGER PRIMARY KEY,
    counsellor_role_id INTEGER,
    timezone           TEXT
);

-- Items (tips, prompts) posted publicly in a server, so public posts rotate without repeats
-- per server until every item of the pool was used; then the rotation starts again.
CREATE TABLE rotation (
    guild_id INTEGER NOT NULL,
    kind     TEXT    NOT NULL,   -- 'tip' or 'prompt'
    item_id  TEXT    NOT NULL,
    used_at  TEXT    NOT NULL,
    PRIMARY KEY (guild_id, kind, item_id)
) WITHOUT ROWID;
