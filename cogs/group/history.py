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
from datetime import UTC, date, datetime, timedelta
from typing import NamedTuple

from bot.content import Content
from bot.store import Store
from bot.store.members import iso_week
from cogs.group import queries

log = logging.getLogger(__name__)

WEEKS = 12


# ---------------------------------------------------------------------- the weeks
class Week(NamedTuple):  # rather than a frozen dataclass: cheaper to create, the class and each week
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


async def history(content: Content, store: Store, guild_id: int, now: datetime) -> list[Week]:
    """The last 12 weeks of the group (counsellors not counted), oldest first. The current
    week's completion is as of ``now``. Four aggregate queries, whatever the group's size."""
    starts = week_starts(now)
    ends = [_iso(s + timedelta(weeks=1)) for s in starts[:-1]] + [_iso(now)]
    labels = [iso_week(s) for s in starts]
    items = [(c.id, i.id) for c in content.checklists for i in c.items]

    active = await queries.active_per_week(store, guild_id, labels)
    people = await queries.members_seen_by(store, guild_id, ends)
    done = await queries.items_done_at(store, guild_id, items, ends)
    weeks = []
    for n, start in enumerate(starts):
        completion = 100 * done[n] / (people[n] * len(items)) if people[n] and items else None
        weeks.append(Week(start.date(), active.get(labels[n], 0), completion))
    return weeks
