"""Who did something: the member behind an interaction, as every feature sees them."""

from __future__ import annotations

from dataclasses import dataclass

from bot.store.members import Standing


@dataclass(frozen=True)
class Member:
    """Who did something, as the bot saw them at that interaction."""

    guild_id: int
    user_id: int
    display_name: str
    # What makes them a counsellor, as seen at this interaction (Manage Server; their roles, to
    # match the configured counsellor role): kept on their row, so the group report can tell.
    standing: Standing | None = None
