"""Who did something: the member behind an interaction, as every feature sees them."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Member:
    """Who did something, as the bot saw them at that interaction."""

    guild_id: int
    user_id: int
    display_name: str
