-- 0008 (PostgreSQL twin of migrations/0008_authorship.sql): who paused a schedule is kept as an
-- id, never as a name. See the SQLite file for the reasoning.
ALTER TABLE schedules ADD COLUMN paused_by bigint;
ALTER TABLE schedules ADD COLUMN paused_at timestamptz;

-- Pauses made before this version read "paused by NAME on YYYY-MM-DD": keep the pause and its
-- date, take the name out, and keep who it was only where the name matches exactly one member.
UPDATE schedules SET
    paused_by = (
        SELECT CASE WHEN COUNT(*) = 1 THEN MIN(m.user_id) END
        FROM members m
        WHERE m.guild_id = schedules.guild_id
          AND left(m.display_name, 40) = substring(schedules.paused_reason FROM '^paused by (.*) on [0-9]{4}-[0-9]{2}-[0-9]{2}$')
    ),
    paused_at = (right(paused_reason, 10) || 'T00:00:00+00:00')::timestamptz,
    paused_reason = 'paused by a counsellor on ' || right(paused_reason, 10)
WHERE paused_reason ~ '^paused by .* on [0-9]{4}-[0-9]{2}-[0-9]{2}$';

CREATE INDEX schedules_created_by ON schedules (created_by);
CREATE INDEX schedules_paused_by ON schedules (paused_by) WHERE paused_by IS NOT NULL;
CREATE INDEX custom_content_created_by ON custom_content (created_by);
