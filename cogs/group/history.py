"""The group's last 12 weeks for /group report: the history its chart is drawn from.

History is derived, not snapshotted: ``member_weeks`` already records the weeks each member was
active, and ``checklist_done`` keeps when each ticked item was first ticked. The one thing they
lose is an item unticked later, which ``checklist_undone`` keeps (with when it had been ticked).
So a member's completion at any past instant is exact: items ticked before it and still ticked,
plus items ticked before it and unticked after it. That needs no job that wakes every week, gives
a chart for weeks before this version from the rows already there, and is covered by export and
deletion like every table with a ``user_id``.

Counsellors are told apart from members the only way a bot without the members intent can: as
Linkwise saw them at their last action (Manage Server, or the configured counsellor role), kept
in ``members.counsellor`` by the same write that records the action (``members.touch``).

The chart is drawn from it in :mod:`cogs.group.chart`.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from bot.content import Content
from bot.store import Store
from bot.store.members import iso_week

log = logging.getLogger(__name__)

WEEKS = 12


# ---------------------------------------------------------------------- the weeks
@dataclass(frozen=True)
class Week:
    start: date  # the Monday (UTC) the ISO week begins
    active: int  # members (not counsellors) who did anything that week
    completion: float | None  # the members' average checklist completion at its end, percent; None: no members


def week_starts(now: datetime, weeks: int = WEEKS) -> list[datetime]:
    """The Mondays (00:00 UTC) of the last ``weeks`` ISO weeks, this one last."""
    today = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    monday = today - timedelta(days=today.weekday())
    return [monday - timedelta(weeks=n) for n in range(weeks - 1, -1, -1)]


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _sums(cases: str, count: int) -> str:
    return ", ".join(f"SUM(CASE WHEN {cases} THEN 1 ELSE 0 END)" for _ in range(count))


def _valid(items: Sequence[tuple[str, str]]) -> tuple[str, list[str]]:
    values = ", ".join("(?, ?)" for _ in items)
    return f"WITH valid (checklist_id, item_id) AS (VALUES {values}) ", [v for pair in items for v in pair]


async def history(content: Content, store: Store, guild_id: int, now: datetime) -> list[Week]:
    """The last 12 weeks of the group (counsellors not counted), oldest first. The current
    week's completion is as of ``now``. Four aggregate queries, whatever the group's size."""
    starts = week_starts(now)
    ends = [_iso(s + timedelta(weeks=1)) for s in starts[:-1]] + [_iso(now)]
    labels = [iso_week(s) for s in starts]
    items = [(c.id, i.id) for c in content.checklists for i in c.items]

    marks = ", ".join("?" for _ in labels)
    active = {
        str(r[0]): int(r[1])
        for r in await store.fetchall(
            "SELECT w.week, COUNT(*) FROM member_weeks w "
            "JOIN members m ON m.guild_id = w.guild_id AND m.user_id = w.user_id AND m.counsellor = 0 "
            f"WHERE w.guild_id = ? AND w.week IN ({marks}) GROUP BY w.week",
            (guild_id, *labels),
        )
    }
    people = await store.fetchone(
        f"SELECT {_sums('m.first_seen <= ?', len(ends))} FROM members m WHERE m.guild_id = ? AND m.counsellor = 0",
        (*ends, guild_id),
    )
    done: list[int] = [0] * len(ends)
    if items:
        cte, params = _valid(items)
        member = "JOIN members m ON m.guild_id = d.guild_id AND m.user_id = d.user_id AND m.counsellor = 0 "
        match = "JOIN valid v ON v.checklist_id = d.checklist_id AND v.item_id = d.item_id "
        ticked = await store.fetchone(
            cte
            + f"SELECT {_sums('d.done_at <= ?', len(ends))} FROM checklist_done d "
            + match
            + member
            + "WHERE d.guild_id = ?",
            (*params, *ends, guild_id),
        )
        unticked = await store.fetchone(
            cte
            + f"SELECT {_sums('d.done_at <= ? AND d.undone_at > ?', len(ends))} FROM checklist_undone d "
            + match
            + member
            + "WHERE d.guild_id = ?",
            (*params, *(v for end in ends for v in (end, end)), guild_id),
        )
        done = [int(a or 0) + int(b or 0) for a, b in zip(ticked or (), unticked or (), strict=True)]
    weeks = []
    for n, start in enumerate(starts):
        members = int((people or [0] * len(ends))[n] or 0)
        completion = 100 * done[n] / (members * len(items)) if members and items else None
        weeks.append(Week(start.date(), active.get(labels[n], 0), completion))
    return weeks
