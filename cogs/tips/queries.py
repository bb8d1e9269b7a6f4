"""Tips seen (for no-repeat rotation) and tips tried."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.clock import iso
from bot.store import Statement, Store
from bot.store.rotation import take


async def seen(store: Store, guild_id: int, user_id: int, selection: str) -> set[str]:
    rows = await store.fetchall(
        "SELECT tip_id FROM tip_seen WHERE guild_id = ? AND user_id = ? AND selection = ?",
        (guild_id, user_id, selection),
    )
    return {r[0] for r in rows}


async def next_unseen(
    store: Store,
    guild_id: int,
    user_id: int,
    selection: str,
    order: Sequence[str],
    at: datetime,
    also: Sequence[Statement] = (),
) -> tuple[str, bool]:
    """Mark the member's next tip seen and return it, with whether the selection started afresh
    (every tip of the pool, the ids of ``order``, had been seen): the first unseen tip of
    ``order``, chosen and recorded in one statement (:func:`bot.store.rotation.take`), written
    with ``also``. Two clicks at the same instant never get the same tip."""
    return await take(
        store,
        "tip_seen",
        (("guild_id", guild_id), ("user_id", user_id), ("selection", selection)),
        "tip_id",
        order,
        (("seen_at", iso(at)),),
        whole_scope=True,
        also=also,
    )


def mark_seen(
    guild_id: int, user_id: int, selection: str, tip_id: str, at: datetime, *, restart_cycle: bool = False
) -> tuple[Statement, ...]:
    """Statements marking ``tip_id`` seen; with ``restart_cycle`` the selection starts afresh."""
    statements: list[Statement] = []
    if restart_cycle:
        statements.append(
            (
                "DELETE FROM tip_seen WHERE guild_id = ? AND user_id = ? AND selection = ?",
                (guild_id, user_id, selection),
            )
        )
    statements.append(
        (
            "INSERT INTO tip_seen (guild_id, user_id, selection, tip_id, seen_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, selection, tip_id, iso(at)),
        )
    )
    return tuple(statements)


def mark_tried(guild_id: int, user_id: int, tip_id: str, at: datetime) -> Statement:
    """Idempotent: a second click leaves the first record (and its time) as it was."""
    return (
        "INSERT INTO tip_tried (guild_id, user_id, tip_id, tried_at) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (guild_id, user_id, tip_id, iso(at)),
    )


async def tried_count(store: Store, guild_id: int, user_id: int) -> int:
    return int(
        await store.fetchval(
            "SELECT COUNT(*) FROM tip_tried WHERE guild_id = ? AND user_id = ?", (guild_id, user_id), 0
        )
    )
