"""A schedule whose time zone left the time-zone database (issue 13, item 11).

Zones are renamed or merged now and then (``US/Pacific-New`` left tzdata in 2020). A schedule
stored with such a zone is paused with a reason that says so, and ``/schedule resume`` answers
what to do instead of the generic apology. The bad zone is written into the database directly,
as an upgrade of the zone data would leave it.
"""

from __future__ import annotations

import pytest

from bot.ui import GENERIC_FAILURE
from tests.db import execute, rows
from tests.scheduled import dispatcher_of, posts, travel_to, utc

GONE = "US/Pacific-New"


def set_zone(database_url, zone: str) -> None:
    execute(database_url, "UPDATE schedules SET timezone = ?", (zone,))


@pytest.fixture
async def lost(group, database_url):
    added = await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="09:00", timezone="America/Los_Angeles"
    )
    assert "#1" in added.response.content
    set_zone(database_url, GONE)
    await travel_to(group.env, utc("2026-01-02T12:00"))  # its 09:00 Pacific slot came due
    return group


async def test_the_schedule_is_paused_with_a_reason_naming_its_zone(lost, database_url):
    assert posts(lost.channel) == []
    [(reason,)] = rows(database_url, "SELECT paused_reason FROM schedules")
    assert GONE in reason and "add it again" in reason
    listed = await lost.counsellor.slash(lost.channel, "schedule list")
    assert GONE in listed.response.embeds[0].fields[0].value
    assert dispatcher_of(lost.env.bot).running


async def test_resume_says_what_to_do_instead_of_failing(lost, database_url):
    resumed = await lost.counsellor.slash(lost.channel, "schedule resume", id=1)

    text = resumed.response.content
    assert resumed.ephemeral and GENERIC_FAILURE not in text
    assert GONE in text
    assert "/schedule remove 1" in text and "/schedule add" in text  # what to do, as commands
    assert f"<#{lost.channel.id}>" in text and "time:09:00" in text  # the schedule to add again
    assert lost.env.errors == []  # nothing reached the error handler
    assert rows(database_url, "SELECT paused_reason IS NOT NULL, timezone FROM schedules") == [(1, GONE)]  # unchanged


async def test_removing_and_adding_it_again_with_a_valid_zone_posts_again(lost, database_url):
    removed = await lost.counsellor.slash(lost.channel, "schedule remove", id=1)
    assert "#1 is removed" in removed.response.content
    added = await lost.counsellor.slash(
        lost.channel, "schedule add", channel=lost.channel, time="09:00", timezone="America/Los_Angeles"
    )
    assert "#2" in added.response.content
    await travel_to(lost.env, utc("2026-01-03T00:00"))  # Friday 2 January, 09:00 Pacific is 17:00 UTC

    assert [m.created_at for m in posts(lost.channel)] == [utc("2026-01-02T17:00")]


@pytest.mark.parametrize("zone", ["Mars/Olympus_Mons", "../../etc/passwd", ""])
async def test_any_unknown_or_malformed_zone_is_answered_the_same_way(group, database_url, zone):
    await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="09:00")
    set_zone(database_url, zone)
    await travel_to(group.env, utc("2026-01-01T12:00"))

    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=1)

    assert "/schedule remove 1" in resumed.response.content
    assert rows(database_url, "SELECT paused_reason IS NOT NULL FROM schedules") == [(1,)]
