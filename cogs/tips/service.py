"""Tip rotation and "I tried this": the rules behind /tip, its buttons and scheduled tip posts."""

from __future__ import annotations

from typing import NamedTuple

from bot import clock, custom_content
from bot.content import Content, Tip
from bot.errors import Refusal
from bot.i18n import _
from bot.identity import Member
from bot.posts import NothingToPost
from bot.store import Store, members, rotation
from bot.store.rotation import Claim
from cogs.tips import queries as tip_rows

ALL = "all"  # the selection key when no topic is given
KIND = "tip"  # the server rotation kind of scheduled tip posts


class NextTip(NamedTuple):  # rather than a frozen dataclass: its class is cheaper to create at load
    tip: Tip
    cycle_restarted: bool  # every tip of the selection had been seen; the cycle starts again
    pool_size: int


async def pool(content: Content, store: Store, guild_id: int, topic: str | None) -> tuple[Tip, ...]:
    """The tips a member of this server can get for ``topic`` (None: every topic): the
    built-in ones and the server's own (``/content add-tip``)."""
    return content.tips_for(topic) + await custom_content.tips(store, guild_id, topic)


async def find_tip(content: Content, store: Store, guild_id: int, tip_id: str) -> Tip | None:
    return content.tip(tip_id) or await custom_content.find_tip(store, guild_id, tip_id)


async def next_tip(content: Content, store: Store, member: Member, topic: str | None) -> NextTip | Refusal:
    """Choose a tip this member has not seen in this selection and record it as seen, in one
    statement (:func:`cogs.tips.queries.next_unseen`), so clicks at the same instant never repeat a tip.

    A tip of the server's own removed as it was chosen is not shown: another is chosen from the
    pool as it is now. A refusal when there is no tip to give (none for the topic, or the
    server's tips are being changed right now)."""
    selection = topic or ALL
    restarted = False
    for _attempt in range(custom_content.CHOOSE_ATTEMPTS):
        tips = await pool(content, store, member.guild_id, topic)
        if not tips:
            return Refusal(_("There are no tips for that topic yet. Try /tip without a topic."))
        now = clock.now()
        order = [tip.id for tip in rotation.random_order(tips)]
        chosen_id, restarted_now = await tip_rows.next_unseen(
            store,
            member.guild_id,
            member.user_id,
            selection,
            order,
            now,
            members.touch(member.guild_id, member.user_id, member.display_name, now, member.standing),
        )
        restarted |= restarted_now
        chosen = next(t for t in tips if t.id == chosen_id)
        if await custom_content.still_exists(store, member.guild_id, chosen.id):
            return NextTip(chosen, restarted, len(tips))
    return Refusal(_("The tips of this server are being changed right now. Please try again in a moment."))


async def claim_for_post(content: Content, store: Store, guild_id: int, topic: str | None) -> tuple[Tip, Claim]:
    """The server's next tip for a scheduled post, taken from its rotation (recorded now; give
    it back with ``claim.release()`` if the post does not go out); :class:`NothingToPost` when
    there is none."""
    taken = await custom_content.claim_live(
        store, guild_id, KIND, lambda: pool(content, store, guild_id, topic), _("There are no tips for that topic yet.")
    )
    if isinstance(taken, Refusal):
        raise NothingToPost(taken.message)
    tip, claim, _pool = taken
    return tip, claim


async def mark_tried(
    content: Content, store: Store, member: Member, tip_id: str
) -> tuple[Tip, bool, int] | Refusal:
    """Record ``tip_id`` as tried (idempotent). Returns (tip, newly recorded, tips tried), or a
    refusal when the tip is no longer in Linkwise."""
    tip = await find_tip(content, store, member.guild_id, tip_id)
    if tip is None:
        return Refusal(
            _("That tip is no longer in Linkwise, so it cannot be marked as tried. Ask for a fresh one with /tip.")
        )
    now = clock.now()
    counts = await store.write(
        tip_rows.mark_tried(member.guild_id, member.user_id, tip.id, now),
        *members.touch(member.guild_id, member.user_id, member.display_name, now, member.standing),
    )
    return tip, counts[0] == 1, await tip_rows.tried_count(store, member.guild_id, member.user_id)
