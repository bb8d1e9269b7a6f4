"""Everything kept about a member, in one place: export and deletion.

The rule that makes this complete: a table holds rows *about a member* exactly when it has a
``user_id`` column (a column naming who *did* something for the server, like a schedule's
author, is called ``created_by`` instead). Export and deletion discover those tables from the
schema, so a feature's new table is covered the moment its migration runs; ``DESCRIPTIONS``
says what each holds in words a member understands, and a test asserts each one has a
description. ``/privacy delete`` and ``linkwise forget`` both delete through :func:`delete_user`.
"""

from __future__ import annotations

from typing import Any

from . import Statement, Store

DESCRIPTIONS: dict[str, str] = {
    "members": "your name as last seen and when you were last active",
    "member_weeks": "the weeks you were active (your streak)",
    "tip_seen": "tips you have seen",
    "tip_tried": "tips you tried",
    "checklist_done": "checklist items you ticked",
    "checklist_celebrated": "checklists you finished",
    "prompt_shares": "practices you shared in answer to prompts (where each was posted, not its text)",
    "prompt_requests": "when you last posted a prompt with /prompt (for the cooldown)",
    "prompt_share_turns": "when you last shared a practice on each prompt (for the sharing cooldown)",
}


async def user_tables(store: Store) -> list[str]:
    """Tables with a ``user_id`` column, in schema order."""
    tables = [
        r[0]
        for r in await store.fetchall(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
        )
    ]
    found = []
    for table in tables:
        columns = {r[1] for r in await store.fetchall(f"PRAGMA table_info({table})")}
        if "user_id" in columns:
            found.append(table)
    return found


def _where(guild_id: int | None) -> tuple[str, tuple[Any, ...]]:
    return ("user_id = ?", ()) if guild_id is None else ("user_id = ? AND guild_id = ?", (guild_id,))


async def export_user(store: Store, user_id: int, guild_id: int | None) -> dict[str, list[dict[str, Any]]]:
    """Every row about ``user_id`` (in ``guild_id``, or everywhere), table by table."""
    clause, extra = _where(guild_id)
    out: dict[str, list[dict[str, Any]]] = {}
    for table in await user_tables(store):
        rows = await store.fetchall(f"SELECT * FROM {table} WHERE {clause}", (user_id, *extra))
        out[table] = [dict(r) for r in rows]
    return out


async def delete_user(store: Store, user_id: int, guild_id: int | None) -> dict[str, int]:
    """Delete every row about ``user_id`` (in ``guild_id``, or in every server) in one
    transaction; return the number of rows removed per table."""
    clause, extra = _where(guild_id)
    tables = await user_tables(store)
    statements: list[Statement] = [(f"DELETE FROM {table} WHERE {clause}", (user_id, *extra)) for table in tables]
    counts = await store.write(*statements)
    return dict(zip(tables, counts, strict=True))
