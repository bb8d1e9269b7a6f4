"""The dispatcher's queries in a process running some of the bot's shards, on both engines:
they read only that process's schedules, through the index schedules_due_shard (the plans
show it), and the rows are keyed again when the bot's shard count changes."""

from __future__ import annotations

import random
from datetime import UTC, datetime, timedelta

import pytest

from bot.clock import iso
from bot.store.database import open_store
from cogs.schedules import queries as rows
from cogs.schedules.queries import Shards

NOW = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
BASE = 900_000_000_000_000_000  # a server id; (BASE + (k << 22)) is on shard (BASE >> 22) + k of the count


def guild_on(shard: int, count: int, n: int = 0) -> int:
    """A server id on ``shard`` of ``count`` shards (the n-th such id)."""
    top = BASE >> 22
    step = (shard - top) % count + n * count
    return (top + step) << 22 | 12345


async def seeded(url: str, count: int, how_many: int = 4000):
    """``how_many`` schedules spread over ``count`` shards, a minute apart, every third paused,
    keyed for ``count`` as /schedule add keys them; then ANALYZE, as a database in use has."""
    store = await open_store(url)
    for i in range(200):  # the first ones as /schedule add adds them
        await rows.add(
            store,
            guild_id=guild_on(i % count, count, i // count % 50),
            channel_id=1,
            kind="tip",
            topic=None,
            local_time="09:00",
            days="daily",
            timezone="UTC",
            next_run=NOW + timedelta(minutes=i),
            created_by=7,
            at=NOW,
            shard_count=count,
        )
    # The bulk in one write (adding 4,000 one by one would only slow the test down).
    sql = (
        "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
        "paused_reason, created_by, created_at, shard_count, shard) "
        "VALUES (?, 1, 'tip', NULL, '09:00', 'daily', 'UTC', ?, ?, 7, ?, ?, ?)"
    )
    # In no particular order on disk, as rows of a database in use are (next_run moves daily).
    bulk = []
    for i in random.Random(7).sample(range(200, how_many), how_many - 200):
        shard = i % count
        bulk.append(
            (sql, (guild_on(shard, count, i // count % 50), iso(NOW + timedelta(minutes=i)),
                   "paused" if i % 3 == 0 else None, iso(NOW), count, shard))
        )
    await store.write(*bulk)
    await store.write(("ANALYZE", ()))
    return store


def test_guild_on_gives_ids_of_the_asked_shard():
    for count in (2, 4, 7):
        for shard in range(count):
            assert all((guild_on(shard, count, n) >> 22) % count == shard for n in range(5))


async def plan(store, sql: str, params) -> str:
    if store.engine == "postgresql":
        return "\n".join(r[0] for r in await store.fetchall("EXPLAIN " + sql, params))
    return "\n".join(r[3] for r in await store.fetchall("EXPLAIN QUERY PLAN " + sql, params))


async def test_the_due_query_of_some_shards_walks_the_shard_index(database_url, backend):
    count = 4
    mine = Shards((0, 2), count)
    store = await seeded(database_url, count)
    try:
        busy = NOW + timedelta(minutes=3000)  # most schedules due: 09:00 in many servers
        due_plan = await plan(store, rows.due_sql(mine), rows.due_params(mine, busy, 100))
        assert due_plan.count("schedules_due_shard") == 2, due_plan  # one range per shard of this process
        assert "schedules_due " not in due_plan + " " and "Seq Scan" not in due_plan, due_plan
        first_plan = await plan(store, rows.earliest_sql(mine), rows.earliest_params(mine))
        assert "Seq Scan" not in first_plan and "SCAN schedules\n" not in first_plan + "\n", first_plan
        if backend == "sqlite":
            search = "SEARCH schedules USING INDEX schedules_due_shard (shard_count=? AND shard=? AND next_run<?)"
            assert due_plan.count(search) == 2, due_plan
            few = await plan(store, rows.due_sql(mine), rows.due_params(mine, NOW + timedelta(minutes=9), 100))
            assert few.count(search) == 2, few
            assert first_plan.count("SEARCH schedules USING INDEX schedules_due_shard (shard_count=? AND shard=?)") == 2
        # (With only a handful due in all, or for the first entry of each shard, PostgreSQL may
        # as well walk schedules_due, where the shards' schedules interleave: a few entries.)

        now = NOW + timedelta(minutes=9)

        due = await rows.due(store, now, 100, mine)
        # Minutes 0..9; shards 0 and 2 of 4 are minutes 0, 2, 4, 6, 8, all added active.
        assert [(s.guild_id >> 22) % count for s in due] == [0, 2, 0, 2, 0]
        assert [s.next_run for s in due] == [NOW + timedelta(minutes=m) for m in (0, 2, 4, 6, 8)]
        assert await rows.earliest_next_run(store, mine) == NOW
        assert await rows.earliest_next_run(store, Shards((3,), count)) == NOW + timedelta(minutes=3)
        everything = await rows.due(store, now, 100)  # a process running every shard: all of them
        assert len(everything) == 10
    finally:
        await store.close()


async def test_a_new_shard_count_keys_the_active_schedules_again(database_url, backend):
    store = await open_store(database_url)
    try:
        ids = [guild_on(s, 3, n) for s in range(3) for n in range(2)]
        for guild_id in ids:  # added by a bot on one shard: keyed for 1 (shard 0 of 1)
            await rows.add(
                store, guild_id=guild_id, channel_id=1, kind="tip", topic=None, local_time="09:00", days="daily",
                timezone="UTC", next_run=NOW, created_by=7, at=NOW,
            )
        await rows.pause(store, 6, "paused by a counsellor")
        assert await rows.due(store, NOW, 100, Shards((1,), 3)) == []  # not keyed for 3 yet
        assert await rows.unkeyed(store, 3) and not await rows.unkeyed(store, 1)

        (changed,) = await store.write(rows.key_for(3))
        assert changed == len(ids) - 1  # the paused one is keyed when it is resumed
        keyed = await store.fetchall("SELECT guild_id, shard_count, shard FROM schedules WHERE id < 6 ORDER BY id")
        assert [tuple(r) for r in keyed] == [(g, 3, (g >> 22) % 3) for g in ids[:5]]
        assert {s.guild_id for s in await rows.due(store, NOW, 100, Shards((1,), 3))} == {ids[2], ids[3]}
        assert not await rows.unkeyed(store, 3)
        (again,) = await store.write(rows.key_for(3))
        assert again == 0  # the same count: nothing written
        await rows.resume(store, 6, NOW)
        assert await rows.unkeyed(store, 3)
    finally:
        await store.close()


async def test_the_probe_for_schedules_keyed_for_another_count_reads_the_shard_index(database_url, backend):
    """Before each pass a process running some shards asks whether any active schedule is keyed
    for another count; in a database in use (every schedule keyed, statistics current) that
    probe usually finds none, and reads the shard index rather than the table. Only processes
    running some shards probe, and those need PostgreSQL (SQLite refuses such options)."""
    if backend == "sqlite":
        pytest.skip("the probe runs only in a process running some shards, which needs PostgreSQL")
    store = await seeded(database_url, 3)
    try:
        assert not await rows.unkeyed(store, 3)
        probe = await plan(store, "SELECT 1 FROM schedules WHERE " + rows._UNKEYED + " LIMIT 1", (3, 3))
        assert "schedules_due_shard" in probe and "Seq Scan" not in probe, probe
    finally:
        await store.close()


@pytest.mark.parametrize("count", [1, 2, 5])
def test_shard_of_is_discords_rule(count):
    for guild_id in (BASE, BASE + (1 << 22), 81384788765712384, 2**63 - 1):
        assert rows.shard_of(guild_id, count) == (guild_id >> 22) % count
