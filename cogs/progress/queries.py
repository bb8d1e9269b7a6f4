"""What /progress reads: a member's checklist ticks, tips tried and practices shared."""

from __future__ import annotations

from collections import defaultdict

from bot.store import Store


async def done_items(store: Store, guild_id: int, user_id: int) -> dict[str, set[str]]:
    """checklist id -> item ids done, for one member."""
    rows = await store.fetchall(
        "SELECT checklist_id, item_id FROM checklist_done WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    out: dict[str, set[str]] = defaultdict(set)
    for checklist_id, item_id in rows:
        out[checklist_id].add(item_id)
    return out


async def _count(store: Store, table: str, guild_id: int, user_id: int) -> int:
    sql = f"SELECT COUNT(*) FROM {table} WHERE guild_id = ? AND user_id = ?"  # table: one of two names below
    return int(await store.fetchval(sql, (guild_id, user_id), 0))


async def tried_count(store: Store, guild_id: int, user_id: int) -> int:
    return await _count(store, "tip_tried", guild_id, user_id)


async def shares_count(store: Store, guild_id: int, user_id: int) -> int:
    """How many practices the member shared in this server."""
    return await _count(store, "prompt_shares", guild_id, user_id)
