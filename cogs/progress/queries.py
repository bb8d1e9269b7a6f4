"""What /progress reads of its own: tips tried and practices shared (checklist ticks: `bot.store.checklists`)."""

from __future__ import annotations

from bot.store import Store


async def _count(store: Store, table: str, guild_id: int, user_id: int) -> int:
    sql = f"SELECT COUNT(*) FROM {table} WHERE guild_id = ? AND user_id = ?"  # table: one of two names below
    return int(await store.fetchval(sql, (guild_id, user_id), 0))


async def tried_count(store: Store, guild_id: int, user_id: int) -> int:
    return await _count(store, "tip_tried", guild_id, user_id)


async def shares_count(store: Store, guild_id: int, user_id: int) -> int:
    """How many practices the member shared in this server."""
    return await _count(store, "prompt_shares", guild_id, user_id)
