"""The group report's queries: a few aggregates over the whole server, never one query per member.

Every count is limited to members in the ``members`` table (anyone who did anything), so the
report's rows and its averages describe the same people.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot.store import Store, marks


async def members(store: Store, guild_id: int) -> list[tuple[int, str, str, bool]]:
    """(user_id, display name as last seen, last active, counsellor when last seen) for every
    member with any activity."""
    rows = await store.fetchall(
        "SELECT user_id, display_name, last_active, counsellor FROM members WHERE guild_id = ?", (guild_id,)
    )
    return [(int(r[0]), str(r[1]), str(r[2]), bool(r[3])) for r in rows]


def _valid(items: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    """A CTE naming the checklist items that exist now, so retired items never count."""
    values = ", ".join("(?, ?)" for _ in items)
    return f"WITH valid (checklist_id, item_id) AS (VALUES {values}) ", [v for pair in items for v in pair]


async def done_per_member(
    store: Store, guild_id: int, items: Sequence[tuple[str, str]]
) -> list[tuple[int, str, int]]:
    """(user_id, checklist_id, items done) for every member and list with anything done."""
    if not items:
        return []
    cte, params = _valid(items)
    rows = await store.fetchall(
        cte + "SELECT d.user_id, d.checklist_id, COUNT(*) FROM checklist_done d "
        "JOIN valid v ON v.checklist_id = d.checklist_id AND v.item_id = d.item_id "
        "JOIN members m ON m.guild_id = d.guild_id AND m.user_id = d.user_id "
        "WHERE d.guild_id = ? GROUP BY d.user_id, d.checklist_id",
        (*params, guild_id),
    )
    return [(int(r[0]), str(r[1]), int(r[2])) for r in rows]


async def done_per_item(store: Store, guild_id: int, items: Sequence[tuple[str, str]]) -> dict[tuple[str, str], int]:
    """(checklist_id, item_id) -> how many members (not counsellors) ticked it (items nobody
    ticked are absent)."""
    if not items:
        return {}
    cte, params = _valid(items)
    rows = await store.fetchall(
        cte + "SELECT d.checklist_id, d.item_id, COUNT(*) FROM checklist_done d "
        "JOIN valid v ON v.checklist_id = d.checklist_id AND v.item_id = d.item_id "
        "JOIN members m ON m.guild_id = d.guild_id AND m.user_id = d.user_id AND m.counsellor = 0 "
        "WHERE d.guild_id = ? GROUP BY d.checklist_id, d.item_id",
        (*params, guild_id),
    )
    return {(str(r[0]), str(r[1])): int(r[2]) for r in rows}


# ---------------------------------------------------------------------- the 12-week history
_MEMBER = "JOIN members m ON m.guild_id = d.guild_id AND m.user_id = d.user_id AND m.counsellor = 0 "
_VALID_ITEM = "JOIN valid v ON v.checklist_id = d.checklist_id AND v.item_id = d.item_id "


def _sums(cases: str, count: int) -> str:
    return ", ".join(f"SUM(CASE WHEN {cases} THEN 1 ELSE 0 END)" for _ in range(count))


async def active_per_week(store: Store, guild_id: int, weeks: Sequence[str]) -> dict[str, int]:
    """ISO week (``2026-W49``) -> members (not counsellors) active that week, for ``weeks``."""
    rows = await store.fetchall(
        "SELECT w.week, COUNT(*) FROM member_weeks w "
        "JOIN members m ON m.guild_id = w.guild_id AND m.user_id = w.user_id AND m.counsellor = 0 "
        f"WHERE w.guild_id = ? AND w.week IN ({marks(len(weeks))}) GROUP BY w.week",
        (guild_id, *weeks),
    )
    return {str(r[0]): int(r[1]) for r in rows}


async def members_seen_by(store: Store, guild_id: int, moments: Sequence[str]) -> list[int]:
    """For each moment (ISO text, UTC), how many members (not counsellors) Linkwise had seen by then."""
    row = await store.fetchone(
        f"SELECT {_sums('m.first_seen <= ?', len(moments))} FROM members m WHERE m.guild_id = ? AND m.counsellor = 0",
        (*moments, guild_id),
    )
    return [int(value or 0) for value in (row or [0] * len(moments))]


async def items_done_at(
    store: Store, guild_id: int, items: Sequence[tuple[str, str]], moments: Sequence[str]
) -> list[int]:
    """For each moment (ISO text, UTC), how many of ``items`` members (not counsellors) had
    ticked at that moment: ticked before it and still ticked, plus ticked before it and
    unticked after it (kept in ``checklist_undone``)."""
    if not items:
        return [0] * len(moments)
    cte, params = _valid(items)
    ticked = await store.fetchone(
        cte
        + f"SELECT {_sums('d.done_at <= ?', len(moments))} FROM checklist_done d "
        + _VALID_ITEM
        + _MEMBER
        + "WHERE d.guild_id = ?",
        (*params, *moments, guild_id),
    )
    unticked = await store.fetchone(
        cte
        + f"SELECT {_sums('d.done_at <= ? AND d.undone_at > ?', len(moments))} FROM checklist_undone d "
        + _VALID_ITEM
        + _MEMBER
        + "WHERE d.guild_id = ?",
        (*params, *(v for moment in moments for v in (moment, moment)), guild_id),
    )
    return [int(a or 0) + int(b or 0) for a, b in zip(ticked or (), unticked or (), strict=True)]


async def _per_member(store: Store, table: str, guild_id: int) -> dict[int, int]:
    rows = await store.fetchall(
        f"SELECT t.user_id, COUNT(*) FROM {table} t "
        "JOIN members m ON m.guild_id = t.guild_id AND m.user_id = t.user_id "
        "WHERE t.guild_id = ? GROUP BY t.user_id",
        (guild_id,),
    )
    return {int(r[0]): int(r[1]) for r in rows}


async def tips_tried(store: Store, guild_id: int) -> dict[int, int]:
    return await _per_member(store, "tip_tried", guild_id)


async def practices_shared(store: Store, guild_id: int) -> dict[int, int]:
    return await _per_member(store, "prompt_shares", guild_id)
