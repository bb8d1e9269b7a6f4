"""A server's own tips and prompts: the rules behind /content, and how they join the pools.

Counsellors add them with ``/content``; :func:`cogs.tips.service.pool` and :func:`cogs.prompts.service.pool` mix
them into ``/tip``, ``/prompt`` and scheduled posts in that server only. They get stable ids
``custom-tip-<n>`` and ``custom-prompt-<n>`` (``n`` is never reused), so a member's progress
that names one (a tip tried) stays true after it is removed.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from bot import clock
from bot.content import TOPICS, Content, Prompt, Tip, topic_labels
from bot.errors import Refusal
from bot.i18n import N_, _, current_locale, ngettext
from bot.store import Store, rotation
from bot.store import custom_content as rows
from bot.translator import described

TITLE_MIN, TITLE_MAX = 3, 100
TIP_BODY_MIN, TIP_BODY_MAX = 20, 1500
PROMPT_MIN, PROMPT_MAX = 20, 300
# The descriptions of those fields, shared by every command that takes them (/content add-tip and
# add-prompt, /suggest tip and prompt).
TITLE_DESCRIPTION = described(N_("A short title ({low}-{high} characters)"), low=TITLE_MIN, high=TITLE_MAX)
TIP_BODY_DESCRIPTION = described(N_("The tip itself ({low}-{high} characters)"), low=TIP_BODY_MIN, high=TIP_BODY_MAX)
PROMPT_DESCRIPTION = described(
    N_("The question to discuss ({low}-{high} characters)"), low=PROMPT_MIN, high=PROMPT_MAX
)

KINDS = ("tip", "prompt")
_ID = re.compile(r"^\s*(?:custom-(?P<kind>tip|prompt)-|#)?(?P<n>[0-9]{1,18})\s*$", re.IGNORECASE)


def item_id(kind: str, number: int) -> str:
    return f"custom-{kind}-{number}"


def parse_id(text: str) -> tuple[str | None, int] | None:
    """``custom-tip-3`` → ('tip', 3); ``3`` or ``#3`` → (None, 3); anything else → None."""
    match = _ID.match(text)
    if match is None:
        return None
    kind = match["kind"].lower() if match["kind"] else None
    return kind, int(match["n"])


def to_tip(row: rows.Row) -> Tip:
    return Tip(
        id=item_id("tip", row.id), topic=row.topic or "", title=row.title or "", body=row.body, custom=True,
        credit=row.credit,
    )


def to_prompt(row: rows.Row) -> Prompt:
    # A prompt added without a topic has topic "": it joins /prompt without a topic only.
    return Prompt(id=item_id("prompt", row.id), topic=row.topic or "", text=row.body, custom=True, credit=row.credit)


# ---------------------------------------------------------------------- the pools
async def tips(store: Store, guild_id: int, topic: str | None) -> tuple[Tip, ...]:
    """The server's own tips for ``topic`` (None: every topic)."""
    return tuple(to_tip(r) for r in await rows.for_guild(store, guild_id, "tip", topic))


async def prompts(store: Store, guild_id: int, topic: str | None) -> tuple[Prompt, ...]:
    """The server's own prompts for ``topic`` (None: every prompt, with or without a topic)."""
    return tuple(to_prompt(r) for r in await rows.for_guild(store, guild_id, "prompt", topic))


async def _find(store: Store, guild_id: int, kind: str, wanted: str) -> rows.Row | None:
    prefix = f"custom-{kind}-"
    if not wanted.startswith(prefix) or not wanted[len(prefix) :].isdigit():
        return None
    return await rows.get(store, guild_id, int(wanted[len(prefix) :]), kind)


async def find_tip(store: Store, guild_id: int, tip_id: str) -> Tip | None:
    """One of this server's own tips by its id (``custom-tip-<n>``), or None."""
    row = await _find(store, guild_id, "tip", tip_id)
    return None if row is None else to_tip(row)


async def find_prompt(store: Store, guild_id: int, prompt_id: str) -> Prompt | None:
    row = await _find(store, guild_id, "prompt", prompt_id)
    return None if row is None else to_prompt(row)


async def still_exists(store: Store, guild_id: int, item_id: str) -> bool:
    """Whether ``item_id`` still names an item in this server: a built-in id always does; one
    of the server's own (``custom-tip-<n>``, ``custom-prompt-<n>``) only until it is removed.

    Asked again just before something is posted, so an item a counsellor was told is removed
    never goes out."""
    for kind in KINDS:
        if item_id.startswith(f"custom-{kind}-"):
            return await _find(store, guild_id, kind, item_id) is not None
    return True


CHOOSE_ATTEMPTS = 3  # items removed between reading a pool and choosing from it, at most


PoolItem = TypeVar("PoolItem", Tip, Prompt)


async def claim_live(
    store: Store,
    guild_id: int,
    kind: str,
    load_pool: Callable[[], Awaitable[Sequence[PoolItem]]],
    empty: str,
) -> tuple[PoolItem, rotation.Claim, int] | Refusal:
    """Take the server's next item of a pool from its rotation (chosen and recorded in one
    step, :func:`bot.store.rotation.claim`), making sure it was not removed meanwhile.

    The pool is read, then the claim is written; an item of the server's own removed between
    the two is given back and another is chosen from the pool as it is now (not skipped: the
    post still goes out, with an item that exists). Returns (item, its claim, the pool's size);
    a :class:`Refusal` with ``empty`` when the pool has nothing, or saying that it is being
    changed when every item chosen was removed as it was chosen (counsellors removing content
    right now)."""
    restarted = False
    for _attempt in range(CHOOSE_ATTEMPTS):
        pool = await load_pool()
        if not pool:
            return Refusal(empty)
        order = [item.id for item in rotation.random_order(pool)]
        taken = await rotation.claim(store, guild_id, kind, order, clock.now())
        restarted |= taken.restarted
        item = next(i for i in pool if i.id == taken.item_id)
        if await still_exists(store, guild_id, item.id):
            return item, dataclasses.replace(taken, restarted=restarted), len(pool)
        await store.write(taken.release())
    return Refusal(_("The items to choose from are being changed right now. Please try again in a moment."))


# ---------------------------------------------------------------------- /content
# What is wrong with a field's length: one whole sentence per field, so each language has its own
# gender and agreement (le titre, le texte, le sujet).
TOO_LONG = {
    "title": N_("The title is {n} characters long; the limit is {high} (at least {low})."),
    "tip": N_("The tip text is {n} characters long; the limit is {high} (at least {low})."),
    "prompt": N_("The prompt is {n} characters long; the limit is {high} (at least {low})."),
}


def _too_short(field: str, size: int, low: int, high: int) -> str:
    if field == "title":
        return ngettext(
            "The title is {n} character long; it needs at least {low} (up to {high}).",
            "The title is {n} characters long; it needs at least {low} (up to {high}).",
            size,
            low=low,
            high=high,
        )
    if field == "tip":
        return ngettext(
            "The tip text is {n} character long; it needs at least {low} (up to {high}).",
            "The tip text is {n} characters long; it needs at least {low} (up to {high}).",
            size,
            low=low,
            high=high,
        )
    return ngettext(
        "The prompt is {n} character long; it needs at least {low} (up to {high}).",
        "The prompt is {n} characters long; it needs at least {low} (up to {high}).",
        size,
        low=low,
        high=high,
    )


def _length_problem(field: str, text: str, low: int, high: int) -> str | None:
    """What is wrong with the length of ``field`` ("title", "tip" or "prompt"), or None."""
    size = len(text)
    if size < low:
        return _too_short(field, size, low, high)
    if size > high:
        return _(TOO_LONG[field], n=size, low=low, high=high)
    return None


def _refusal(problems: list[str], sent: str) -> Refusal | None:
    """What the member typed cannot be saved: the problems, with ``sent`` (their text) to give
    back so nothing they wrote is lost."""
    if not problems:
        return None
    return Refusal(
        _(
            "{problems} Nothing was saved; your text is attached so you can fix it and try again.",
            problems=" ".join(problems),
        ),
        sent,
    )


def full() -> Refusal:
    """The server has as many tips and prompts of its own as Linkwise keeps."""
    return Refusal(
        _(
            "This server already has {count} tips and prompts of its own, the most Linkwise keeps. Remove "
            "some with `/content remove` (see `/content list`), then add this one again.",
            count=rows.MAX_PER_GUILD,
        )
    )


def checked_tip(topic: str, title: str, body: str) -> tuple[str, str] | Refusal:
    """The tip's title and body, trimmed, or a :class:`Refusal` saying what is wrong (the same
    rules for a counsellor's ``/content add-tip`` and a member's ``/suggest tip``)."""
    title, body = title.strip(), body.strip()
    if topic not in TOPICS:
        return Refusal(_("Pick a topic from the list: {topics}.", topics=", ".join(TOPICS)))
    problems = [
        p
        for p in (
            _length_problem("title", title, TITLE_MIN, TITLE_MAX),
            _length_problem("tip", body, TIP_BODY_MIN, TIP_BODY_MAX),
        )
        if p
    ]
    return _refusal(problems, f"{title}\n\n{body}") or (title, body)


def checked_prompt(text: str, topic: str | None) -> str | Refusal:
    """The prompt's text, trimmed, or a :class:`Refusal` (``/content add-prompt`` and
    ``/suggest prompt``)."""
    text = text.strip()
    if topic is not None and topic not in TOPICS:
        return Refusal(_("Pick a topic from the list: {topics}.", topics=", ".join(TOPICS)))
    problem = _length_problem("prompt", text, PROMPT_MIN, PROMPT_MAX)
    return _refusal([problem] if problem else [], text) or text


async def add_tip(
    store: Store, guild_id: int, counsellor_id: int, topic: str, title: str, body: str
) -> Tip | Refusal:
    checked = checked_tip(topic, title, body)
    if isinstance(checked, Refusal):
        return checked
    title, body = checked
    number = await rows.add(
        store, guild_id=guild_id, kind="tip", topic=topic, title=title, body=body,
        created_by=counsellor_id, at=clock.now(),
    )
    if number is None:
        return full()
    return Tip(item_id("tip", number), topic, title, body, custom=True)


async def add_prompt(
    store: Store, guild_id: int, counsellor_id: int, text: str, topic: str | None
) -> Prompt | Refusal:
    checked = checked_prompt(text, topic)
    if isinstance(checked, Refusal):
        return checked
    text = checked
    number = await rows.add(
        store, guild_id=guild_id, kind="prompt", topic=topic, title=None, body=text,
        created_by=counsellor_id, at=clock.now(),
    )
    if number is None:
        return full()
    return Prompt(item_id("prompt", number), topic or "", text, custom=True)


@dataclass(frozen=True)
class Item:
    """One of the server's own items as /content list shows it."""

    id: str
    kind: str
    topic: str | None
    text: str  # the tip's title, or the prompt's text

    @property
    def topic_label(self) -> str:
        return topic_labels(current_locale()).get(self.topic or "") or _("Any topic")


def _item(row: rows.Row) -> Item:
    text = row.title if row.kind == "tip" and row.title else row.body
    return Item(item_id(row.kind, row.id), row.kind, row.topic, text)


async def items(store: Store, guild_id: int) -> list[Item]:
    return [_item(r) for r in await rows.for_guild(store, guild_id)]


async def remove(content: Content, store: Store, guild_id: int, wanted: str) -> Item | Refusal:
    """Remove one of the server's own items by id; members' progress that names it is kept. A
    refusal for an id that is not one of the server's own items (or no longer is)."""
    shown = wanted.strip()[:60].replace("`", "'") or "(empty)"
    parsed = parse_id(wanted)
    row = await rows.get(store, guild_id, parsed[1], parsed[0]) if parsed else None
    if row is None or not await rows.remove(store, guild_id, row.id):
        if content.tip(wanted.strip()) or content.prompt(wanted.strip()):
            return Refusal(
                _(
                    "`{id}` is one of Linkwise's built-in items; only the server's own tips and prompts "
                    "can be removed. `/content list` shows them with their ids.",
                    id=shown,
                )
            )
        return Refusal(
            _(
                "This server has no tip or prompt of its own with the id `{id}`. Ids look like "
                "`custom-tip-3` or `custom-prompt-4`; `/content list` shows them.",
                id=shown,
            )
        )
    return _item(row)
