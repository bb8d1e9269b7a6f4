"""Tip rotation and "I tried this": the rules behind /tip, its buttons and scheduled tip posts."""

from __future__ import annotations

import random
from dataclasses import dataclass

from bot import clock, custom_content
from bot.content import Content, Tip
from bot.errors import UserFacingError
from bot.store import Store, members
from bot.store import tips as tip_rows

ALL = "all"  # the selection key when no topic is given


@dataclass(frozen=True)
class Member:
    """Who did something, as the bot saw them at that interaction."""

    guild_id: int
    user_id: int
    display_name: str


@dataclass(frozen=True)
class NextTip:
    tip: Tip
    cycle_restarted: bool  # every tip of the selection had been seen; the cycle starts again
    pool_size: int


async def pool(content: Content, store: Store, guild_id: int, topic: str | None) -> tuple[Tip, ...]:
    """The tips a member of this server can get for ``topic`` (None: every topic): the
    built-in ones and the server's own (``/content add-tip``)."""
    return content.tips_for(topic) + await custom_content.tips(store, guild_id, topic)


async def find_tip(content: Content, store: Store, guild_id: int, tip_id: str) -> Tip | None:
    return content.tip(tip_id) or await custom_content.find_tip(store, guild_id, tip_id)


async def next_tip(content: Content, store: Store, member: Member, topic: str | None) -> NextTip:
    """Pick a tip this member has not seen in this selection, and record it as seen."""
    selection = topic or ALL
    tips = await pool(content, store, member.guild_id, topic)
    if not tips:
        raise UserFacingError("There are no tips for that topic yet. Try /tip without a topic.")
    seen = await tip_rows.seen(store, member.guild_id, member.user_id, selection)
    unseen = [t for t in tips if t.id not in seen]
    restarted = not unseen
    chosen = random.choice(unseen or list(tips))
    now = clock.now()
    await store.write(
        *tip_rows.mark_seen(member.guild_id, member.user_id, selection, chosen.id, now, restart_cycle=restarted),
        *members.touch(member.guild_id, member.user_id, member.display_name, now),
    )
    return NextTip(chosen, restarted, len(tips))


async def mark_tried(content: Content, store: Store, member: Member, tip_id: str) -> tuple[Tip, bool, int]:
    """Record ``tip_id`` as tried (idempotent). Returns (tip, newly recorded, tips tried)."""
    tip = await find_tip(content, store, member.guild_id, tip_id)
    if tip is None:
        raise UserFacingError(
            "That tip is no longer in Linkwise, so it cannot be marked as tried. Ask for a fresh one with /tip."
        )
    now = clock.now()
    counts = await store.write(
        tip_rows.mark_tried(member.guild_id, member.user_id, tip.id, now),
        *members.touch(member.guild_id, member.user_id, member.display_name, now),
    )
    return tip, counts[0] == 1, await tip_rows.tried_count(store, member.guild_id, member.user_id)
