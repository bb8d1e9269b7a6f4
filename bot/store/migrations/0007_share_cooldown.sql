-- 0007: the Share your practice cooldown: when a member last shared a practice on each prompt
-- post, so one member cannot flood a prompt's thread (and their "practices shared") in a row.
-- A member's rows older than the cooldown are removed whenever they share again.
CREATE TABLE prompt_share_turns (
    guild_id          INTEGER NOT NULL,
    user_id           INTEGER NOT NULL,
    prompt_message_id INTEGER NOT NULL,
    shared_at         TEXT    NOT NULL,
    PRIMARY KEY (guild_id, user_id, prompt_message_id)
) WITHOUT ROWID;
