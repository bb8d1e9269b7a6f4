"""The group report behind /group report: who is progressing, who is stuck, and the CSV.

One row per member with any activity (the ``members`` table), names as the bot last saw them
(there is no members intent). Counsellors (as Linkwise last saw them interact) are in the CSV,
marked, but not counted in the summary's figures: their own clicks are not the group's progress.
Built from a handful of aggregate queries, so a group of
thousands reports within the interaction's deadline.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta
from typing import NamedTuple

from bot.content import Checklist, ChecklistItem, Content
from bot.store import Store
from bot.ui import percent
from cogs.group import queries

ACTIVE_WINDOW = timedelta(days=7)
LEAST_DONE = 3

# A spreadsheet runs a cell that starts with one of these as a formula ("CSV injection"); a
# leading apostrophe makes it plain text. Names are the members' own, so they are not trusted.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


# The report's records are NamedTuples rather than frozen dataclasses: their classes cost a
# fraction as much to create when the extension loads, and a group of thousands is thousands of rows.
class MemberRow(NamedTuple):
    user_id: int
    name: str
    done: dict[str, int]  # checklist id -> items done
    tips_tried: int
    practices_shared: int
    last_active: str  # ISO 8601, as stored
    counsellor: bool = False  # a counsellor when Linkwise last saw them: listed apart, not counted


class ItemShare(NamedTuple):
    checklist: Checklist
    item: ChecklistItem
    members: int  # members who ticked it

    def share(self, of: int) -> int:
        return percent(self.members, of)


class Report(NamedTuple):
    checklists: tuple[Checklist, ...]
    rows: list[MemberRow]  # everyone with any activity, counsellors included (the CSV)
    active_recently: int  # members (not counsellors) active within ACTIVE_WINDOW
    least_done: list[ItemShare]

    @property
    def member_rows(self) -> list[MemberRow]:
        """The group's members: the summary's figures count these, never counsellors."""
        return [row for row in self.rows if not row.counsellor]

    @property
    def counsellors(self) -> list[MemberRow]:
        return [row for row in self.rows if row.counsellor]

    @property
    def members(self) -> int:
        return len(self.member_rows)

    def average(self, checklist: Checklist) -> int:
        """The members' average completion of ``checklist``, in percent (counsellors not counted)."""
        rows = self.member_rows
        if not rows or not checklist.items:
            return 0
        total = sum(row.done.get(checklist.id, 0) for row in rows)
        return percent(total, len(rows) * len(checklist.items))


async def build(content: Content, store: Store, guild_id: int, now: datetime) -> Report:
    items = [(c.id, i.id) for c in content.checklists for i in c.items]
    done: dict[int, dict[str, int]] = {}
    for user_id, checklist_id, count in await queries.done_per_member(store, guild_id, items):
        done.setdefault(user_id, {})[checklist_id] = count
    tried = await queries.tips_tried(store, guild_id)
    shared = await queries.practices_shared(store, guild_id)
    rows = [
        MemberRow(
            user_id, name, done.get(user_id, {}), tried.get(user_id, 0), shared.get(user_id, 0), last, counsellor
        )
        for user_id, name, last, counsellor in await queries.members(store, guild_id)
    ]
    rows.sort(key=lambda r: (r.name.casefold(), r.user_id))
    since = now - ACTIVE_WINDOW
    members = [r for r in rows if not r.counsellor]
    active = sum(1 for r in members if datetime.fromisoformat(r.last_active) >= since)

    ticked = await queries.done_per_item(store, guild_id, items)  # members only, not counsellors
    shares = [ItemShare(c, i, ticked.get((c.id, i.id), 0)) for c in content.checklists for i in c.items]
    # sorted() is stable: ties keep the checklists' own order, the first steps first.
    least = sorted(shares, key=lambda s: s.members)[:LEAST_DONE] if members else []
    return Report(content.checklists, rows, active, least)


def safe_cell(value: object) -> str:
    """A CSV cell a spreadsheet shows as text, never runs as a formula."""
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def header(report: Report) -> list[str]:
    return [
        "user_id", "name", *(c.id for c in report.checklists), "tips_tried", "practices_shared", "last_active",
        "counsellor",
    ]


def to_csv(report: Report) -> bytes:
    """The report as UTF-8 CSV with a header row; checklist columns hold percents (0-100)."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow(header(report))
    for row in report.rows:
        percents = [percent(row.done.get(c.id, 0), len(c.items)) for c in report.checklists]
        cells = [
            row.user_id, row.name, *percents, row.tips_tried, row.practices_shared, row.last_active,
            "yes" if row.counsellor else "no",
        ]
        writer.writerow([safe_cell(cell) for cell in cells])
    return buffer.getvalue().encode("utf-8")
