"""A server's own tips and prompts (``/content``), kept per server.

``created_by`` names the counsellor who added an item: the item belongs to the server, not to
that member, so it is not part of a member's export or deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.clock import iso

from . import Store

MAX_PER_GUILD = 200  # tips and prompts together: enough for a group, and /content list stays readable

# The suggester's name is looked up where it is kept (members, as last seen), never stored here.
_COLUMNS = (
    "id, guild_id, kind, topic, title, body, created_by, created_at, suggested_by, "
    "(SELECT m.display_name FROM members m WHERE m.guild_id = custom_content.guild_id "
    "AND m.user_id = custom_content.suggested_by) AS credit"
)


@dataclass(frozen=True)
class Row:
    id: int
    guild_id: int
    kind: str  # 'tip' or 'prompt'
    topic: str | None
    title: str | None
    body: str
    created_by: int
    created_at: str
    suggested_by: int | None = None  # the member whose suggestion it was (/suggest)
    credit: str | None = None  # their name as Linkwise last saw it


def _row(raw: tuple) -> Row:
    return Row(*raw)


async def add(
    store: Store,
    *,
    guild_id: int,
    kind: str,
    topic: str | None,
    title: str | None,
    body: str,
    created_by: int,
    at: datetime,
) -> int | None:
    """Add an item and return its id (AUTOINCREMENT: never reused), or None when the server
    already has :data:`MAX_PER_GUILD` items (checked in the same statement)."""
    return await store.insert(
        "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at) "
        "SELECT ?, ?, ?, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM custom_content WHERE guild_id = ?) < ?",
        (guild_id, kind, topic, title, body, created_by, iso(at), guild_id, MAX_PER_GUILD),
    )


async def count(store: Store, guild_id: int) -> int:
    return int(await store.fetchval("SELECT COUNT(*) FROM custom_content WHERE guild_id = ?", (guild_id,), 0))


async def for_guild(store: Store, guild_id: int, kind: str | None = None, topic: str | None = None) -> list[Row]:
    """The server's items, oldest first; ``kind`` and ``topic`` filter when given."""
    sql = f"SELECT {_COLUMNS} FROM custom_content WHERE guild_id = ?"
    params: list[object] = [guild_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    if topic is not None:
        sql += " AND topic = ?"
        params.append(topic)
    rows = await store.fetchall(sql + " ORDER BY id", params, small=True)  # at most MAX_PER_GUILD, by index
    return [_row(tuple(r)) for r in rows]


async def get(store: Store, guild_id: int, item_id: int, kind: str | None = None) -> Row | None:
    """The item with this id *in this server* (another server's id is not found)."""
    sql = f"SELECT {_COLUMNS} FROM custom_content WHERE id = ? AND guild_id = ?"
    params: list[object] = [item_id, guild_id]
    if kind is not None:
        sql += " AND kind = ?"
        params.append(kind)
    row = await store.fetchone(sql, params, small=True)
    return None if row is None else _row(tuple(row))


async def remove(store: Store, guild_id: int, item_id: int) -> bool:
    """Remove the item; members' progress that names it (tips tried) is kept."""
    (removed,) = await store.write(
        ("DELETE FROM custom_content WHERE id = ? AND guild_id = ?", (item_id, guild_id))
    )
    return removed == 1
