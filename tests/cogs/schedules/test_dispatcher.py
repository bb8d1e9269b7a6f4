"""The schedule store on a real SQLite file: the at-most-once claim, the 25 limit under
concurrency, ids never reused, and due-schedule queries that use the next-run index."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta

import pytest

from bot.store import Store
from cogs.schedules import queries as rows
from cogs.schedules import rules as scheduling
from tests.backends import sqlite_only

T0 = datetime(2026, 1, 5, 14, 0, tzinfo=UTC)  # a Monday, 09:00 in Toronto


async def add(store: Store, guild_id: int = 1, next_run: datetime = T0) -> int | None:
    return await rows.add(
        store,
        guild_id=guild_id,
        channel_id=10,
        kind="tip",
        topic=None,
        local_time="09:00",
        days="weekdays",
        timezone="America/Toronto",
        next_run=next_run,
        created_by=99,
        at=T0 - timedelta(days=1),
    )


async def slots(store: Store) -> list[tuple[str, str]]:
    return [tuple(r) for r in await store.fetchall("SELECT slot, status FROM schedule_slots ORDER BY slot")]


async def settle(store: Store, schedule: rows.Schedule, now: datetime) -> tuple[datetime | None, bool]:
    """What the dispatcher does for one due schedule: (slot to post, whether this wake claimed it)."""
    post, skipped, upcoming = scheduling.catch_up(
        schedule.next_run, now, schedule.at, scheduling.parse_days(schedule.days), schedule.zone
    )
    counts = await store.write(*rows.settle(schedule, post, skipped, upcoming, now))
    return post, post is not None and counts[0] == 1


async def test_two_wakes_reading_the_same_due_schedule_claim_its_slot_once(store):
    await add(store)
    now = T0 + timedelta(seconds=5)
    first, second = await rows.due(store, now, 10), await rows.due(store, now, 10)

    results = await asyncio.gather(settle(store, first[0], now), settle(store, second[0], now))

    assert sorted(claimed for _, claimed in results) == [False, True]
    assert await slots(store) == [("2026-01-05T14:00:00+00:00", "claimed")]
    assert (await rows.get(store, 1, 1)).next_run == T0 + timedelta(days=1)
    assert await rows.due(store, now, 10) == []


async def test_a_schedule_paused_or_removed_after_being_read_is_not_claimed(store):
    await add(store)
    await add(store)
    stale_paused, stale_removed = await rows.due(store, T0, 10)
    await rows.pause(store, stale_paused.id, "paused by Morgan")
    await rows.remove(store, 1, stale_removed.id)

    assert [await settle(store, s, T0) for s in (stale_paused, stale_removed)] == [(T0, False), (T0, False)]
    assert await store.fetchall("SELECT * FROM schedule_slots") == []
    assert (await rows.get(store, 1, stale_paused.id)).next_run == T0  # untouched while paused


async def test_skipped_slots_are_recorded_and_only_the_fresh_one_is_claimed(store):
    await add(store)
    now = T0 + timedelta(days=3, minutes=30)  # Thursday 09:30 in Toronto: Mon, Tue, Wed missed

    [schedule] = await rows.due(store, now, 10)
    post, claimed = await settle(store, schedule, now)

    assert (post, claimed) == (T0 + timedelta(days=3), True)
    assert await slots(store) == [
        ("2026-01-05T14:00:00+00:00", "skipped"),
        ("2026-01-06T14:00:00+00:00", "skipped"),
        ("2026-01-07T14:00:00+00:00", "skipped"),
        ("2026-01-08T14:00:00+00:00", "claimed"),
    ]


async def test_slots_go_with_their_schedule(store):
    await add(store)
    await settle(store, (await rows.due(store, T0, 10))[0], T0)
    assert await rows.remove(store, 1, 1)
    assert await store.fetchall("SELECT * FROM schedule_slots") == []


async def test_the_limit_holds_when_many_counsellors_add_at_once_and_ids_are_never_reused(store):
    ids = await asyncio.gather(*(add(store) for _ in range(rows.MAX_PER_GUILD + 5)))

    assert sorted(i for i in ids if i is not None) == list(range(1, rows.MAX_PER_GUILD + 1))
    assert ids.count(None) == 5
    assert await add(store, guild_id=2) == rows.MAX_PER_GUILD + 1  # another server is not limited
    await rows.remove(store, 2, rows.MAX_PER_GUILD + 1)
    assert await add(store, guild_id=2) == rows.MAX_PER_GUILD + 2


async def test_another_servers_schedule_is_not_found(store):
    await add(store, guild_id=1)
    assert await rows.get(store, 2, 1) is None
    assert not await rows.remove(store, 2, 1)
    assert await rows.get(store, 1, 1) is not None


@pytest.mark.parametrize(
    ("sql", "params", "plan"),
    [
        # A range search on the index: proportional to the schedules due.
        (rows.DUE_SQL, (T0.isoformat(), 10), "SEARCH schedules USING INDEX schedules_due (next_run<?)"),
        # The index is in next_run order: LIMIT 1 stops at its first entry, with no sort.
        (rows.EARLIEST_SQL, (), "SCAN schedules USING INDEX schedules_due"),
    ],
)
@sqlite_only(
    "reads SQLite's EXPLAIN QUERY PLAN; on PostgreSQL: "
    "tests/bot/store/test_postgres.py::test_the_due_schedule_query_walks_the_partial_index"
)
async def test_due_queries_walk_the_next_run_index(store, sql, params, plan):
    assert [r[3] for r in await store.fetchall(f"EXPLAIN QUERY PLAN {sql}", params)] == [plan]


async def test_due_returns_active_due_schedules_earliest_first_among_many(tmp_path):
    path = tmp_path / "many.db"
    store = await Store.open(path)
    await store.close()
    with sqlite3.connect(path) as conn:  # 20,000 schedules, 3 due, 1 paused
        conn.executemany(
            "INSERT INTO schedules (guild_id, channel_id, kind, local_time, days, timezone, next_run, "
            "paused_reason, created_by, created_at) "
            "VALUES (?, 1, 'tip', '09:00', 'daily', 'UTC', ?, ?, 1, '2026-01-01T00:00:00+00:00')",
            [(n, (T0 + timedelta(minutes=n - 3)).isoformat(), "paused" if n == 1 else None) for n in range(20_000)],
        )
    store = await Store.open(path)
    try:
        due = await rows.due(store, T0, 100)
        assert [s.guild_id for s in due] == [0, 2, 3]
        assert await rows.earliest_next_run(store) == T0 - timedelta(minutes=3)
    finally:
        await store.close()


async def settle_all(store: Store, due: list[rows.Schedule], now: datetime) -> dict[int, datetime | None]:
    """What the dispatcher does for a wake's due schedules in one write: each one's slot to post
    if this wake claimed it (None otherwise)."""
    settlings = []
    for schedule in due:
        post, skipped, upcoming = scheduling.catch_up(
            schedule.next_run, now, schedule.at, scheduling.parse_days(schedule.days), schedule.zone
        )
        settlings.append(rows.Settling(schedule, post, tuple(skipped), upcoming))
    statements, claims = rows.settle_all(settlings, now)
    counts = await store.write(*statements)
    mine = {row[0] for claim in claims for row in counts.returned(claim)}
    return {s.schedule.id: s.post if s.schedule.id in mine else None for s in settlings}


async def test_two_wakes_settling_the_same_batch_at_once_claim_each_slot_once(store, monkeypatch):
    monkeypatch.setattr(rows, "MAX_IDS", 2)  # several statements per group, as with hundreds due
    for _ in range(5):
        await add(store)  # due at T0 (09:00 Toronto)
    for _ in range(2):
        await add(store, next_run=T0 - timedelta(days=3))  # due since Friday: skipped, then Monday's
    now = T0 + timedelta(seconds=5)
    first, second = await rows.due(store, now, 10), await rows.due(store, now, 10)

    one, other = await asyncio.gather(settle_all(store, first, now), settle_all(store, second, now))

    claimed = sorted((i, slot) for result in (one, other) for i, slot in result.items() if slot is not None)
    assert claimed == [(i, T0) for i in range(1, 8)]  # every slot once, by one wake or the other
    assert [
        (s, n)
        for s, n in await store.fetchall("SELECT status, COUNT(*) FROM schedule_slots GROUP BY status ORDER BY status")
    ] == [("claimed", 7), ("skipped", 2)]  # Friday's slot, once for each of its two schedules
    assert {s.next_run for s in await rows.for_guild(store, 1)} == {T0 + timedelta(days=1)}
    assert await rows.due(store, now, 10) == []


async def test_a_batch_leaves_a_schedule_paused_or_removed_after_being_read_and_claims_the_rest(store):
    for _ in range(4):
        await add(store)
    due = await rows.due(store, T0, 10)
    await rows.pause(store, 2, "paused by Morgan")
    await rows.remove(store, 1, 3)
    now = T0 + timedelta(days=2, minutes=30)  # Wednesday 09:30 in Toronto: Monday and Tuesday missed

    assert await settle_all(store, due, now) == {1: T0 + timedelta(days=2), 2: None, 3: None, 4: T0 + timedelta(days=2)}
    assert [
        tuple(r) for r in await store.fetchall("SELECT schedule_id, slot, status FROM schedule_slots ORDER BY 1, 2")
    ] == [
        (schedule_id, (T0 + timedelta(days=day)).isoformat(), status)
        for schedule_id in (1, 4)
        for day, status in ((0, "skipped"), (1, "skipped"), (2, "claimed"))
    ]
    assert (await rows.get(store, 1, 2)).next_run == T0  # untouched while paused
    assert (await rows.get(store, 1, 4)).next_run == T0 + timedelta(days=3)
