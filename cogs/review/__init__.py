"""/review headline|invite|about|match and the menus Review as headline and Review as connection note."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.app import Linkwise


async def setup(bot: Linkwise) -> None:
    """Load the feature. Its cog is imported here, not at package import, so the feature's
    pure modules (rules, match) import without discord.py."""
    from cogs.review.cog import setup as load

    await load(bot)


def check() -> str:
    """``linkwise check``: the review rules load (raises ValueError saying what is wrong)."""
    from cogs.review.rules import load_rules

    try:
        rules = load_rules()
    except ValueError as error:
        raise ValueError(f"review rules: {error}") from error
    return f"review rules: ok ({len(rules.rules)} rules)"
