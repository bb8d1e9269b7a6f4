"""/content: the server's own tips and prompts, mixed into /tip, /prompt and scheduled posts here."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Linkwise


async def setup(bot: Linkwise) -> None:
    """Load the feature. Its cog is imported here, not at package import, so the feature's
    pure modules (rules, queries) import without discord.py."""
    from cogs.content.cog import setup as load

    await load(bot)
