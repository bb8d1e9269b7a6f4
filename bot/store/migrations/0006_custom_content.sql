-- 0006: a server's own tips and prompts, added by its counsellors with /content.
-- Shown with the stable ids 'custom-tip-<id>' and 'custom-prompt-<id>'. AUTOINCREMENT: a removed
-- item's id is never given to a new one, so members' progress (tip_tried) never points at the
-- wrong item. created_by names the counsellor who added it (it is not data about a member).
CREATE TABLE custom_content (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('tip', 'prompt')),
    topic      TEXT,
    title      TEXT,
    body       TEXT    NOT NULL,
    created_by INTEGER NOT NULL,
    created_at TEXT    NOT NULL
);
CREATE INDEX custom_content_guild ON custom_content (guild_id, kind);
