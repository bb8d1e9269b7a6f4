"""Checklist progress: a member's ticks, one atomic write, and the first finish celebrated."""

from __future__ import annotations

from typing import NamedTuple

from bot import clock
from bot.content import Checklist, Content
from bot.errors import Refusal
from bot.i18n import _
from bot.identity import Member
from bot.input import InputError
from bot.store import Store, members
from bot.store import checklists as ticks
from bot.ui import ListProgress
from cogs.checklists import queries as checklists


async def checklist_progress(content: Content, store: Store, guild_id: int, user_id: int) -> list[ListProgress]:
    return ListProgress.every(content, await ticks.done_items(store, guild_id, user_id))


def find_checklist(content: Content, name: str) -> Checklist:
    """A checklist by id or title (case-insensitive), or :class:`InputError` listing the valid
    names (the command tree answers it before ``/checklist`` runs)."""
    wanted = name.strip().casefold()
    for checklist in content.checklists:
        if wanted in (checklist.id, checklist.title.casefold()):
            return checklist
    valid = ", ".join(f"`{c.id}`" for c in content.checklists)
    shown = name.strip()[:50] or _("(empty)")
    raise InputError(_("There is no checklist called “{name}”. The checklists are: {valid}.", name=shown, valid=valid))


class SetResult(NamedTuple):  # rather than a frozen dataclass: its class is cheaper to create at load
    progress: ListProgress
    just_finished: bool  # finished now for the first time: celebrate


async def set_done(
    content: Content, store: Store, member: Member, checklist: Checklist, selected: list[str]
) -> SetResult | Refusal:
    """Make the member's done items exactly ``selected`` (one atomic write); a refusal when some
    of them are no longer on the checklist."""
    unknown = [item for item in selected if item not in checklist.item_ids]
    if unknown:
        return Refusal(
            _(
                "Some of those items are no longer on {checklist}. Open it again with "
                "`/checklist {id}` and tick them from the fresh list.",
                checklist=checklist.title,
                id=checklist.id,
            )
        )
    now = clock.now()
    statements = [
        *checklists.set_done(member.guild_id, member.user_id, checklist.id, selected, now),
        *members.touch(member.guild_id, member.user_id, member.display_name, now, member.standing),
    ]
    finished = set(selected) == set(checklist.item_ids)
    if finished:
        statements.append(checklists.celebrate_once(member.guild_id, member.user_id, checklist.id, now))
    counts = await store.write(*statements)
    return SetResult(ListProgress.of(checklist, set(selected)), finished and counts[-1] == 1)
