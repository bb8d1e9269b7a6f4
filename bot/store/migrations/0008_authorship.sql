-- 0008: who paused a schedule is kept as an id, never as a name, so deleting a member leaves
-- nothing that names them. A column ending in _by (created_by, paused_by) names the member who
-- did something for the server: their export includes those rows, and their deletion takes their
-- id off them (NULL where the column allows it, else 0, which is no Discord user's id); the rows
-- stay with the server. The name is looked up on Discord when the pause is shown.

-- paused_by: the counsellor who paused the schedule with /schedule pause (NULL for a pause
-- Linkwise made itself, like a channel it can no longer post in); paused_at: when.
ALTER TABLE schedules ADD COLUMN paused_by INTEGER;
ALTER TABLE schedules ADD COLUMN paused_at TEXT;

-- Pauses made before this version read "paused by NAME on YYYY-MM-DD". Keep the pause and its
-- date, take the name out of the text, and keep who it was only where the name (as written then,
-- cut at 40 characters) is exactly one member of that server as Linkwise last saw them.
UPDATE schedules SET
    paused_by = (
        SELECT CASE WHEN COUNT(*) = 1 THEN MIN(m.user_id) END
        FROM members m
        WHERE m.guild_id = schedules.guild_id
          AND substr(m.display_name, 1, 40) = substr(schedules.paused_reason, 11, length(schedules.paused_reason) - 24)
    ),
    paused_at = substr(paused_reason, -10) || 'T00:00:00+00:00',
    paused_reason = 'paused by a counsellor on ' || substr(paused_reason, -10)
WHERE paused_reason GLOB 'paused by * on [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]';

-- A member's export and deletion find what they made or paused, in one server or all of them,
-- without reading every schedule and item.
CREATE INDEX schedules_created_by ON schedules (created_by);
CREATE INDEX schedules_paused_by ON schedules (paused_by) WHERE paused_by IS NOT NULL;
CREATE INDEX custom_content_created_by ON custom_content (created_by);
