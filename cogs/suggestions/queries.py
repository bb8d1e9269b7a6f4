"""The suggestions feature's SQL, portable across SQLite and PostgreSQL."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple

from bot.clock import iso
from bot.store import Statement, Store
from bot.store import custom_content as content_rows

from . import rules

_COLUMNS = (
    "s.id, s.guild_id, s.user_id, s.kind, s.topic, s.title, s.body, s.status, s.reason, s.content_id, "
    "s.created_at, m.display_name"
)
_FROM = "FROM suggestions s LEFT JOIN members m ON m.guild_id = s.guild_id AND m.user_id = s.user_id "


class Suggestion(NamedTuple):  # rather than a frozen dataclass: cheaper to create, the class and each row
    id: int
    guild_id: int
    user_id: int
    kind: str  # 'tip' or 'prompt'
    topic: str | None
    title: str | None
    body: str
    status: str  # 'pending', 'approved' or 'declined'
    reason: str | None
    content_id: int | None
    created_at: str
    name: str | None  # the suggester's name as last seen


def _row(raw: Sequence[Any]) -> Suggestion:
    return Suggestion._make(raw)


def add(
    guild_id: int, user_id: int, kind: str, topic: str | None, title: str | None, body: str, at: datetime
) -> Statement:
    """Queue a suggestion unless the member made :data:`rules.PER_DAY` in the last 24 hours or
    the server has :data:`rules.PENDING_MAX` waiting: checked in the same statement. Returns its id."""
    return (
        "INSERT INTO suggestions (guild_id, user_id, kind, topic, title, body, status, created_at) "
        "SELECT ?, ?, ?, ?, ?, ?, 'pending', ? "
        "WHERE (SELECT COUNT(*) FROM suggestions WHERE guild_id = ? AND user_id = ? AND created_at > ?) < ? "
        "AND (SELECT COUNT(*) FROM suggestions WHERE guild_id = ? AND status = 'pending') < ? RETURNING id",
        (
            guild_id, user_id, kind, topic, title, body, iso(at),
            guild_id, user_id, iso(at - rules.DAY), rules.PER_DAY,
            guild_id, rules.PENDING_MAX,
        ),
    )


async def recent(store: Store, guild_id: int, user_id: int, now: datetime) -> list[datetime]:
    rows = await store.fetchall(
        "SELECT created_at FROM suggestions WHERE guild_id = ? AND user_id = ? AND created_at > ?",
        (guild_id, user_id, iso(now - rules.DAY)),
    )
    return [datetime.fromisoformat(str(r[0])) for r in rows]


async def pending_count(store: Store, guild_id: int) -> int:
    return int(
        await store.fetchval(
            "SELECT COUNT(*) FROM suggestions WHERE guild_id = ? AND status = 'pending'", (guild_id,), 0
        )
    )


async def pending(store: Store, guild_id: int, limit: int) -> list[Suggestion]:
    """The oldest waiting suggestions first."""
    rows = await store.fetchall(
        f"SELECT {_COLUMNS} {_FROM}WHERE s.guild_id = ? AND s.status = 'pending' ORDER BY s.id LIMIT ?",
        (guild_id, limit),
    )
    return [_row(r) for r in rows]


async def of_member(store: Store, guild_id: int, user_id: int, limit: int) -> list[Suggestion]:
    """The member's suggestions, newest first."""
    rows = await store.fetchall(
        f"SELECT {_COLUMNS} {_FROM}WHERE s.guild_id = ? AND s.user_id = ? ORDER BY s.id DESC LIMIT ?",
        (guild_id, user_id, limit),
    )
    return [_row(r) for r in rows]


async def get(store: Store, guild_id: int, suggestion_id: int) -> Suggestion | None:
    row = await store.fetchone(f"SELECT {_COLUMNS} {_FROM}WHERE s.id = ? AND s.guild_id = ?", (suggestion_id, guild_id))
    return None if row is None else _row(row)


async def approve(store: Store, guild_id: int, suggestion_id: int, counsellor_id: int, at: datetime) -> int | None:
    """Approve a waiting suggestion into the server's own content, once: the status changes only
    from 'pending' (and only while the server has room for another item), the item is added only
    for a suggestion approved without one yet, and both happen in one transaction, so two clicks
    at the same instant approve it once. Returns the new item's id, or None when nothing was done
    (decided already, removed, or the server's content is full)."""
    stamp = iso(at)
    counts = await store.write(
        (
            "UPDATE suggestions SET status = 'approved', decided_by = ?, decided_at = ? "
            "WHERE id = ? AND guild_id = ? AND status = 'pending' "
            "AND (SELECT COUNT(*) FROM custom_content WHERE guild_id = ?) < ?",
            (counsellor_id, stamp, suggestion_id, guild_id, guild_id, content_rows.MAX_PER_GUILD),
        ),
        (
            "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at, suggested_by) "
            "SELECT guild_id, kind, topic, title, body, ?, ?, user_id FROM suggestions "
            "WHERE id = ? AND guild_id = ? AND status = 'approved' AND content_id IS NULL RETURNING id",
            (counsellor_id, stamp, suggestion_id, guild_id),
        ),
        (
            "UPDATE suggestions SET content_id = (SELECT MAX(c.id) FROM custom_content c WHERE c.guild_id = ?) "
            "WHERE id = ? AND guild_id = ? AND status = 'approved' AND content_id IS NULL",
            (guild_id, suggestion_id, guild_id),
        ),
    )
    returned = counts.returned(1)
    return int(returned[0][0]) if counts[0] == 1 and returned else None


async def decline(
    store: Store, guild_id: int, suggestion_id: int, counsellor_id: int, reason: str | None, at: datetime
) -> bool:
    """Decline a waiting suggestion, once (the status changes only from 'pending')."""
    (changed,) = await store.write(
        (
            "UPDATE suggestions SET status = 'declined', reason = ?, decided_by = ?, decided_at = ? "
            "WHERE id = ? AND guild_id = ? AND status = 'pending'",
            (reason, counsellor_id, iso(at), suggestion_id, guild_id),
        )
    )
    return changed == 1
