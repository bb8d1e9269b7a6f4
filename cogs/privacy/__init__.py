"""/privacy: a member sees everything Linkwise keeps about them in a server, and deletes it."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Linkwise


async def setup(bot: Linkwise) -> None:
    """Load the feature. Its cog is imported here, not at package import, so the feature's
    pure modules (rules, queries) import without discord.py."""
    from cogs.privacy.cog import setup as load

    await load(bot)
