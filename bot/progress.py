"""Member progress: checklists, tips tried, practices shared, streak; and the one progress bar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot import clock
from bot.content import Checklist, Content
from bot.errors import UserFacingError
from bot.store import Store, checklists, members
from bot.store import prompts as prompt_rows
from bot.store import tips as tip_rows
from bot.tips import Member

BAR_WIDTH = 10
FULL, EMPTY = "█", "░"


def bar(done: int, total: int, width: int = BAR_WIDTH) -> str:
    """A text progress bar, e.g. ``███░░░░░░░``. Used everywhere a bar appears.

    Any progress shows at least one block, and the bar is full only when everything is done,
    so a member never sees "nothing" after ticking an item or "finished" when one is left.
    """
    if total <= 0:
        return EMPTY * width
    done = max(0, min(done, total))
    filled = round(done * width / total)
    if done and not filled:
        filled = 1
    if done < total and filled == width:
        filled = width - 1
    return FULL * filled + EMPTY * (width - filled)


def percent(done: int, total: int) -> int:
    return round(100 * done / total) if total else 0


@dataclass(frozen=True)
class ListProgress:
    checklist: Checklist
    done: frozenset[str]

    @property
    def total(self) -> int:
        return len(self.checklist.items)

    @property
    def count(self) -> int:
        return len(self.done)

    @property
    def finished(self) -> bool:
        return self.count == self.total

    def line(self) -> str:
        return f"`{bar(self.count, self.total)}` {self.count}/{self.total}"


def _progress(checklist: Checklist, done: set[str]) -> ListProgress:
    # Only items that still exist count, so a retired item never shows as 11/10.
    return ListProgress(checklist, frozenset(done & set(checklist.item_ids)))


async def checklist_progress(content: Content, store: Store, guild_id: int, user_id: int) -> list[ListProgress]:
    done = await checklists.done_items(store, guild_id, user_id)
    return [_progress(c, done.get(c.id, set())) for c in content.checklists]


def find_checklist(content: Content, name: str) -> Checklist:
    """A checklist by id or title (case-insensitive); a clear error listing the valid names."""
    wanted = name.strip().casefold()
    for checklist in content.checklists:
        if wanted in (checklist.id, checklist.title.casefold()):
            return checklist
    valid = ", ".join(f"`{c.id}`" for c in content.checklists)
    shown = name.strip()[:50] or "(empty)"
    raise UserFacingError(f"There is no checklist called “{shown}”. The checklists are: {valid}.")


@dataclass(frozen=True)
class SetResult:
    progress: ListProgress
    just_finished: bool  # finished now for the first time: celebrate


async def set_done(
    content: Content, store: Store, member: Member, checklist: Checklist, selected: list[str]
) -> SetResult:
    """Make the member's done items exactly ``selected`` (one atomic write)."""
    unknown = [item for item in selected if item not in checklist.item_ids]
    if unknown:
        raise UserFacingError(
            f"Some of those items are no longer on {checklist.title}. Open it again with "
            f"`/checklist {checklist.id}` and tick them from the fresh list."
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
    return SetResult(_progress(checklist, set(selected)), finished and counts[-1] == 1)


@dataclass(frozen=True)
class Summary:
    lists: list[ListProgress]
    tips_tried: int
    practices_shared: int
    weekly_streak: int
    last_active: datetime | None


async def summary(content: Content, store: Store, guild_id: int, user_id: int) -> Summary:
    activity = await members.activity(store, guild_id, user_id, clock.now())
    return Summary(
        lists=await checklist_progress(content, store, guild_id, user_id),
        tips_tried=await tip_rows.tried_count(store, guild_id, user_id),
        practices_shared=await practices_shared(store, guild_id, user_id),
        weekly_streak=activity.weekly_streak,
        last_active=activity.last_active,
    )


async def practices_shared(store: Store, guild_id: int, user_id: int) -> int:
    """Practices the member shared through a prompt's **Share your practice** button."""
    return await prompt_rows.shares_count(store, guild_id, user_id)
