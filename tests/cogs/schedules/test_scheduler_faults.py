"""The scheduler under faults, reconnects, crashes and downtime (issue 10, cases 5-9 and 12).

tests/cogs/schedules/test_schedule.py proves the basics of each case (one 5xx retried, persistent 5xx and
429 skipped, a failing poster, a claimed slot never reposted, three days down, DST in London and
Toronto both ways, a 403 paused and tried once). These tests add the angles it misses: several
servers failing in different ways at once over days, a 429's ``retry_after``, a real reconnect
(sync and task identity), a crash *during* a post (before and after Discord has the message),
downtime across several schedules, and a 403 that stays quiet through restarts and days.

SimCord's clock starts at 2026-01-01T00:00Z (a Thursday).
"""

from __future__ import annotations

import asyncio
import fnmatch
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import discord
import pytest

from bot import create_bot
from cogs.schedules.dispatcher import MAX_RETRY_AFTER
from cogs.schedules.rules import GRACE
from tests.db import rows
from tests.scheduled import DAY, dispatcher_of, posts, sends_to, travel_to, utc


async def add(counsellor, channel, **options):
    options.setdefault("time", "09:00")
    options.setdefault("timezone", "UTC")
    options.setdefault("days", "daily")
    result = await counsellor.slash(channel, "schedule add", channel=channel, **options)
    assert "#" in result.response.content, result.response.content
    return result


def second_server(env, name):
    guild = env.create_guild(name=name)
    channel = guild.create_text_channel("general")
    staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    counsellor = guild.add_member(env.create_user(f"sam-{name}", global_name="Sam"), roles=[staff])
    return guild, channel, counsellor


@pytest.fixture
def patch_send(monkeypatch):
    """Replace ``TextChannel.send`` for one channel id with ``fault(real_send, channel, **kw)``,
    the way a fault a REST fake cannot express (a 429's retry_after, a crash mid-post) reaches
    the dispatcher. Other channels send normally."""

    def install(channel_id: int, fault):
        real = discord.TextChannel.send

        async def send(self, *args, **kwargs):
            if self.id == channel_id:
                return await fault(real, self, *args, **kwargs)
            return await real(self, *args, **kwargs)

        monkeypatch.setattr(discord.TextChannel, "send", send)

    return install


# --------------------------------------------------------------------------- case 5
async def test_faults_in_several_servers_at_once_never_stop_the_others(group, database_url, patch_send):
    """Server A: a 429 asking to wait 30 s. Server B: one schedule whose poster raises, beside a
    healthy one. Server C: a 503 on its first post. Over four days every healthy slot posts
    exactly once and the dispatcher keeps running.

    (The faults sit in different servers, so each server's posts show one kind of fault.)"""
    env = group.env
    guild_b, channel_b, counsellor_b = second_server(env, "Second Circle")
    careers = guild_b.create_text_channel("careers")
    guild_c, channel_c, counsellor_c = second_server(env, "Third Circle")
    await add(group.counsellor, group.channel)  # schedule 1: 429 once, with retry_after
    await add(counsellor_b, careers, topic="recruiters")  # schedule 2: its poster raises
    await add(counsellor_b, channel_b)  # schedule 3: healthy
    await add(counsellor_c, channel_c)  # schedule 4: one 503
    env.inject_error("POST", f"/channels/{channel_c.id}/messages", status=503)

    limited = []

    async def rate_limited_once(real, channel, *args, **kwargs):
        if not limited:
            limited.append(env.now())
            raise discord.RateLimited(30.0)
        return await real(channel, *args, **kwargs)

    patch_send(group.channel.id, rate_limited_once)
    real_poster = env.bot.post_sources["tip"]

    async def exploding(bot, guild_id, topic):
        if topic == "recruiters":
            raise RuntimeError("this server's content is broken")
        return await real_poster(bot, guild_id, topic)

    env.bot.post_sources["tip"] = exploding

    await travel_to(env, utc("2026-01-04T12:00"))

    days = [utc(f"2026-01-0{d}T09:00") for d in (1, 2, 3, 4)]
    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00:30"), *days[1:]]  # waited 30 s once
    assert posts(careers) == []
    assert [m.created_at for m in posts(channel_b)] == days
    c_posts = [m.created_at for m in posts(channel_c)]
    assert len(c_posts) == 4 and c_posts[0] < utc("2026-01-01T09:01")  # retried after the 503
    assert sends_to(env, channel_c) == 5
    assert dispatcher_of(env.bot).running
    assert rows(database_url, "SELECT schedule_id, status, COUNT(*) FROM schedule_slots GROUP BY 1, 2 ORDER BY 1") == [
        (1, "posted", 4),
        (2, "failed", 4),
        (3, "posted", 4),
        (4, "posted", 4),
    ]
    assert rows(database_url, "SELECT COUNT(*) FROM schedules WHERE paused_reason IS NOT NULL") == [(0,)]


async def test_a_429_asking_for_a_long_wait_skips_the_slot_instead_of_blocking(group, database_url, patch_send):
    await add(group.counsellor, group.channel)
    calls = []

    async def long_limit(real, channel, *args, **kwargs):
        calls.append(group.env.now())
        if len(calls) == 1:
            raise discord.RateLimited(MAX_RETRY_AFTER * 10)
        return await real(channel, *args, **kwargs)

    patch_send(group.channel.id, long_limit)
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert calls == [utc("2026-01-01T09:00"), utc("2026-01-02T09:00")]  # no wait, no retry storm
    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT status FROM schedule_slots ORDER BY slot") == [("failed",), ("posted",)]


# --------------------------------------------------------------------------- case 6
def command_syncs(env) -> int:
    return sum(
        1 for r in env.http_requests if r.method == "PUT" and fnmatch.fnmatchcase(r.path, "/applications/*/commands")
    )


async def test_reconnect_keeps_one_dispatcher_no_sync_and_no_duplicate_post(group, database_url):
    env, bot = group.env, group.env.bot
    await add(group.counsellor, group.channel)
    task = dispatcher_of(bot)._task
    syncs = command_syncs(env)

    for _ in range(3):  # the gateway drops and reconnects: on_ready (and on_resumed) again
        bot.dispatch("ready")
        bot.dispatch("resumed")
        await env.advance_time(60)
    await travel_to(env, utc("2026-01-02T12:00"))

    assert dispatcher_of(bot)._task is task and dispatcher_of(bot).running
    tasks = [t for t in asyncio.all_tasks() if t.get_name() == "linkwise-dispatcher" and not t.done()]
    assert tasks == [task]
    assert command_syncs(env) == syncs
    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00"), utc("2026-01-02T09:00")]


# --------------------------------------------------------------------------- case 7
async def test_crash_after_claiming_but_before_discord_has_the_post(group, database_url, monkeypatch):
    """The bot dies while building the post (the slot is claimed, nothing sent): the slot is
    lost, never posted twice (the documented guarantee is at most once per slot)."""
    await add(group.counsellor, group.channel)
    real_poster = group.env.bot.post_sources["tip"]

    async def hangs(bot, guild_id, topic):
        await asyncio.sleep(10 * DAY)  # the process is killed while this runs
        return await real_poster(bot, guild_id, topic)

    group.env.bot.post_sources["tip"] = hangs
    await travel_to(group.env, utc("2026-01-01T09:05"))
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("claimed",)]

    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT slot, status FROM schedule_slots ORDER BY slot") == [
        ("2026-01-01T09:00:00+00:00", "claimed"),
        ("2026-01-02T09:00:00+00:00", "posted"),
    ]


async def test_crash_after_discord_has_the_post_but_before_it_is_recorded(group, database_url, patch_send):
    await add(group.counsellor, group.channel)
    crashed = []

    async def sent_then_dies(real, channel, *args, **kwargs):
        message = await real(channel, *args, **kwargs)
        if not crashed:
            crashed.append(message)
            await asyncio.sleep(10 * DAY)  # killed before the outcome is written
        return message

    patch_send(group.channel.id, sent_then_dies)
    await travel_to(group.env, utc("2026-01-01T09:05"))
    assert len(crashed) == 1
    assert rows(database_url, "SELECT status, message_id FROM schedule_slots") == [("claimed", None)]

    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-01T09:00"), utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT status FROM schedule_slots ORDER BY slot") == [("claimed",), ("posted",)]


# --------------------------------------------------------------------------- case 8
async def test_three_days_down_with_several_schedules_gives_one_late_post_each_within_grace(group, database_url):
    env = group.env
    await add(group.counsellor, group.channel, time="09:00")  # 09:00 UTC
    await add(group.counsellor, group.channel, time="08:00", timezone="Europe/London")  # 08:00 UTC in winter
    await add(group.counsellor, group.channel, time="05:00", days="weekdays")  # missed by over 2 h
    await dispatcher_of(env.bot).stop()
    await travel_to(env, utc("2026-01-05T09:30"))  # down from 1 Jan 00:00 to Monday 5 Jan 09:30
    await env.restart_bot(create_bot(database_url=database_url))
    await travel_to(env, utc("2026-01-05T12:00"))

    posted = rows(database_url, "SELECT schedule_id, slot FROM schedule_slots WHERE status = 'posted' ORDER BY 1")
    assert [(sid, slot[:16]) for sid, slot in posted] == [(1, "2026-01-05T09:00"), (2, "2026-01-05T08:00")]
    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-05T09:30")] * 2
    for _, slot in posted:
        assert utc("2026-01-05T09:30") - datetime.fromisoformat(slot) <= GRACE
    # Every missed slot is recorded as skipped, none posted: no burst.
    skipped = rows(database_url, "SELECT schedule_id, COUNT(*) FROM schedule_slots WHERE status = 'skipped' GROUP BY 1")
    assert skipped == [(1, 4), (2, 4), (3, 3)]  # Thu, Fri and Mon for the weekday one


# --------------------------------------------------------------------------- case 9
async def test_dst_in_two_zones_at_once_posts_once_a_day_at_the_local_time(group, database_url):
    """DST both ways per zone is proved in tests/cogs/schedules/test_schedule.py::
    test_dst_changes_post_once_at_the_right_instant. The extra angle: two zones changing on
    different dates, side by side in one server, over the weeks in between."""
    env = group.env
    await travel_to(env, utc("2026-03-06T12:00"))
    await add(group.counsellor, group.channel, time="09:00", timezone="America/Toronto")
    await add(group.counsellor, group.channel, time="09:00", timezone="Europe/London")
    await travel_to(env, utc("2026-04-01T00:00"))  # Toronto changes on 8 March, London on 29 March

    for sid, zone in ((1, "America/Toronto"), (2, "Europe/London")):
        slots = [
            datetime.fromisoformat(s)
            for (s,) in rows(
                database_url,
                "SELECT slot FROM schedule_slots WHERE schedule_id = ? AND status = 'posted' ORDER BY slot",
                (sid,),
            )
        ]
        local = [s.astimezone(ZoneInfo(zone)) for s in slots]
        assert [t.date() for t in local] == [local[0].date() + timedelta(days=i) for i in range(len(local))]
        assert len(local) == 26 - (sid == 2)  # London's 6 March slot had passed
        assert {(t.hour, t.minute) for t in local} == {(9, 0)}
    assert len(posts(group.channel)) == 51


# --------------------------------------------------------------------------- case 12
async def test_a_403_is_requested_once_through_days_and_restarts_and_once_per_resume(group, database_url):
    env = group.env
    broken = group.guild.create_text_channel("announcements")
    await add(group.counsellor, broken)
    env.inject_error(
        "POST", f"/channels/{broken.id}/messages", status=403, code=50013, message="Missing Permissions", times=None
    )

    await travel_to(env, utc("2026-01-03T00:00"))
    await env.restart_bot(create_bot(database_url=database_url))
    await travel_to(env, utc("2026-01-08T00:00"))
    assert sends_to(env, broken) == 1

    listed = await group.counsellor.slash(group.channel, "schedule list")
    text = "\n".join(f"{f.name} {f.value}" for f in listed.response.embeds[0].fields)
    assert "paused" in text and "403 Missing Permissions" in text

    # A counsellor resumes it without fixing anything: one more try at the next slot, then paused again.
    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=1)
    assert "#1" in resumed.response.content
    await travel_to(env, utc("2026-01-12T00:00"))
    assert sends_to(env, broken) == 2
    assert rows(database_url, "SELECT paused_reason FROM schedules") == [
        ("Linkwise cannot post in #announcements (Discord said 403 Missing Permissions)",)
    ]
    assert rows(database_url, "SELECT status, COUNT(*) FROM schedule_slots GROUP BY 1") == [("failed", 2)]
