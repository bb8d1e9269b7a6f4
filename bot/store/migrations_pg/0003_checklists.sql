-- 0003 (PostgreSQL twin of migrations/0003_checklists.sql): checklist progress.

CREATE TABLE checklist_done (
    guild_id     bigint      NOT NULL,
    user_id      bigint      NOT NULL,
    checklist_id text        NOT NULL,
    item_id      text        NOT NULL,
    done_at      timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id, checklist_id, item_id)
);

CREATE TABLE checklist_celebrated (
    guild_id      bigint      NOT NULL,
    user_id       bigint      NOT NULL,
    checklist_id  text        NOT NULL,
    celebrated_at timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id, checklist_id)
);
