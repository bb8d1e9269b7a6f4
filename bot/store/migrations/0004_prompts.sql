-- 0004: discussion prompts: members' shared practices and the /prompt cooldown.

-- A practice a member shared in answer to a prompt: where the bot posted it (a thread on the
-- prompt message, or the channel when threads are not allowed). The text itself stays on Discord.
CREATE TABLE prompt_shares (
    id                INTEGER PRIMARY KEY,
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    prompt_id         TEXT    NOT NULL,
    prompt_message_id INTEGER NOT NULL,
    channel_id        INTEGER NOT NULL,
    message_id        INTEGER NOT NULL,
    created_at        TEXT    NOT NULL
);
CREATE INDEX prompt_shares_member ON prompt_shares (guild_id, user_id);

-- When a member last posted a prompt with /prompt in a server: the per-member cooldown.
CREATE TABLE prompt_requests (
    guild_id     INTEGER NOT NULL,
    user_id      INTEGER NOT NULL,
    requested_at TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id)
) WITHOUT ROWID;
