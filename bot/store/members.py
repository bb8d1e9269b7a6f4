"""Members as the bot last saw them, their activity weeks and the weekly streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import iso

from . import Statement, Store


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


def touch(guild_id: int, user_id: int, display_name: str, at: datetime) -> tuple[Statement, ...]:
    """Statements recording that a member did something now (name as seen, last active, week).

    Feature writes append these to their own statements, so that progress and activity are
    one transaction.
    """
    stamp = iso(at)
    return (
        (
            "INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, last_active = excluded.last_active",
            (guild_id, user_id, display_name[:100], stamp, stamp),
        ),
        (
            "INSERT INTO member_weeks (guild_id, user_id, week) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
            (guild_id, user_id, iso_week(at)),
        ),
    )


@dataclass(frozen=True)
class Activity:
    last_active: datetime | None
    weekly_streak: int


async def activity(store: Store, guild_id: int, user_id: int, now: datetime) -> Activity:
    row = await store.fetchone(
        "SELECT last_active FROM members WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
    )
    if row is None:
        return Activity(None, 0)
    weeks = {
        r[0]
        for r in await store.fetchall(
            "SELECT week FROM member_weeks WHERE guild_id = ? AND user_id = ?", (guild_id, user_id)
        )
    }
    return Activity(datetime.fromisoformat(row[0]), weekly_streak(weeks, now))


def weekly_streak(weeks: set[str], now: datetime) -> int:
    """Weeks in a row with any activity, ending this week — or last week, when this week has
    no activity yet (a streak is not broken until a whole week passes without any)."""
    cursor = now
    if iso_week(cursor) not in weeks:
        cursor -= timedelta(weeks=1)
    streak = 0
    while iso_week(cursor) in weeks:
        streak += 1
        cursor -= timedelta(weeks=1)
    return streak
