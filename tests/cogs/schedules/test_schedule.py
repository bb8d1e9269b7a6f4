"""/schedule and the dispatcher, driven with SimCord's virtual time.

SimCord's clock starts at 2026-01-01T00:00Z (a Thursday); tests travel forward with
``env.advance_time`` in chunks of at most a day.
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

import discord
import pytest

from bot import create_bot
from bot.content import Content, default_content
from tests.db import execute, rows
from tests.scheduled import dispatcher_of, posts, travel_to, utc


def stamps(text: str) -> list[datetime]:
    return [datetime.fromtimestamp(int(t), UTC) for t in re.findall(r"<t:(\d+):F>", text)]


def labels(message) -> list[str]:
    return [c.label for row in message.components for c in row.children]


async def add(group, channel=None, **options):
    options.setdefault("time", "09:00")
    return await group.counsellor.slash(group.channel, "schedule add", channel=channel or group.channel, **options)


async def list_fields(group) -> dict[str, str]:
    result = await group.counsellor.slash(group.channel, "schedule list")
    assert result.ephemeral
    return {field.name: field.value for field in result.response.embeds[0].fields}


# --------------------------------------------------------------------------- a week of posts
async def test_weekday_schedule_in_toronto_posts_once_each_weekday_at_9_local(group, database_url):
    result = await add(group, time="9am", timezone="america/toronto")

    assert result.ephemeral
    assert "#1" in result.response.content
    # 09:00 EST is 14:00 UTC; Thursday 1 and Friday 2 January, then Monday 5.
    assert stamps(result.response.content) == [
        utc("2026-01-01T14:00"),
        utc("2026-01-02T14:00"),
        utc("2026-01-05T14:00"),
    ]
    assert rows(database_url, "SELECT local_time, days, timezone, kind FROM schedules") == [
        ("09:00", "weekdays", "America/Toronto", "tip")
    ]

    await travel_to(group.env, utc("2026-01-08T00:00"))

    posted = posts(group.channel)
    assert [m.created_at for m in posted] == [
        utc("2026-01-01T14:00"),
        utc("2026-01-02T14:00"),
        utc("2026-01-05T14:00"),
        utc("2026-01-06T14:00"),
        utc("2026-01-07T14:00"),
    ]
    tips = {t.title: t for t in default_content().tips}
    assert len({m.embeds[0].title for m in posted}) == 5  # no repeats
    assert all(m.embeds[0].title in tips and labels(m) == ["Another tip", "I tried this"] for m in posted)
    assert rows(database_url, "SELECT status, message_id FROM schedule_slots ORDER BY slot") == [
        ("posted", m.id) for m in posted
    ]
    assert {r[0] for r in rows(database_url, "SELECT item_id FROM rotation WHERE kind = 'tip'")} == {
        tips[m.embeds[0].title].id for m in posted
    }
    # The buttons of a scheduled post work for members.
    tried = await group.alice.click(posted[0], label="I tried this")
    assert "tried 1 tip" in tried.response.content


async def test_days_and_topic_and_default_timezone(group):
    result = await add(group, time="21:30", days="Mon, wed,FRI", topic="recruiters")

    assert stamps(result.response.content)[0] == utc("2026-01-02T21:30")  # UTC: no server zone set
    await travel_to(group.env, utc("2026-01-08T00:00"))

    posted = posts(group.channel)
    assert [m.created_at.date().isoformat() for m in posted] == ["2026-01-02", "2026-01-05", "2026-01-07"]
    assert all("Recruiters" in m.embeds[0].footer.text for m in posted)
    fields = await list_fields(group)
    assert "Mon, Wed, Fri" in fields["#1 · Tip · Recruiters · #general"]


# --------------------------------------------------------------------------- DST
DST_CASES = [
    # zone, local time, the day before the change, expected posts (UTC) over three days
    (
        "America/Toronto",
        "02:30",
        "2026-03-07",
        ["2026-03-08T07:00", "2026-03-09T06:30", "2026-03-10T06:30"],  # 02:30 does not exist: 03:00 EDT
    ),
    (
        "America/Toronto",
        "01:30",
        "2026-10-31",
        ["2026-11-01T05:30", "2026-11-02T06:30", "2026-11-03T06:30"],  # 01:30 happens twice: the first (EDT) only
    ),
    (
        "Europe/London",
        "01:30",
        "2026-03-28",
        ["2026-03-29T01:00", "2026-03-30T00:30", "2026-03-31T00:30"],  # 01:30 does not exist: 02:00 BST
    ),
    (
        "Europe/London",
        "01:30",
        "2026-10-24",
        ["2026-10-25T00:30", "2026-10-26T01:30", "2026-10-27T01:30"],  # the first 01:30 (BST) only
    ),
]


@pytest.mark.parametrize(("zone", "local", "eve", "expected"), DST_CASES)
async def test_dst_changes_post_once_at_the_right_instant(group, zone, local, eve, expected):
    await travel_to(group.env, utc(f"{eve}T12:00"))
    result = await add(group, time=local, timezone=zone, days="daily")
    assert stamps(result.response.content) == [utc(e) for e in expected[:3]]

    end = utc(expected[-1]) + timedelta(hours=3)
    await travel_to(group.env, end)

    assert [m.created_at for m in posts(group.channel)] == [utc(e) for e in expected]


# --------------------------------------------------------------------------- restarts and downtime
async def test_restart_just_before_and_at_a_slot_never_double_posts(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily")
    await travel_to(group.env, utc("2026-01-01T08:59:59"))
    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-01T09:00"))  # the new bot posts the slot
    await group.env.restart_bot(create_bot(database_url=database_url))  # restart right at the slot
    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00"), utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("posted",), ("posted",)]


async def test_a_slot_claimed_before_a_crash_is_never_posted_again(group, database_url):
    """At most once: a bot stopped between claiming and posting leaves the slot claimed."""
    await add(group, time="09:00", timezone="UTC", days="daily")
    await dispatcher_of(group.env.bot).stop()  # the bot goes down...
    execute(  # ...right after claiming the 09:00 slot
        database_url,
        "INSERT INTO schedule_slots (schedule_id, slot, status) VALUES (1, ?, 'claimed')",
        ("2026-01-01T09:00:00+00:00",),
    )
    await travel_to(group.env, utc("2026-01-01T09:30"))
    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-01T12:00"))

    assert posts(group.channel) == []
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("claimed",)]
    assert rows(database_url, "SELECT next_run FROM schedules") == [("2026-01-02T09:00:00+00:00",)]


@pytest.mark.parametrize(
    ("down_until", "posted_at"), [("2026-01-01T10:59", "2026-01-01T10:59"), ("2026-01-01T11:01", None)]
)
async def test_a_slot_missed_while_down_posts_late_within_two_hours_else_is_skipped(
    group, database_url, caplog, down_until, posted_at
):
    await add(group, time="09:00", timezone="UTC", days="daily")
    await dispatcher_of(group.env.bot).stop()  # the bot is down from midnight...
    await travel_to(group.env, utc(down_until))
    with caplog.at_level(logging.WARNING, logger="cogs.schedules.dispatcher"):
        await group.env.restart_bot(create_bot(database_url=database_url))  # ...until now
        await travel_to(group.env, utc("2026-01-01T12:00"))

    expected = [utc(posted_at)] if posted_at else []
    assert [m.created_at for m in posts(group.channel)] == expected
    status = "posted" if posted_at else "skipped"
    assert rows(database_url, "SELECT slot, status FROM schedule_slots") == [("2026-01-01T09:00:00+00:00", status)]
    assert ("skipped 1 slot" in caplog.text) is (posted_at is None)
    assert rows(database_url, "SELECT next_run FROM schedules") == [("2026-01-02T09:00:00+00:00",)]


async def test_three_days_down_gives_at_most_one_late_post(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily")
    await travel_to(group.env, utc("2026-01-01T10:00"))
    await dispatcher_of(group.env.bot).stop()
    await travel_to(group.env, utc("2026-01-04T10:00"))
    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-04T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00"), utc("2026-01-04T10:00")]
    assert rows(database_url, "SELECT slot, status FROM schedule_slots ORDER BY slot") == [
        ("2026-01-01T09:00:00+00:00", "posted"),
        ("2026-01-02T09:00:00+00:00", "skipped"),
        ("2026-01-03T09:00:00+00:00", "skipped"),
        ("2026-01-04T09:00:00+00:00", "posted"),
    ]


# --------------------------------------------------------------------------- faults
async def test_403_channel_is_paused_with_its_reason_and_the_healthy_one_still_posts(group, database_url):
    broken = group.guild.create_text_channel("announcements")
    await add(group, broken, time="09:00", timezone="UTC", days="daily")
    await add(group, time="09:00", timezone="UTC", days="daily")
    group.env.inject_error(
        "POST", f"/channels/{broken.id}/messages", status=403, code=50001, message="Missing Access", times=None
    )

    await travel_to(group.env, utc("2026-01-03T12:00"))

    assert len(posts(group.channel)) == 3
    assert posts(broken) == []
    attempts = [
        r for r in group.env.http_requests if r.method == "POST" and r.path == f"/channels/{broken.id}/messages"
    ]
    assert len(attempts) == 1  # a 403 is never retried, and the schedule stops trying
    fields = await list_fields(group)
    paused = fields["#1 · Tip · #announcements"]  # the channel's name, for clients that show no mention
    assert "**paused** — Linkwise cannot post in #announcements (Discord said 403 Missing Access)" in paused
    assert paused.startswith(f"<#{broken.id}> · ")  # the mention stays, which Discord renders
    assert "Next:" in fields["#2 · Tip · #general"]
    assert rows(database_url, "SELECT id, paused_reason IS NOT NULL FROM schedules ORDER BY id") == [(1, 1), (2, 0)]
    assert rows(database_url, "SELECT status FROM schedule_slots WHERE schedule_id = 1") == [("failed",)]


async def test_a_deleted_channel_pauses_the_schedule(group, database_url):
    doomed = group.guild.create_text_channel("old-news")
    await add(group, doomed, time="09:00", timezone="UTC", days="daily")
    group.env.inject_error("POST", f"/channels/{doomed.id}/messages", status=404, code=10003, message="Unknown Channel")

    await travel_to(group.env, utc("2026-01-01T12:00"))

    assert rows(database_url, "SELECT paused_reason FROM schedules") == [
        ("Linkwise cannot post in #old-news (Discord said 404 Unknown Channel)",)
    ]


async def test_a_single_500_is_retried_and_posted_once(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily")
    group.env.inject_error("POST", f"/channels/{group.channel.id}/messages", status=500)

    await travel_to(group.env, utc("2026-01-01T12:00"))

    posted = posts(group.channel)
    assert len(posted) == 1
    assert utc("2026-01-01T09:00") < posted[0].created_at < utc("2026-01-01T09:01")  # after a short backoff
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("posted",)]


async def test_persistent_5xx_and_429_skip_the_slot_without_pausing(group, database_url, caplog):
    await add(group, time="09:00", timezone="UTC", days="daily")
    path = f"/channels/{group.channel.id}/messages"
    group.env.inject_error("POST", path, status=503, times=2)
    group.env.inject_error("POST", path, status=429, code=0, message="You are being rate limited.", times=1)

    with caplog.at_level(logging.WARNING, logger="cogs.schedules.dispatcher"):
        await travel_to(group.env, utc("2026-01-02T12:00"))

    attempts = [r for r in group.env.http_requests if r.method == "POST" and r.path == path]
    assert len(attempts) == 4  # three on the 1st (then skipped), one on the 2nd
    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT status FROM schedule_slots ORDER BY slot") == [("failed",), ("posted",)]
    assert rows(database_url, "SELECT paused_reason FROM schedules") == [(None,)]
    assert "was not posted and is skipped" in caplog.text


async def test_one_failing_poster_does_not_stop_the_others(group, database_url):
    other = group.guild.create_text_channel("other")
    await add(group, other, time="09:00", timezone="UTC", days="daily", topic="recruiters")
    await add(group, time="09:00", timezone="UTC", days="daily")
    real = group.env.bot.post_sources["tip"]

    async def flaky(bot, guild_id, topic):
        if topic == "recruiters":
            raise RuntimeError("content exploded")
        return await real(bot, guild_id, topic)

    group.env.bot.post_sources["tip"] = flaky
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert len(posts(group.channel)) == 2
    assert posts(other) == []
    assert dispatcher_of(group.env.bot).running
    assert rows(database_url, "SELECT status FROM schedule_slots WHERE schedule_id = 1") == [("failed",), ("failed",)]


# --------------------------------------------------------------------------- pause, resume, remove, test
async def test_pause_then_resume_continues_from_the_next_slot_without_catching_up(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily")
    paused = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert "paused" in paused.response.content
    again = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert "already paused" in again.response.content

    await travel_to(group.env, utc("2026-01-03T10:00"))  # slots on the 1st, 2nd and 3rd pass
    assert posts(group.channel) == []
    fields = await list_fields(group)
    assert "**paused** — paused by Morgan" in fields["#1 · Tip · #general"]

    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=1)
    assert stamps(resumed.response.content) == [utc("2026-01-04T09:00")]
    await travel_to(group.env, utc("2026-01-04T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-04T09:00")]
    not_paused = await group.counsellor.slash(group.channel, "schedule resume", id=1)
    assert "is not paused" in not_paused.response.content


async def test_a_pause_names_the_counsellor_as_discord_shows_them_now(group, database_url):
    leads = group.guild.create_role("Leads", permissions=discord.Permissions(manage_guild=True))
    casey = group.guild.add_member(group.env.create_user("casey", global_name="Casey"), roles=[leads])
    await add(group, time="09:00", timezone="UTC", days="daily")
    await casey.slash(group.channel, "schedule pause", id=1)
    # Kept as an id and a reason that names nobody.
    assert rows(database_url, "SELECT paused_reason, paused_by FROM schedules") == [
        ("paused by a counsellor on 2026-01-01", casey.id)
    ]

    fields = await list_fields(group)  # Morgan asks: Casey is looked up on Discord
    assert "**paused** — paused by Casey on 2026-01-01" in fields["#1 · Tip · #general"]
    again = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert "already paused (paused by Casey on 2026-01-01)" in again.response.content

    # Discord cannot say who it was just now: the reason is shown as kept.
    group.env.inject_error(
        "GET", f"/guilds/{group.guild.id}/members/{casey.id}", status=403, code=50001, message="Missing Access"
    )
    fields = await list_fields(group)
    assert "**paused** — paused by a counsellor on 2026-01-01" in fields["#1 · Tip · #general"]

    group.guild.remove_member(casey)  # Casey left the server
    fields = await list_fields(group)
    assert "**paused** — paused by a counsellor on 2026-01-01" in fields["#1 · Tip · #general"]


async def test_remove_stops_the_posts_and_deletes_its_slots(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily")
    await travel_to(group.env, utc("2026-01-01T10:00"))
    removed = await group.counsellor.slash(group.channel, "schedule remove", id=1)
    assert "#1 is removed" in removed.response.content
    await travel_to(group.env, utc("2026-01-03T10:00"))

    assert len(posts(group.channel)) == 1
    assert rows(database_url, "SELECT COUNT(*) FROM schedules") == [(0,)]
    assert rows(database_url, "SELECT COUNT(*) FROM schedule_slots") == [(0,)]
    listed = await group.counsellor.slash(group.channel, "schedule list")
    assert "No scheduled posts yet" in listed.response.embeds[0].description
    # Ids are never reused.
    added = await add(group)
    assert "#2" in added.response.content


async def test_test_posts_the_next_item_now_without_consuming_a_slot(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily", topic="profile")

    result = await group.counsellor.slash(group.channel, "schedule test", id=1)

    assert result.ephemeral
    [posted] = posts(group.channel)
    assert posted.created_at == utc("2026-01-01T00:00")
    assert "Profile" in posted.embeds[0].footer.text
    assert labels(posted) == ["Another tip", "I tried this"]
    assert posted.jump_url in (result.followups[-1].content if result.followups else result.response.content)
    assert rows(database_url, "SELECT COUNT(*) FROM schedule_slots") == [(0,)]
    assert rows(database_url, "SELECT next_run FROM schedules") == [("2026-01-01T09:00:00+00:00",)]
    await travel_to(group.env, utc("2026-01-01T10:00"))
    titles = [m.embeds[0].title for m in posts(group.channel)]
    assert len(titles) == 2 and titles[0] != titles[1]  # the test post counted in the rotation


async def test_test_of_a_schedule_with_nothing_to_post_says_so_and_changes_nothing(group, database_url):
    await add(group, time="09:00", timezone="UTC", days="daily", kind="prompt", topic="safety")
    content = default_content()
    group.env.bot.content = Content(
        content.facts, content.tips, content.checklists, tuple(p for p in content.prompts if p.topic != "safety")
    )

    result = await group.counsellor.slash(group.channel, "schedule test", id=1)

    assert result.ephemeral
    text = result.followups[-1].content if result.followups else result.response.content
    assert text == "There are no prompts for that topic yet. Try /prompt without a topic."
    assert group.env.errors == []  # an expected outcome: answered, never raised to the error handler
    assert posts(group.channel) == []
    assert rows(database_url, "SELECT paused_reason, next_run FROM schedules") == [(None, "2026-01-01T09:00:00+00:00")]


@pytest.mark.parametrize("command", ["remove", "pause", "resume", "test"])
async def test_unknown_or_other_servers_schedule_ids_are_refused(group, database_url, command):
    other_guild = group.env.create_guild(name="Elsewhere")
    other_channel = other_guild.create_text_channel("general")
    boss = other_guild.add_member(
        group.env.create_user("boss"),
        roles=[other_guild.create_role("Admin", permissions=discord.Permissions(manage_guild=True))],
    )
    await boss.slash(other_channel, "schedule add", channel=other_channel, time="09:00")

    for schedule_id in (1, 99):
        result = await group.counsellor.slash(group.channel, f"schedule {command}", id=schedule_id)
        assert result.ephemeral
        text = result.followups[-1].content if result.followups else result.response.content
        assert f"There is no schedule #{schedule_id} in this server" in text
    assert rows(database_url, "SELECT id, paused_reason FROM schedules") == [(1, None)]


# --------------------------------------------------------------------------- refusals
@pytest.mark.parametrize(
    ("option", "value", "accepted"),
    [
        ("time", "25:00", "HH:MM"),
        ("days", "funday", "mon,wed,fri"),
        ("timezone", "Mars/Olympus", "America/Toronto"),
    ],
)
async def test_bad_input_says_what_is_accepted(group, database_url, option, value, accepted):
    result = await add(group, **{option: value})

    assert result.ephemeral
    assert repr(value) in result.response.content
    assert accepted in result.response.content
    assert rows(database_url, "SELECT COUNT(*) FROM schedules") == [(0,)]


async def test_a_member_is_refused_even_when_the_server_opened_the_command(group, database_url):
    commands = {c.name: c for c in await group.env.bot.tree.fetch_commands()}
    group.guild.set_command_permissions(commands["schedule"], {group.guild.default_role: True})
    await add(group)

    for name, options in [
        ("add", {"channel": group.channel, "time": "10:00"}),
        ("list", {}),
        ("remove", {"id": 1}),
        ("pause", {"id": 1}),
        ("resume", {"id": 1}),
        ("test", {"id": 1}),
    ]:
        result = await group.alice.slash(group.channel, f"schedule {name}", **options)
        assert result.ephemeral
        assert "Only counsellors can schedule posts" in result.response.content, name

    assert rows(database_url, "SELECT COUNT(*), MAX(paused_reason) FROM schedules") == [(1, None)]
    assert posts(group.channel) == []


@pytest.mark.parametrize(
    ("denied", "missing"),
    [({"send_messages": False}, "Send Messages"), ({"embed_links": False}, "Embed Links")],
)
async def test_a_channel_where_linkwise_cannot_post_is_refused(group, database_url, denied, missing):
    me = group.guild.me
    closed = group.guild.create_text_channel("closed", overwrites={me: discord.PermissionOverwrite(**denied)})

    result = await add(group, closed)

    assert result.ephemeral
    assert f"Linkwise is missing the {missing}" in result.response.content
    assert "in #closed, so it cannot post there" in result.response.content
    assert rows(database_url, "SELECT COUNT(*) FROM schedules") == [(0,)]


async def test_the_26th_schedule_is_refused(group, database_url):
    for n in range(25):
        result = await add(group, time=f"{n % 24:02d}:00")
        assert f"#{n + 1}" in result.response.content
    refused = await add(group, time="10:30")

    assert "already has 25 schedules" in refused.response.content
    assert rows(database_url, "SELECT COUNT(*) FROM schedules") == [(25,)]
    listed = await group.counsellor.slash(group.channel, "schedule list")
    embed = listed.response.embeds[0]
    assert len(embed.fields) == 25 and len(embed) <= 6000


async def test_the_list_names_each_channel_and_still_fits_when_every_field_is_long(group):
    # Discord allows 100 characters in a channel's name; underscores are escaped when shown.
    long = group.guild.create_text_channel("tips_" * 20)
    for n in range(25):
        result = await add(
            group, long, time=f"{n % 24:02d}:30", timezone="America/Argentina/Buenos_Aires",
            days="Mon, Tue, Wed, Thu, Fri, Sat", topic="safety",
        )
        assert f"#{n + 1}" in result.response.content

    listed = await group.counsellor.slash(group.channel, "schedule list")
    embed = listed.response.embeds[0]
    assert len(embed.fields) == 25 and len(embed) <= 6000
    assert all(len(field.name) <= 256 and len(field.value) <= 1024 for field in embed.fields)
    assert all(field.value.startswith(f"<#{long.id}> · ") for field in embed.fields)  # the mentions stay
    assert not any("#tips" in field.name for field in embed.fields)  # the names, not the schedules, made room

    # With room to spare, each schedule's field names its channel, shortened.
    await group.counsellor.slash(group.channel, "schedule remove", id=25)
    for n in range(2, 25):
        await group.counsellor.slash(group.channel, "schedule remove", id=n)
    fields = await list_fields(group)
    (name,) = fields
    assert name.startswith("#1 · Tip · Safety and privacy · #tips\\_tips\\_") and name.endswith("…")


async def test_the_list_leaves_out_the_name_of_a_channel_that_is_gone(group):
    gone = group.guild.create_text_channel("old-tips")
    await add(group, gone, time="09:00", timezone="UTC", days="daily")
    assert "#1 · Tip · #old-tips" in await list_fields(group)

    await group.env.bot.get_channel(gone.id).delete()  # removed from the server (here by the bot's own hand)
    fields = await list_fields(group)
    assert "#1 · Tip" in fields and fields["#1 · Tip"].startswith(f"<#{gone.id}> · ")


async def test_prompt_schedule_posts_prompts_with_the_share_button(group, database_url):
    result = await add(group, time="09:00", timezone="UTC", days="daily", kind="prompt")
    assert "a prompt at 09:00 UTC, daily" in result.response.content

    await travel_to(group.env, utc("2026-01-02T12:00"))

    posted = posts(group.channel)
    assert len(posted) == 2 and posted[0].embeds[0].description != posted[1].embeds[0].description
    assert all(labels(m) == ["Share your practice"] for m in posted)
    assert rows(database_url, "SELECT COUNT(*) FROM rotation WHERE kind = 'prompt'") == [(2,)]
    shown = await group.alice.click(posted[0], label="Share your practice")
    assert shown.modal is not None


async def test_timezone_autocomplete_offers_zones(group):
    choices = await group.counsellor.autocomplete(group.channel, "schedule add", "timezone", "toron")

    assert choices[0]["value"] == "America/Toronto"
    assert len(choices) <= 25


async def test_server_timezone_setting_is_the_default(group, database_url):
    settings = "INSERT INTO guild_settings (guild_id, timezone) VALUES (?, 'Europe/London')"
    execute(database_url, settings, (group.guild.id,))
    result = await add(group, time="09:00")

    assert stamps(result.response.content)[0] == utc("2026-01-01T09:00")
    assert rows(database_url, "SELECT timezone FROM schedules") == [("Europe/London",)]


async def test_the_dispatcher_is_started_once_per_start(group):
    bot = group.env.bot
    assert dispatcher_of(bot).running
    dispatcher_of(bot).start()  # a second start (say, from a reconnect) changes nothing
    await add(group, time="09:00", timezone="UTC", days="daily")
    bot.dispatch("ready")  # on_ready again, as after a reconnect
    await travel_to(group.env, utc("2026-01-01T12:00"))
    assert len(posts(group.channel)) == 1


async def test_the_dispatcher_restarts_if_its_loop_dies(group, caplog):
    dispatcher = dispatcher_of(group.env.bot)
    real_sleep = dispatcher._sleep
    calls = []

    async def dies_once(seconds):
        calls.append(seconds)
        if len(calls) == 1:
            raise RuntimeError("a bug in the loop")
        await real_sleep(seconds)

    dispatcher._sleep = dies_once
    with caplog.at_level(logging.ERROR, logger="cogs.schedules.dispatcher"):
        await add(group, time="09:00", timezone="UTC", days="daily")  # wakes the loop, which dies
        await travel_to(group.env, utc("2026-01-01T12:00"))

    assert "restarting it (1/5)" in caplog.text
    assert dispatcher.running
    assert len(posts(group.channel)) == 1
