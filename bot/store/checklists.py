"""A member's ticked checklist items, as every feature that shows progress reads them
(``/checklist`` and ``/progress``); the checklists feature writes them."""

from __future__ import annotations

from collections import defaultdict

from . import Store


async def done_items(store: Store, guild_id: int, user_id: int) -> dict[str, set[str]]:
    """checklist id -> item ids done, for one member."""
    rows = await store.fetchall(
        "SELECT checklist_id, item_id FROM checklist_done WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    out: dict[str, set[str]] = defaultdict(set)
    for checklist_id, item_id in rows:
        out[checklist_id].add(item_id)
    return out
