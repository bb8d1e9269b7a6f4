"""Members as the bot last saw them, their activity weeks and the weekly streak."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.clock import iso

from . import Statement, Store
from .schema import marks


def iso_week(moment: datetime) -> str:
    year, week, _ = moment.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True)
class Standing:
    """What makes a member a counsellor, as seen when they interacted (there is no members
    intent to ask Discord later): Manage Server, or a role that is the server's counsellor role."""

    manage_guild: bool
    role_ids: tuple[int, ...]


def _counsellor(guild_id: int, standing: Standing) -> tuple[str, tuple[object, ...]]:
    """SQL for 1 when ``standing`` makes the member a counsellor of this server, else 0; the
    counsellor role is read in the same statement, as it is set now."""
    if standing.manage_guild:
        return "1", ()
    if not standing.role_ids:
        return "0", ()
    return (
        "CASE WHEN EXISTS (SELECT 1 FROM guild_settings WHERE guild_id = ? "
        f"AND counsellor_role_id IN ({marks(len(standing.role_ids))})) THEN 1 ELSE 0 END",
        (guild_id, *standing.role_ids),
    )


def touch(
    guild_id: int, user_id: int, display_name: str, at: datetime, standing: Standing | None = None
) -> tuple[Statement, ...]:
    """Statements recording that a member did something now (name as seen, last active, week,
    and, given their ``standing``, whether they are a counsellor; without it that is kept).

    Feature writes append these to their own statements, so that progress and activity are
    one transaction.
    """
    stamp = iso(at)
    if standing is None:
        member: Statement = (
            "INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, last_active = excluded.last_active",
            (guild_id, user_id, display_name[:100], stamp, stamp),
        )
    else:
        flag, flag_params = _counsellor(guild_id, standing)
        member = (
            "INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active, counsellor) "
            f"VALUES (?, ?, ?, ?, ?, {flag}) ON CONFLICT (guild_id, user_id) DO UPDATE SET "
            "display_name = excluded.display_name, last_active = excluded.last_active, "
            "counsellor = excluded.counsellor",
            (guild_id, user_id, display_name[:100], stamp, stamp, *flag_params),
        )
    return (
        member,
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
