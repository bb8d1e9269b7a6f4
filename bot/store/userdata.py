"""Everything kept about a member, in one place: export and deletion.

The rules that make this complete, read from the schema so that a feature's new table is
covered the moment its migration runs:

* a table holds rows *about a member* exactly when it has a ``user_id`` column: their export
  holds those rows, and their deletion removes them;
* a column whose name ends in ``_by`` (``created_by``, ``paused_by``) names the member who did
  something *for the server* (added a tip, set up or paused a schedule). Their export includes
  those rows; their deletion keeps the rows, which belong to the server, and takes the member's
  id off them: NULL where the column allows it, else :data:`NOBODY`.

No name is ever stored beside such an id (a name is looked up on Discord when shown), so after
a deletion nothing in the database names the member. ``DESCRIPTIONS`` says what each table holds
in words a member understands (in English, marked for translation: show them with ``_``); a test
asserts each one has a description. ``/privacy delete``
and ``linkwise forget`` both delete through :func:`delete_user`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from bot.i18n import N_

from . import Statement
from .engine import Engine

NOBODY = 0  # no Discord user has id 0: the author of something whose author was forgotten

DESCRIPTIONS: dict[str, str] = {
    "members": N_("your name as last seen and when you were last active"),
    "member_weeks": N_("the weeks you were active (your streak)"),
    "tip_seen": N_("tips you have seen"),
    "tip_tried": N_("tips you tried"),
    "checklist_done": N_("checklist items you ticked"),
    "checklist_celebrated": N_("checklists you finished"),
    "checklist_undone": N_("checklist items you unticked, with when you had ticked them (the group's weekly chart)"),
    "suggestions": N_("tips and prompts you suggested, and what the counsellors decided"),
    "prompt_shares": N_("practices you shared in answer to prompts (where each was posted, not its text)"),
    "prompt_requests": N_("when you last posted a prompt with /prompt (for the cooldown)"),
    "prompt_share_turns": N_("when you last shared a practice on each prompt (for the sharing cooldown)"),
    "custom_content": N_("tips and prompts you added for the group"),
    "schedules": N_("scheduled posts you set up or paused"),
}


@dataclass(frozen=True)
class Table:
    """A table that holds something about a member, as the schema says."""

    name: str
    about: bool  # has a user_id column: its rows are about the member
    by: tuple[tuple[str, bool], ...] = ()  # (column, allows NULL) for each *_by column


@dataclass
class Deletion:
    """What a deletion did, table by table."""

    removed: dict[str, int] = field(default_factory=dict)  # rows about the member, deleted
    unnamed: dict[str, int] = field(default_factory=dict)  # the server's rows, the member's id taken off

    @property
    def total_removed(self) -> int:
        return sum(self.removed.values())

    @property
    def total_unnamed(self) -> int:
        return sum(self.unnamed.values())


async def tables(store: Engine) -> list[Table]:
    """Every table with a ``user_id`` column or a ``*_by`` column, in schema order (parents
    first), asked of the engine so it holds on SQLite and PostgreSQL alike."""
    found = []
    for name in await store.tables():
        columns = await store.columns(name)
        about = "user_id" in columns
        by_columns = [c for c in columns if c.endswith("_by")]
        nullable = await store.nullable(name) if by_columns else set()
        by = tuple((c, c in nullable) for c in by_columns)
        if about or by:
            found.append(Table(name, about, by))
    return found


async def user_tables(store: Engine) -> list[str]:
    """Tables with a ``user_id`` column (rows about a member), in schema order."""
    return [t.name for t in await tables(store) if t.about]


def _in_guild(guild_id: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("", ()) if guild_id is None else (" AND guild_id = ?", (guild_id,))


def _naming(table: Table) -> str:
    """A condition: the row is about the member, or names them in a *_by column (one ``?`` each)."""
    tests = (["user_id = ?"] if table.about else []) + [f"{column} = ?" for column, _ in table.by]
    return "(" + " OR ".join(tests) + ")"


async def export_user(store: Engine, user_id: int, guild_id: int | None) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``user_id``, or that they made or paused (in ``guild_id``, or
    everywhere), table by table."""
    extra, params = _in_guild(guild_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in await tables(store):
        ids = (user_id,) * (int(table.about) + len(table.by))
        rows = await store.fetchall(f"SELECT * FROM {table.name} WHERE {_naming(table)}{extra}", (*ids, *params))
        out[table.name] = [dict(r) for r in rows]
    return out


def counts(export: dict[str, list[dict[str, Any]]], user_id: int) -> Deletion:
    """What deleting would do, from an export: rows about the member go, the rest lose their name."""
    result = Deletion()
    for table, rows in export.items():
        about = sum(1 for r in rows if r.get("user_id") == user_id)
        result.removed[table] = about
        result.unnamed[table] = len(rows) - about
    return result


async def delete_user(store: Engine, user_id: int, guild_id: int | None) -> Deletion:
    """Delete every row about ``user_id`` and take their id off every row they made or paused
    (in ``guild_id``, or in every server), in one transaction."""
    extra, params = _in_guild(guild_id)
    found = await tables(store)
    statements: list[Statement] = []
    steps: list[tuple[str, str]] = []  # (kind, table) for each statement
    for table in found:
        if table.about:
            statements.append((f"DELETE FROM {table.name} WHERE user_id = ?{extra}", (user_id, *params)))
            steps.append(("removed", table.name))
    for table in found:
        if not table.by:
            continue
        # One statement per table, so its count is of rows (a schedule its author also paused is one).
        sets = ", ".join(f"{column} = CASE WHEN {column} = ? THEN ? ELSE {column} END" for column, _ in table.by)
        values = [v for _, nullable in table.by for v in (user_id, None if nullable else NOBODY)]
        where = " OR ".join(f"{column} = ?" for column, _ in table.by)
        statements.append(
            (
                f"UPDATE {table.name} SET {sets} WHERE ({where}){extra}",
                (*values, *(user_id for _ in table.by), *params),
            )
        )
        steps.append(("unnamed", table.name))
    result = Deletion()
    for (kind, name), count in zip(steps, await store.write(*statements), strict=True):
        (result.removed if kind == "removed" else result.unnamed)[name] = count
    return result
