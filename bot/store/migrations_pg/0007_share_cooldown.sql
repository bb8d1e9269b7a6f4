-- 0007 (PostgreSQL twin of migrations/0007_share_cooldown.sql): when a member last shared a
-- practice on each prompt post, for the Share your practice cooldown.
CREATE TABLE prompt_share_turns (
    guild_id          bigint      NOT NULL,
    user_id           bigint      NOT NULL,
    prompt_message_id bigint      NOT NULL,
    shared_at         timestamptz NOT NULL,
    PRIMARY KEY (guild_id, user_id, prompt_message_id)
);
