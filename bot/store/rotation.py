"""Per-server rotation of publicly posted items (scheduled tips, prompts): no repeats in a
server until every item of the pool was posted, then the rotation starts again."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Protocol, TypeVar

from bot.clock import iso

from . import Statement, Store


class _HasId(Protocol):
    id: str


T = TypeVar("T", bound=_HasId)


async def used(store: Store, guild_id: int, kind: str) -> set[str]:
    rows = await store.fetchall("SELECT item_id FROM rotation WHERE guild_id = ? AND kind = ?", (guild_id, kind))
    return {r[0] for r in rows}


async def pick(store: Store, guild_id: int, kind: str, pool: Sequence[T]) -> tuple[T, bool]:
    """Choose an item of ``pool`` not yet used in this server (random among those left).

    Returns (item, rotation restarted). Nothing is recorded: call :func:`mark_used` with the
    same write that posts or records it, so a failed post does not use the item up.
    """
    if not pool:
        raise ValueError("the pool is empty")
    done = await used(store, guild_id, kind)
    left = [item for item in pool if item.id not in done]
    return random.choice(left or list(pool)), not left


def mark_used(
    guild_id: int, kind: str, item_id: str, at: datetime, *, restart: Collection[str] = ()
) -> tuple[Statement, ...]:
    """Statements recording ``item_id`` as used. ``restart``: the ids of a pool whose items were
    all used — only they are forgotten, so a cycle restarting for one topic (a topic-filtered
    schedule or ``/prompt topic:``) does not make the other topics repeat early."""
    statements: list[Statement] = []
    if restart:
        ids = sorted(set(restart))
        marks = ", ".join("?" for _ in ids)
        statements.append(
            (
                f"DELETE FROM rotation WHERE guild_id = ? AND kind = ? AND item_id IN ({marks})",
                (guild_id, kind, *ids),
            )
        )
    statements.append(
        (
            "INSERT OR REPLACE INTO rotation (guild_id, kind, item_id, used_at) VALUES (?, ?, ?, ?)",
            (guild_id, kind, item_id, iso(at)),
        )
    )
    return tuple(statements)
