-- 0003: checklist progress. A row means the member marked that item done.

CREATE TABLE checklist_done (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    checklist_id TEXT    NOT NULL,
    item_id      TEXT    NOT NULL,
    done_at      TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, checklist_id, item_id)
) WITHOUT ROWID;

-- Finishing a list is celebrated once: this row records that it was.
CREATE TABLE checklist_celebrated (
    guild_id      INTEGER NOT NULL,
    user_id       INTEGER NOT NULL,
    checklist_id  TEXT    NOT NULL,
    celebrated_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, checklist_id)
) WITHOUT ROWID;
