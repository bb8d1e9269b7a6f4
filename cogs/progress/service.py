"""Member progress: checklists, tips tried, practices shared, streak."""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from bot import clock
from bot.content import Content
from bot.store import Store, checklists, members
from bot.ui import ListProgress
from cogs.progress import queries


class Summary(NamedTuple):  # rather than a frozen dataclass: its class is cheaper to create at load
    lists: list[ListProgress]
    tips_tried: int
    practices_shared: int
    weekly_streak: int
    last_active: datetime | None


async def summary(content: Content, store: Store, guild_id: int, user_id: int) -> Summary:
    activity = await members.activity(store, guild_id, user_id, clock.now())
    return Summary(
        lists=ListProgress.every(content, await checklists.done_items(store, guild_id, user_id)),
        tips_tried=await queries.tried_count(store, guild_id, user_id),
        practices_shared=await practices_shared(store, guild_id, user_id),
        weekly_streak=activity.weekly_streak,
        last_active=activity.last_active,
    )


async def practices_shared(store: Store, guild_id: int, user_id: int) -> int:
    """Practices the member shared through a prompt's **Share your practice** button."""
    return await queries.shares_count(store, guild_id, user_id)
