"""Rotations on the real store: chosen and recorded in one step, a pool that ran out restarts
alone, and concurrent choosers never take the same item."""

from __future__ import annotations

import asyncio
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store import rotation
from cogs.tips import queries as tip_rows

AT = datetime(2026, 1, 5, tzinfo=UTC)


async def take(store, guild_id, kind, pool):
    return await rotation.claim(store, guild_id, kind, pool, AT)


async def test_restarting_one_pool_keeps_the_other_pools_used_items(store):
    profile = ["profile-a", "profile-b"]
    await take(store, 1, "tip", ["recruiters-a"])
    first = await take(store, 1, "tip", profile)
    second = await take(store, 1, "tip", profile)
    assert {first.item_id, second.item_id} == set(profile)
    assert not first.restarted and not second.restarted

    third = await take(store, 1, "tip", profile)

    assert third.restarted
    assert await rotation.used(store, 1, "tip") == {"recruiters-a", third.item_id}


async def test_a_restart_touches_only_its_server_and_kind(store):
    await take(store, 2, "tip", ["profile-a"])
    await take(store, 1, "prompt", ["profile-a"])
    await take(store, 1, "tip", ["profile-a"])

    again = await take(store, 1, "tip", ["profile-a"])

    assert again.restarted and again.item_id == "profile-a"
    assert await rotation.used(store, 2, "tip") == {"profile-a"}
    assert await rotation.used(store, 1, "prompt") == {"profile-a"}
    assert await rotation.used(store, 1, "tip") == {"profile-a"}


async def test_claims_at_the_same_instant_never_take_the_same_item_and_restart_once(store):
    pool = [f"item-{n}" for n in range(10)]

    claims = await asyncio.gather(*(take(store, 1, "prompt", pool) for _ in range(25)))

    # 25 claims on a pool of 10: two whole cycles, then five of a third, in commit order.
    assert [c.restarted for c in claims].count(True) == 2
    counts = Counter(c.item_id for c in claims)
    assert set(counts) == set(pool) and set(counts.values()) <= {2, 3}
    for n in range(0, 25, 10):
        cycle = [c.item_id for c in claims[n : n + 10]]
        assert len(set(cycle)) == len(cycle)  # no repeat inside a cycle
    assert len(await rotation.used(store, 1, "prompt")) == 5


async def test_giving_back_removes_only_that_claims_row(store):
    mine = await take(store, 1, "tip", ["only"])
    theirs = await take(store, 1, "tip", ["only"])  # the pool ran out: a new cycle takes it again
    assert theirs.restarted and theirs.item_id == mine.item_id == "only"

    (released,) = await store.write(mine.release())  # mine was already forgotten by the restart

    assert released == 0
    assert await rotation.used(store, 1, "tip") == {"only"}
    (released,) = await store.write(theirs.release())
    assert released == 1 and await rotation.used(store, 1, "tip") == set()


async def test_a_members_tips_at_the_same_instant_are_all_different_and_all_recorded(store):
    pool = [f"tip-{n}" for n in range(8)]

    results = await asyncio.gather(*(tip_rows.next_unseen(store, 1, 7, "all", pool, AT) for _ in range(8)))

    assert sorted(chosen for chosen, _ in results) == sorted(pool)
    assert not any(restarted for _, restarted in results)  # no restart: exactly the pool's size
    assert await tip_rows.seen(store, 1, 7, "all") == set(pool)
    chosen, restarted = await tip_rows.next_unseen(store, 1, 7, "all", pool, AT)
    assert restarted  # the ninth restarts the selection...
    assert await tip_rows.seen(store, 1, 7, "all") == {chosen}  # ...from the tip it shows


async def test_members_running_out_of_tips_at_the_same_instant_restart_once(store):
    """Six clicks on a pool of four: the first four take it, the last two both find it used up;
    one of them restarts the selection, the other takes the next tip of the new cycle."""
    pool = [f"tip-{n}" for n in range(4)]

    results = await asyncio.gather(*(tip_rows.next_unseen(store, 1, 7, "all", pool, AT) for _ in range(6)))

    assert [restarted for _, restarted in results].count(True) == 1
    assert sorted(chosen for chosen, _ in results[:4]) == sorted(pool)
    late = {chosen for chosen, _ in results[4:]}
    assert len(late) == 2 and await tip_rows.seen(store, 1, 7, "all") == late


def test_the_random_order_takes_every_item_first_as_often():
    """Uniform: over many draws each of three items comes first about a third of the time
    (bounds nearly eight standard deviations wide)."""
    firsts = Counter(rotation.random_order([Item("a"), Item("b"), Item("c")])[0].id for _ in range(3000))
    assert set(firsts) == {"a", "b", "c"} and all(800 < n < 1200 for n in firsts.values())


@dataclass(frozen=True)
class Item:
    id: str


def test_the_random_order_is_a_permutation_without_duplicates():
    pool = [Item("a"), Item("b"), Item("c"), Item("b")]
    order = rotation.random_order(pool)
    assert sorted(i.id for i in order) == ["a", "b", "c"]


async def test_an_item_removed_between_reading_the_pool_and_choosing_is_given_back_and_replaced(
    store, monkeypatch
):
    """The removal lands right after the pool was read: the custom item is chosen (it comes
    first), found gone, given back, and a built-in item of the pool as it is now is taken."""
    from bot import custom_content
    from bot.content import Tip
    from bot.store import custom_content as rows

    number = await rows.add(
        store, guild_id=1, kind="tip", topic="profile", title="Mine", body="x" * 30, created_by=9, at=AT
    )
    custom = Tip(f"custom-tip-{number}", "profile", "Mine", "x" * 30, custom=True)
    builtin = Tip("profile-a", "profile", "A", "y" * 30)
    reads = []

    async def load_pool():
        reads.append(1)
        pool = [custom, builtin] if len(reads) == 1 else [builtin]
        if len(reads) == 1:
            await rows.remove(store, 1, number)  # a counsellor removes it just now
        return pool

    monkeypatch.setattr(rotation, "random_order", list)  # the pool's own order: custom first
    item, claim, size = await custom_content.claim_live(store, 1, "tip", load_pool, "empty")

    assert item == builtin and claim.item_id == "profile-a" and size == 1
    assert len(reads) == 2
    assert await rotation.used(store, 1, "tip") == {"profile-a"}  # the removed one was given back
