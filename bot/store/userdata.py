"""Everything kept about a member, in one place: export and deletion.

Each feature that stores rows about a member lists its tables here (CONVENTIONS habit 9). Both
``/privacy delete`` and ``linkwise forget`` delete through :func:`delete_user`, and a test asserts
that every table with a ``user_id`` column is listed, so nothing about a member survives.
"""

from __future__ import annotations

from typing import Any

from . import Statement, Store

# table -> what the rows are, in words a member understands (shown after deletion).
USER_TABLES: dict[str, str] = {
    "members": "your name as last seen and when you were last active",
    "member_weeks": "the weeks you were active",
    "tip_seen": "tips you have seen",
    "tip_tried": "tips you tried",
}


def _where(guild_id: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("user_id = ?", ()) if guild_id is None else ("user_id = ? AND guild_id = ?", (guild_id,))


async def export_user(store: Store, user_id: int, guild_id: int | None) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``user_id`` (in ``guild_id``, or everywhere), table by table."""
    clause, extra = _where(guild_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in USER_TABLES:
        rows = await store.fetchall(f"SELECT * FROM {table} WHERE {clause}", (user_id, *extra))
        out[table] = [dict(r) for r in rows]
    return out


async def delete_user(store: Store, user_id: int, guild_id: int | None) -> dict[str, int]:
    """Delete every row about ``user_id`` (in ``guild_id``, or in every server) in one
    transaction; return the number of rows removed per table."""
    clause, extra = _where(guild_id)
    statements: list[Statement] = [
        (f"DELETE FROM {table} WHERE {clause}", (user_id, *extra)) for table in USER_TABLES
    ]
    counts = await store.write(*statements)
    return dict(zip(USER_TABLES, counts, strict=True))
