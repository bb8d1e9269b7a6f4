"""Discussion prompts: which prompt to post, the /prompt and sharing cooldowns, and recording shares.

The rules behind /prompt, its **Share your practice** button and scheduled prompt posts.
Prompts rotate per server (a public post is seen by everyone, so "no repeats" is the server's,
not the member's); each member may post one prompt per :data:`COOLDOWN` in a server, so the
channel has time to answer before the next one arrives, and share one practice on a prompt
post per :data:`SHARE_COOLDOWN`, so one member's answers cannot flood its thread (or inflate
their "practices shared").
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

import discord

from bot import clock, custom_content
from bot.content import Content, Prompt, topic_labels
from bot.errors import Refusal
from bot.i18n import _, current_locale
from bot.identity import Member
from bot.store import Store, members, rotation
from cogs.prompts import queries as prompt_rows

KIND = "prompt"  # the rotation kind shared with scheduled prompt posts
COOLDOWN = timedelta(minutes=10)
SHARE_COOLDOWN = timedelta(minutes=5)  # per member and prompt post: a burst is stopped, a later second thought is not
PRACTICE_MIN, PRACTICE_MAX = 20, 1000  # the modal's limits, checked again here
THREAD_NAME_MAX = 80  # Discord allows 100; shorter names read better in the channel list


class NextPrompt(NamedTuple):  # rather than a frozen dataclass: its class is cheaper to create at load
    prompt: Prompt
    claim: rotation.Claim  # its row in the server's rotation, taken when it was chosen
    pool_size: int

    @property
    def rotation_restarted(self) -> bool:
        """Every prompt of the pool had been posted here; this one starts a new cycle."""
        return self.claim.restarted


async def pool(content: Content, store: Store, guild_id: int, topic: str | None) -> tuple[Prompt, ...]:
    """The prompts that can be posted in this server for ``topic`` (None: every topic): the
    built-in ones and the server's own (``/content add-prompt``)."""
    return content.prompts_for(topic) + await custom_content.prompts(store, guild_id, topic)


async def find_prompt(content: Content, store: Store, guild_id: int, prompt_id: str) -> Prompt | None:
    return content.prompt(prompt_id) or await custom_content.find_prompt(store, guild_id, prompt_id)


def topic_label(prompt: Prompt) -> str | None:
    """The prompt's topic, named in the current locale; None for a server's own prompt without one."""
    return topic_labels(current_locale()).get(prompt.topic)


def topic_name(topic: str) -> str:
    """A topic id, named in the current locale."""
    return topic_labels(current_locale()).get(topic, topic)


# ---------------------------------------------------------------------- /prompt
async def take_turn(store: Store, member: Member) -> datetime | Refusal:
    """Claim the member's /prompt turn, or a refusal that explains when their next one comes.

    Returns the claim's time, for :func:`give_back_turn` if the prompt cannot be posted.
    """
    now = clock.now()
    (claimed,) = await store.write(prompt_rows.claim_turn(member.guild_id, member.user_id, now, now - COOLDOWN))
    if claimed:
        return now
    last = await prompt_rows.last_turn(store, member.guild_id, member.user_id) or now
    minutes = int(COOLDOWN.total_seconds() // 60)
    ready = last + COOLDOWN
    return Refusal(
        _(
            "You posted a prompt at {last}. Each member can post one prompt every {minutes} minutes, so "
            "the group has time to answer it. You can post the next one at {ready}. Meanwhile, answer a "
            "prompt above with its **Share your practice** button.",
            last=clock.shown(last),
            minutes=minutes,
            ready=clock.shown(ready),
        )
    )


async def give_back_turn(store: Store, member: Member, taken_at: datetime) -> None:
    await store.write(prompt_rows.release_turn(member.guild_id, member.user_id, taken_at))


async def claim_next(content: Content, store: Store, guild_id: int, topic: str | None) -> NextPrompt | Refusal:
    """The next prompt of the server's rotation, chosen and recorded in one step (so two
    members, or a member and a schedule, asking at the same instant never get the same one).

    Call it just before posting, and :func:`give_back` if the post does not go out. A refusal
    when there is no prompt to take."""
    taken = await custom_content.claim_live(
        store,
        guild_id,
        KIND,
        lambda: pool(content, store, guild_id, topic),
        _("There are no prompts for that topic yet. Try /prompt without a topic."),
    )
    if isinstance(taken, Refusal):
        return taken
    prompt, claim, size = taken
    return NextPrompt(prompt, claim, size)


async def give_back(store: Store, picked: NextPrompt) -> None:
    """The prompt was not posted (or was taken down): it goes back into the rotation."""
    await store.write(picked.claim.release())


async def still_there(store: Store, guild_id: int, picked: NextPrompt) -> bool:
    """Whether the prompt still exists (a server's own prompt can be removed at any moment)."""
    return await custom_content.still_exists(store, guild_id, picked.prompt.id)


async def mark_posted(store: Store, member: Member) -> None:
    """The member posted a prompt: record their activity (the rotation already has it)."""
    await store.write(
        *members.touch(member.guild_id, member.user_id, member.display_name, clock.now(), member.standing)
    )


# ---------------------------------------------------------------------- sharing
def practice_problem(text: str) -> str | None:
    """What is wrong with a shared practice's length, in words for the member; None if fine."""
    size = len(text.strip())
    if size < PRACTICE_MIN:
        return _(
            "Your practice is {size} characters long; a shared practice needs at least {minimum} so others "
            "can learn from it. Add what you did and how it went, then share it again.",
            size=size,
            minimum=PRACTICE_MIN,
        )
    if size > PRACTICE_MAX:
        return _(
            "Your practice is {size} characters long; the limit is {maximum}. Shorten it to the part others "
            "can use, then share it again.",
            size=size,
            maximum=PRACTICE_MAX,
        )
    return None


def thread_name(prompt_text: str) -> str:
    """A short thread name from the prompt: its first words, cut at a word boundary.

    Mentions are defused (a zero-width space after the ``@``): Discord shows the name in the
    channel's "started a thread" notice, where ``@everyone`` or ``<@&id>`` would read as a ping.
    """
    text = discord.utils.escape_mentions(re.sub(r"\s+", " ", prompt_text).strip()) or _("Shared practices")
    if len(text) <= THREAD_NAME_MAX:
        return text
    cut = text[: THREAD_NAME_MAX - 1]
    if " " in cut[THREAD_NAME_MAX // 2 :]:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:-") + "…"


async def record_share(
    store: Store, member: Member, prompt_id: str, prompt_message_id: int, channel_id: int, message_id: int
) -> int:
    """Record a practice the bot posted for the member; returns how many they have shared here."""
    now = clock.now()
    await store.write(
        prompt_rows.record_share(
            member.guild_id, member.user_id, prompt_id, prompt_message_id, channel_id, message_id, now
        ),
        *members.touch(member.guild_id, member.user_id, member.display_name, now, member.standing),
    )
    return await prompt_rows.shares_count(store, member.guild_id, member.user_id)


def _share_refusal(last: datetime, *, refused: bool = False) -> str:
    """When the member may share on this prompt post again; ``refused``: a form was turned down."""
    values = {
        "last": clock.shown(last),
        "minutes": int(SHARE_COOLDOWN.total_seconds() // 60),
        "ready": clock.shown(last + SHARE_COOLDOWN),
    }
    if refused:
        return _(
            "You shared a practice on this prompt at {last}. Each member can share one practice on a prompt "
            "every {minutes} minutes, so everyone's answers get read. You can share again here at {ready}. "
            "Your practice was not posted.",
            **values,
        )
    return _(
        "You shared a practice on this prompt at {last}. Each member can share one practice on a prompt "
        "every {minutes} minutes, so everyone's answers get read. You can share again here at {ready}.",
        **values,
    )


async def share_wait(store: Store, member: Member, prompt_message_id: int) -> str | None:
    """Why the member cannot share on this prompt post yet (their cooldown), or None. Checked
    when the form is opened, so they learn it before they write; :func:`take_share_turn`
    decides when the form is submitted."""
    last = await prompt_rows.last_share_turn(store, member.guild_id, member.user_id, prompt_message_id)
    if last is None or last + SHARE_COOLDOWN <= clock.now():
        return None
    return _share_refusal(last)


async def take_share_turn(store: Store, member: Member, prompt_message_id: int) -> datetime | Refusal:
    """Claim the member's turn to share on this prompt post, or a refusal that explains when it comes.

    One write checks and claims, so two forms submitted at the same instant share once. Returns
    the claim's time, for :func:`give_back_share_turn` if the practice cannot be posted.
    """
    now = clock.now()
    _released, claimed = await store.write(
        *prompt_rows.claim_share_turn(member.guild_id, member.user_id, prompt_message_id, now, now - SHARE_COOLDOWN)
    )
    if claimed:
        return now
    last = await prompt_rows.last_share_turn(store, member.guild_id, member.user_id, prompt_message_id) or now
    return Refusal(_share_refusal(last, refused=True))


async def give_back_share_turn(store: Store, member: Member, prompt_message_id: int, taken_at: datetime) -> None:
    await store.write(prompt_rows.release_share_turn(member.guild_id, member.user_id, prompt_message_id, taken_at))
