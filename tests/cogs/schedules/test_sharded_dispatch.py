"""Shards across processes on one PostgreSQL database, driven through SimCord.

SimCord, like Discord, delivers to a bot only the servers of its own shards, but lets any bot
post anywhere by REST: a process claiming another shard's schedule would post there, visibly.
So each test reads every channel's messages, on both shards, and the slots' records.

Two shards (``(guild_id >> 22) % 2``): server A on shard 0, server B on shard 1. The bot that
adds the schedules runs both; then the bot is swapped (``env.restart_bot``, the same database)
for a process running shard 0 only, or shard 1 only.
"""

from __future__ import annotations

from datetime import timedelta

import discord
import pytest

from bot import create_bot
from bot.app import ShardsHeld
from cogs.schedules.rules import GRACE
from tests.scheduled import posts, travel_to, utc

pytestmark = pytest.mark.postgres

COUNT = 2


@pytest.fixture
def simcord_bot(pg_url):
    """The first process runs both shards (a count, no ids): it takes the counsellors' commands."""
    return create_bot(database_url=pg_url, shard_count=COUNT)


def shard_bot(pg_url, *shards: int):
    return create_bot(database_url=pg_url, shard_ids=list(shards), shard_count=COUNT)


class Server:
    def __init__(self, env, name: str, shard: int, id: int | None = None) -> None:  # noqa: A002
        # With an id: one chosen on that shard of COUNT (the env may run fewer shards for now).
        self.guild = env.create_guild(name=name, shard_id=shard if id is None else None, id=id)
        assert (self.guild.id >> 22) % COUNT == shard
        self.channel = self.guild.create_text_channel("general")
        staff = self.guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
        self.counsellor = self.guild.add_member(env.create_user(f"coach-{shard}"), roles=[staff])

    async def add(self, time: str = "09:00") -> None:
        result = await self.counsellor.slash(
            self.channel, "schedule add", channel=self.channel, time=time, days="daily", timezone="UTC"
        )
        assert "is set" in result.response.content, result.response.content

    def post_times(self):
        return [m.created_at for m in posts(self.channel)]


@pytest.fixture
async def servers(simcord_env):
    a, b = Server(simcord_env, "Shard Zero Circle", 0), Server(simcord_env, "Shard One Circle", 1)
    await a.add()
    await b.add()
    return a, b


async def slots(env, guild) -> list[tuple[str, str]]:
    rows = await env.bot.store.fetchall(
        "SELECT schedule_slots.slot, schedule_slots.status FROM schedule_slots "
        "JOIN schedules ON schedules.id = schedule_slots.schedule_id WHERE schedules.guild_id = ? ORDER BY 1",
        (guild.id,),
    )
    return [(row[0][:16], row[1]) for row in rows]


async def test_each_process_posts_only_its_shards_schedules_each_slot_once(simcord_env, servers, pg_url):
    env = simcord_env
    a, b = servers
    await env.restart_bot(shard_bot(pg_url, 0))
    assert [g.id for g in env.bot.guilds] == [a.guild.id]  # this process sees shard 0's servers only

    await travel_to(env, utc("2026-01-01T09:30"))
    assert a.post_times() == [utc("2026-01-01T09:00")]
    assert b.post_times() == []  # shard 1's schedule is not claimed by shard 0's process
    assert await slots(env, b.guild) == []

    # Shard 1's process starts an hour late (within the grace window): it posts its 09:00 slot
    # once, now, and never shard 0's.
    await travel_to(env, utc("2026-01-01T10:00"))
    await env.restart_bot(shard_bot(pg_url, 1))
    assert [g.id for g in env.bot.guilds] == [b.guild.id]
    await travel_to(env, utc("2026-01-02T09:30"))
    assert b.post_times() == [utc("2026-01-01T10:00"), utc("2026-01-02T09:00")]
    assert a.post_times() == [utc("2026-01-01T09:00")]  # its 2 January slot waits for its owner

    # Back to shard 0 (the shard its first process held is free again), 90 minutes after the
    # slot: caught up once; shard 1's next slot is left alone.
    await travel_to(env, utc("2026-01-02T10:30"))
    await env.restart_bot(shard_bot(pg_url, 0))
    await travel_to(env, utc("2026-01-03T12:00"))
    assert a.post_times() == [utc("2026-01-01T09:00"), utc("2026-01-02T10:30"), utc("2026-01-03T09:00")]
    assert b.post_times() == [utc("2026-01-01T10:00"), utc("2026-01-02T09:00")]

    assert await slots(env, a.guild) == [
        ("2026-01-01T09:00", "posted"),
        ("2026-01-02T09:00", "posted"),
        ("2026-01-03T09:00", "posted"),
    ]
    assert await slots(env, b.guild) == [("2026-01-01T09:00", "posted"), ("2026-01-02T09:00", "posted")]
    # One message per posted slot, in the server of the schedule, by the bot.
    store = env.bot.store
    message_ids = [r[0] for r in await store.fetchall("SELECT message_id FROM schedule_slots WHERE status = 'posted'")]
    assert sorted(message_ids) == sorted(m.id for m in posts(a.channel) + posts(b.channel))


async def test_a_shard_down_past_the_grace_window_skips_the_slot_and_posts_the_next(simcord_env, servers, pg_url):
    env = simcord_env
    a, b = servers
    await env.restart_bot(shard_bot(pg_url, 0))
    late = utc("2026-01-01T09:00") + GRACE + timedelta(minutes=30)
    await travel_to(env, late)
    await env.restart_bot(shard_bot(pg_url, 1))  # shard 1's process comes back too late for 09:00
    await travel_to(env, utc("2026-01-02T09:30"))

    assert b.post_times() == [utc("2026-01-02T09:00")]
    assert await slots(env, b.guild) == [("2026-01-01T09:00", "skipped"), ("2026-01-02T09:00", "posted")]
    assert a.post_times() == [utc("2026-01-01T09:00")]


async def test_a_schedule_added_in_a_sharded_process_is_claimed_by_that_process(simcord_env, pg_url):
    """A counsellor's /schedule add reaches the process of the server's shard; that process,
    not another, posts it (the row is keyed for the shard as it is added)."""
    env = simcord_env
    await env.restart_bot(shard_bot(pg_url, 1))
    b = Server(env, "Added on shard one", 1)
    await b.add("08:00")
    await travel_to(env, utc("2026-01-01T08:05"))
    assert b.post_times() == [utc("2026-01-01T08:00")]
    assert await env.bot.store.fetchall("SELECT shard_count, shard FROM schedules") == [(COUNT, 1)]


async def test_two_processes_on_one_database_refuse_the_same_shard(simcord_env, servers, pg_url):
    env = simcord_env
    await env.restart_bot(shard_bot(pg_url, 0))

    second = shard_bot(pg_url, 0, 1)
    with pytest.raises(ShardsHeld, match="shard 0 is already run by another Linkwise process"):
        await second.start("not-a-token")  # refused before logging in: nothing reaches Discord
    await second.close()
    everything = create_bot(database_url=pg_url)  # no shard option: every shard
    with pytest.raises(ShardsHeld, match="shard 0 is already run by another Linkwise process"):
        await everything.start("not-a-token")
    await everything.close()
    recounted = create_bot(database_url=pg_url, shard_ids=[3], shard_count=4)
    with pytest.raises(ShardsHeld, match="LINKWISE_SHARD_COUNT=2, not 4"):
        await recounted.start("not-a-token")
    await recounted.close()

    other = shard_bot(pg_url, 1)  # the other shard is free
    await other.hold_shards()
    try:
        assert other.shard_lock is not None and other.shard_lock.held
    finally:
        await other.close()
    assert other.shard_lock is not None and not other.shard_lock.held

    # The refused processes changed nothing: shard 0's process still posts its slot, once.
    a, b = servers
    await travel_to(env, utc("2026-01-01T09:30"))
    assert a.post_times() == [utc("2026-01-01T09:00")] and b.post_times() == []


async def test_schedules_added_by_one_process_are_posted_by_their_shards_after_sharding(pg_url):
    """A bot that ran alone (one shard) is split into two processes of two shards: the
    schedules its counsellors added are keyed for the new count by the first process to pass,
    and each is posted by the process of its server's shard, once."""
    from simcord import Env

    env = Env(create_bot(database_url=pg_url))  # no shard option: one process, one shard
    await env.start()
    try:
        base = (1456074443980800016 >> 22) + 10_000  # ids a little after those SimCord gives
        ids = {shard: ((base + ((shard - base) % COUNT)) << 22) | 7 for shard in range(COUNT)}
        servers = [Server(env, f"Circle {shard}", shard, id=guild_id) for shard, guild_id in ids.items()]
        for server in servers:
            await server.add()
        keyed = await env.bot.store.fetchall("SELECT shard_count, shard FROM schedules ORDER BY id")
        assert [tuple(r) for r in keyed] == [(1, 0), (1, 0)]

        await env.restart_bot(shard_bot(pg_url, 1))
        await travel_to(env, utc("2026-01-01T09:30"))
        a, b = servers
        assert a.post_times() == [] and b.post_times() == [utc("2026-01-01T09:00")]
        await env.restart_bot(shard_bot(pg_url, 0))
        await travel_to(env, utc("2026-01-01T10:00"))
        assert a.post_times() == [utc("2026-01-01T09:30")]  # 30 minutes late, within the grace window
        assert b.post_times() == [utc("2026-01-01T09:00")]
        keyed = await env.bot.store.fetchall("SELECT shard_count, shard FROM schedules ORDER BY id")
        assert [tuple(r) for r in keyed] == [(COUNT, 0), (COUNT, 1)]
    finally:
        await env.shutdown()
