"""Linkwise: LinkedIn etiquette and profile craft for career-counselling groups on Discord."""

__version__ = "0.1.0"

from bot.app import create_bot  # noqa: E402

__all__ = ["__version__", "create_bot"]
