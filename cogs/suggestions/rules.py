"""What the suggestions feature decides: the limits, and what a suggestion is compared with
(pure: no Discord, no database). Whether it resembles one of them is
:mod:`cogs.suggestions.resemblance`'s.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import NamedTuple

PER_DAY = 3  # suggestions a member may make in any 24 hours
DAY = timedelta(hours=24)
PENDING_MAX = 50  # suggestions waiting in one server's queue, at most
REASON_MAX = 300


class Existing(NamedTuple):  # rather than a frozen dataclass: cheaper to create, the class and each item
    """An item a suggestion may resemble."""

    id: str  # a content id (built-in or custom-tip-3) or a suggestion (#4)
    label: str  # what the counsellor reads: its title or first words
    text: str  # what is compared


def tip_text(title: str, body: str) -> str:
    return f"{title}. {body}"


def next_allowed(recent: Iterable[datetime], now: datetime) -> datetime | None:
    """When a member who made the suggestions at ``recent`` may suggest again; None: now."""
    within = sorted(moment for moment in recent if moment > now - DAY)
    if len(within) < PER_DAY:
        return None
    return within[-PER_DAY] + DAY
