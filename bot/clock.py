"""The one clock seam.

Everything that needs "now" calls :func:`now`. It is ``discord.utils.utcnow``, which SimCord's
virtual time drives in tests, so schedules, streaks and cooldowns can be tested without waiting.
"""

from __future__ import annotations

from datetime import UTC, datetime

import discord


def now() -> datetime:
    """The current instant, timezone-aware, in UTC."""
    return discord.utils.utcnow()


def iso(moment: datetime) -> str:
    """How instants are stored: ISO 8601 in UTC with seconds, e.g. ``2026-03-08T07:00:00+00:00``."""
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def shown(moment: datetime) -> str:
    """An instant as a reader sees it: Discord timestamps of the date and time in their own zone,
    then how long ago or ahead, e.g. ``<t:1767258000:f> (<t:1767258000:R>)``. The absolute one
    stays true where the relative one is drawn once and never redrawn (a page, an export)."""
    return f"{discord.utils.format_dt(moment, 'f')} ({discord.utils.format_dt(moment, 'R')})"
