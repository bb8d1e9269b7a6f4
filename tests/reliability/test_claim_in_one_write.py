"""The dispatcher settles every schedule due at one instant in ONE write (one transaction, one
answer). These tests hold it to what settling each one alone gave: a schedule whose settling
fails is paused alone while the others post, and old slot rows are still pruned.

SimCord's clock starts at 2026-01-01T00:00Z.
"""

from __future__ import annotations

from tests.backends import sqlite_only
from tests.db import execute, executemany, rows
from tests.scheduled import posts, travel_to, utc


async def add(counsellor, channel, **options):
    options.setdefault("time", "09:00")
    options.setdefault("timezone", "UTC")
    options.setdefault("days", "daily")
    result = await counsellor.slash(channel, "schedule add", channel=channel, **options)
    assert "#" in result.response.content, result.response.content
    return result


@sqlite_only(
    "the refusing database is a SQLite trigger; the fallback it checks (each schedule settled alone) is "
    "the dispatcher's, the same on PostgreSQL, whose batch claim runs in test_claiming_many_at_once..."
)
async def test_a_schedule_that_cannot_be_settled_is_paused_alone_and_the_others_post(group, db_path):
    for _ in range(3):
        await add(group.counsellor, group.channel)
    # The database refuses to move schedule 2 on (as a corrupt row or a full disk might): the
    # write settling all three at 09:00 fails whole.
    execute(
        db_path,
        "CREATE TRIGGER refuse_two BEFORE UPDATE OF next_run ON schedules WHEN NEW.id = 2 "
        "BEGIN SELECT RAISE(ABORT, 'schedule 2 cannot move'); END",
    )

    await travel_to(group.env, utc("2026-01-01T09:05"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00")] * 2
    assert rows(db_path, "SELECT schedule_id, status FROM schedule_slots ORDER BY 1") == [(1, "posted"), (3, "posted")]
    assert rows(db_path, "SELECT id, paused_reason, next_run FROM schedules ORDER BY id") == [
        (1, None, "2026-01-02T09:00:00+00:00"),
        (2, "Linkwise could not work out its next run (see the bot's log)", "2026-01-01T09:00:00+00:00"),
        (3, None, "2026-01-02T09:00:00+00:00"),
    ]
    listed = await group.counsellor.slash(group.channel, "schedule list")
    assert "could not work out its next run" in str(listed.response.embeds[0].to_dict())


async def test_claiming_many_at_once_still_prunes_each_ones_old_slots_only(group, database_url):
    for _ in range(2):
        await add(group.counsellor, group.channel)
    executemany(
        database_url,
        "INSERT INTO schedule_slots (schedule_id, slot, status) VALUES (?, ?, 'posted')",
        [
            (1, "2025-09-01T09:00:00+00:00"),  # 122 days before: pruned
            (1, "2025-12-20T09:00:00+00:00"),  # 12 days before: kept
            (2, "2025-08-15T09:00:00+00:00"),  # pruned
        ],
    )

    await travel_to(group.env, utc("2026-01-01T09:05"))

    assert len(posts(group.channel)) == 2
    assert rows(database_url, "SELECT schedule_id, slot, status FROM schedule_slots ORDER BY 1, 2") == [
        (1, "2025-12-20T09:00:00+00:00", "posted"),
        (1, "2026-01-01T09:00:00+00:00", "posted"),
        (2, "2026-01-01T09:00:00+00:00", "posted"),
    ]
