"""Concurrent members, double submits and cancelled tasks on the real store (issue 10, cases 4
and 15).

Already covered elsewhere, and not repeated here: 50 members ticking the same items at once
with every submit sent twice, and a finish celebrated once when submitted twice at once
(tests/cogs/checklists/test_progress.py); callers cancelled mid-gather (tests/bot/store/test_store.py).
"""

from __future__ import annotations

import asyncio
import sqlite3
from collections import Counter

import psycopg

from bot.content import default_content
from bot.identity import Member
from bot.store import DIRECT_MAX_STATEMENTS, Store, StoreError
from cogs.checklists import service as progress
from cogs.tips import service as tips
from tests.db import rows

CONTENT = default_content()
BASICS = CONTENT.checklist("profile-basics")
GUILD = 900000000000000001


# ---------------------------------------------------------------------- case 4
async def test_a_double_click_on_the_same_submit_keeps_exact_state_and_celebrates_once(group, database_url):
    shown = await group.alice.slash(group.channel, "checklist", name=BASICS.id)
    message = shown.response.message  # the message as it was clicked: both clicks come from it
    everything = list(BASICS.item_ids)

    await group.alice.select(message, everything)
    assert "You finished" in shown.response.content
    await group.alice.select(message, everything)
    assert not shown.response.content  # celebrated once
    assert f"{len(everything)}/{len(everything)}" in shown.response.embeds[0].fields[0].value
    assert sorted(rows(database_url, "SELECT item_id FROM checklist_done")) == sorted((i,) for i in everything)
    assert len(rows(database_url, "SELECT * FROM checklist_celebrated")) == 1
    assert len(rows(database_url, "SELECT * FROM members")) == 1
    assert len(rows(database_url, "SELECT * FROM member_weeks")) == 1


async def test_fifty_members_changing_their_minds_at_once_end_with_their_last_choice(store, database_url):
    """Each member sends two different selections at once (a tick, then a change of mind) and
    marks a tip as tried in the same instant: the second selection wins for every member, and
    no row is lost or duplicated in any table."""
    members = [Member(GUILD, 1000 + n, f"Member {n}") for n in range(50)]
    items = BASICS.item_ids
    first = {m.user_id: list(items[: 1 + m.user_id % len(items)]) for m in members}
    last = {m.user_id: list(items[m.user_id % 3 :: 2]) for m in members}
    tip = CONTENT.tips[0]

    await asyncio.gather(
        *(
            call
            for m in members
            for call in (
                progress.set_done(CONTENT, store, m, BASICS, first[m.user_id]),
                progress.set_done(CONTENT, store, m, BASICS, last[m.user_id]),
                tips.mark_tried(CONTENT, store, m, tip.id),
            )
        )
    )

    done = rows(database_url, "SELECT user_id, item_id FROM checklist_done")
    assert sorted(done) == sorted((u, i) for u, picks in last.items() for i in picks)
    assert len(rows(database_url, "SELECT * FROM members")) == 50
    assert len(rows(database_url, "SELECT * FROM member_weeks")) == 50
    assert sorted(rows(database_url, "SELECT user_id FROM tip_tried")) == [(m.user_id,) for m in members]
    for m in members:
        assert (await progress.checklist_progress(CONTENT, store, GUILD, m.user_id))[0].done == set(last[m.user_id])


# ---------------------------------------------------------------------- case 15
# The store's single writer task (group commit, on both engines), cancelled at each point of
# its batch.

def writer_task() -> asyncio.Task | None:
    return next((t for t in asyncio.all_tasks() if t.get_name() == "linkwise-store-writer" and not t.done()), None)


async def until(condition, limit: int = 10_000) -> None:
    for _ in range(limit):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the condition never held")


def pair(n: int) -> tuple[tuple[str, tuple], ...]:
    """One write of two rows: both land or neither does."""
    return tuple(("INSERT INTO meta (key, value) VALUES (?, ?)", (f"{n}:{half}", "v")) for half in ("a", "b"))


async def assert_whole_writes(store: Store, committed: set[int]) -> None:
    """Exactly the writes in ``committed`` landed, each with both of its rows."""
    keys = [r[0] for r in await store.fetchall("SELECT key FROM meta WHERE key LIKE '%:%'")]
    by_write = Counter(int(key.split(":")[0]) for key in keys)
    assert set(by_write.values()) <= {2}, "a write landed in part"
    assert set(by_write) == committed
    if store.engine == "sqlite":
        assert await store.fetchval("PRAGMA integrity_check") == "ok"


async def test_cancelling_the_writer_mid_batch_answers_every_caller_and_loses_nothing(store):
    callers = [asyncio.create_task(store.write(*pair(n))) for n in range(100)]
    await until(lambda: writer_task() is not None)
    writer = writer_task()
    for _ in range(3):  # cancelled again and again, as a shutdown may do
        await asyncio.sleep(0)
        writer.cancel()
    late = [asyncio.create_task(store.write(*pair(n))) for n in range(100, 150)]  # queued meanwhile

    results = await asyncio.wait_for(asyncio.gather(*callers, *late, return_exceptions=True), timeout=10)

    assert results == [[1, 1]] * 150  # every caller heard that its write committed
    assert writer.cancelled()
    await assert_whole_writes(store, set(range(150)))
    assert await store.write(*pair(999)) == [1, 1]  # and the store carries on
    await assert_whole_writes(store, set(range(150)) | {999})


async def test_cancelling_the_writer_while_it_waits_for_a_read_loses_no_write(store):
    """The writer queues behind a long read; cancelled there, it has not taken its batch yet."""
    slow_read = asyncio.create_task(
        store.fetchval(
            "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 300000) SELECT COUNT(*) FROM c"
        )
    )
    await asyncio.sleep(0)
    callers = [asyncio.create_task(store.write(*pair(n))) for n in range(20)]
    await until(lambda: writer_task() is not None)
    await asyncio.sleep(0)
    writer_task().cancel()

    results = await asyncio.wait_for(asyncio.gather(*callers, return_exceptions=True), timeout=10)

    assert await slow_read == 300000
    assert results == [[1, 1]] * 20
    await assert_whole_writes(store, set(range(20)))


async def test_a_failing_batch_cancelled_midway_still_fails_only_its_own_callers(store):
    # Enough writes that SQLite's batch goes to the connection's thread (a small one is
    # committed at once on the event loop's thread, before anything could cancel it).
    good = [asyncio.create_task(store.write(*pair(n))) for n in range(DIRECT_MAX_STATEMENTS)]
    bad = asyncio.create_task(store.write(*pair(5)))  # the same keys again: a constraint error
    await until(lambda: writer_task() is not None)
    await asyncio.sleep(0)  # the writer has taken the batch and runs it on the connection's thread
    writer_task().cancel()

    results = await asyncio.wait_for(asyncio.gather(*good, bad, return_exceptions=True), timeout=10)

    assert results[:-1] == [[1, 1]] * len(good)
    assert isinstance(results[-1], sqlite3.IntegrityError | psycopg.errors.UniqueViolation)
    await assert_whole_writes(store, set(range(len(good))))


async def test_a_writer_cancelled_before_it_ran_tells_its_callers_nothing_was_saved(store):
    callers = [asyncio.create_task(store.write(*pair(n))) for n in range(5)]
    await until(lambda: writer_task() is not None)
    writer_task().cancel()  # before its first step: it never takes the queue

    results = await asyncio.wait_for(asyncio.gather(*callers, return_exceptions=True), timeout=10)

    assert all(isinstance(r, StoreError) and "not saved" in str(r) for r in results), results
    await assert_whole_writes(store, set())
    assert await store.write(*pair(7)) == [1, 1]  # a new writer takes over
    await assert_whole_writes(store, {7})
