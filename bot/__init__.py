"""Linkwise: LinkedIn etiquette and profile craft for career-counselling groups on Discord."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

if TYPE_CHECKING:
    from bot.app import create_bot

__all__ = ["__version__", "create_bot"]


def __getattr__(name: str) -> Any:
    """``bot.create_bot``, imported on first use: a pure module of the core (``bot.clock``,
    ``bot.zones``) can be imported without discord.py and the whole bot coming along."""
    if name == "create_bot":
        from bot.app import create_bot

        return create_bot
    raise AttributeError(f"module 'bot' has no attribute {name!r}")
