"""The schedules feature's typed options: a local time of day and a set of days."""

from __future__ import annotations

from datetime import time

from bot.options import ParsedOption
from cogs.schedules import rules


class TimeOfDay(ParsedOption):
    """24-hour HH:MM, or 9am / 9:30pm."""

    check_order = 0

    @classmethod
    def parse(cls, text: str) -> time:
        return rules.parse_time(text)


class Days(ParsedOption):
    """daily, weekdays, weekends, or days like mon,wed,fri."""

    check_order = 1

    @classmethod
    def parse(cls, text: str) -> frozenset[int]:
        return rules.parse_days(text)
