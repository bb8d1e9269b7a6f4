"""Scheduled posts, as the core sees them: what a post is, and the source a feature registers
(:meth:`bot.app.Linkwise.add_post_source`) so the schedules feature can post its content without
knowing that feature. Tips and prompts are the sources; the schedules feature is the consumer."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

import discord

from bot.store.rotation import Claim

if TYPE_CHECKING:
    from bot.app import Linkwise


@dataclass(frozen=True)
class Post:
    """What a poster returns: the message to send and the item it took from the rotation."""

    item_id: str  # the tip or prompt id
    embed: discord.Embed
    view: discord.ui.View | None = None
    claim: Claim | None = None  # its row in the server's rotation: given back if the post does not go out
    content: str | None = None

    def send_kwargs(self) -> dict[str, Any]:
        kwargs: dict[str, Any] = {
            "embed": self.embed,
            "allowed_mentions": discord.AllowedMentions.none(),
        }
        if self.content:
            kwargs["content"] = self.content
        if self.view is not None:
            kwargs["view"] = self.view
        return kwargs


class NothingToPost(Exception):
    """A source has no item for the post now (its pool is empty, or being changed as it was
    read). The message says so, for a counsellor's ``/schedule test``; a scheduled slot is skipped."""


class PostSource(Protocol):
    """Builds the next scheduled post of one kind for a server (``topic``: None for any), taking
    its item from the server's rotation; the consumer gives the claim back if it is not sent.
    Raises :class:`NothingToPost` when there is no item to post."""

    async def __call__(self, bot: Linkwise, guild_id: int, topic: str | None, /) -> Post: ...
