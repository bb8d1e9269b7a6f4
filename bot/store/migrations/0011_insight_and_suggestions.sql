-- 0011: counsellors kept apart in the group report, the chart's history, and member suggestions.

-- Whether the member was a counsellor (Manage Server, or the configured counsellor role) when
-- Linkwise last saw them interact (there is no members intent to ask Discord). 0 or 1.
ALTER TABLE members ADD COLUMN counsellor INTEGER NOT NULL DEFAULT 0 CHECK (counsellor IN (0, 1));

-- A checklist item a member unticked, with the time it had been ticked: together with
-- checklist_done (items ticked now, since done_at) this gives each member's completion at the end
-- of any past week, for the group chart. Only un-ticks that span the end of a week are kept (one
-- ticked and unticked within a week never shows at a week's end), and only for the chart's span.
CREATE TABLE checklist_undone (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    checklist_id TEXT    NOT NULL,
    item_id      TEXT    NOT NULL,
    done_at      TEXT    NOT NULL,
    undone_at    TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, checklist_id, item_id, done_at)
) WITHOUT ROWID;

-- Tips and prompts members suggest (/suggest), queued for the counsellors (/content queue).
-- user_id: the member who suggested it (their data: exported and deleted with them).
-- status: 'pending', 'approved' or 'declined'; reason: the counsellor's optional reason for a
-- decline; decided_by / decided_at: the counsellor who decided, and when; content_id: the item of
-- custom_content an approved suggestion became. AUTOINCREMENT: an id is never given twice.
CREATE TABLE suggestions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    guild_id   INTEGER NOT NULL,
    user_id    INTEGER NOT NULL,
    kind       TEXT    NOT NULL CHECK (kind IN ('tip', 'prompt')),
    topic      TEXT,
    title      TEXT,
    body       TEXT    NOT NULL,
    status     TEXT    NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'approved', 'declined')),
    reason     TEXT,
    content_id INTEGER,
    decided_by INTEGER,
    decided_at TEXT,
    created_at TEXT    NOT NULL
);
CREATE INDEX suggestions_member ON suggestions (guild_id, user_id, created_at);
CREATE INDEX suggestions_pending ON suggestions (guild_id, status, id);
CREATE INDEX suggestions_decided_by ON suggestions (decided_by) WHERE decided_by IS NOT NULL;

-- The member whose suggestion an item of the server's own content was: credited by the name
-- Linkwise last saw (never stored here); taken off when they delete their data.
ALTER TABLE custom_content ADD COLUMN suggested_by INTEGER;
CREATE INDEX custom_content_suggested_by ON custom_content (suggested_by) WHERE suggested_by IS NOT NULL;
