"""Per-server rotation: a pool that ran out restarts alone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from bot.store import rotation

AT = datetime(2026, 1, 5, tzinfo=UTC)


@dataclass(frozen=True)
class Item:
    id: str


async def test_restarting_one_pool_keeps_the_other_pools_used_items(store):
    profile = [Item("profile-a"), Item("profile-b")]
    await store.write(*rotation.mark_used(1, "tip", "recruiters-a", AT))
    for item in profile:
        await store.write(*rotation.mark_used(1, "tip", item.id, AT))

    chosen, restarted = await rotation.pick(store, 1, "tip", profile)
    assert restarted
    await store.write(*rotation.mark_used(1, "tip", chosen.id, AT, restart=[i.id for i in profile]))

    assert await rotation.used(store, 1, "tip") == {"recruiters-a", chosen.id}


async def test_a_restart_touches_only_its_server_and_kind(store):
    await store.write(*rotation.mark_used(2, "tip", "profile-a", AT))
    await store.write(*rotation.mark_used(1, "prompt", "profile-a", AT))
    await store.write(*rotation.mark_used(1, "tip", "profile-b", AT, restart=["profile-a", "profile-b"]))

    assert await rotation.used(store, 2, "tip") == {"profile-a"}
    assert await rotation.used(store, 1, "prompt") == {"profile-a"}
    assert await rotation.used(store, 1, "tip") == {"profile-b"}
