"""Checklist progress written: which items each member marked done, and finished lists celebrated
(read back with `bot.store.checklists.done_items`)."""

from __future__ import annotations

from collections.abc import Collection
from datetime import datetime, timedelta

from bot.clock import iso
from bot.store import Statement, marks

HISTORY_KEPT = timedelta(weeks=13)  # un-ticks older than this no longer show in the 12-week chart


def set_done(
    guild_id: int, user_id: int, checklist_id: str, item_ids: Collection[str], at: datetime
) -> tuple[Statement, ...]:
    """Statements making the member's done items of ``checklist_id`` exactly ``item_ids``.

    Set semantics in one transaction: items not selected are removed, selected ones are kept
    (with their first done time) or added. Replaying the same selection changes nothing.
    """
    ids = sorted(set(item_ids))
    keep = f" AND item_id NOT IN ({marks(len(ids))})" if ids else ""
    week_start = (at - timedelta(days=at.weekday())).replace(hour=0, minute=0, second=0, microsecond=0)
    statements: list[Statement] = [
        # History for the group chart: an item unticked now had been done since done_at. Kept
        # only when it was ticked before this week began (else no week's end saw it done).
        (
            "INSERT INTO checklist_undone (guild_id, user_id, checklist_id, item_id, done_at, undone_at) "
            "SELECT guild_id, user_id, checklist_id, item_id, done_at, ? FROM checklist_done "
            f"WHERE guild_id = ? AND user_id = ? AND checklist_id = ? AND done_at < ?{keep} ON CONFLICT DO NOTHING",
            (iso(at), guild_id, user_id, checklist_id, iso(week_start), *ids),
        ),
        (
            "DELETE FROM checklist_undone WHERE guild_id = ? AND user_id = ? AND undone_at < ?",
            (guild_id, user_id, iso(at - HISTORY_KEPT)),
        ),
        (
            f"DELETE FROM checklist_done WHERE guild_id = ? AND user_id = ? AND checklist_id = ?{keep}",
            (guild_id, user_id, checklist_id, *ids),
        )
    ]
    stamp = iso(at)
    statements.extend(
        (
            "INSERT INTO checklist_done (guild_id, user_id, checklist_id, item_id, done_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, checklist_id, item_id, stamp),
        )
        for item_id in ids
    )
    return tuple(statements)


def celebrate_once(guild_id: int, user_id: int, checklist_id: str, at: datetime) -> Statement:
    """Row count 1 the first time a member finishes this list, 0 ever after."""
    return (
        "INSERT INTO checklist_celebrated (guild_id, user_id, checklist_id, celebrated_at) "
        "VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
        (guild_id, user_id, checklist_id, iso(at)),
    )
