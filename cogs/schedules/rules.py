"""The rules of scheduled posts, as pure functions.

Parsing what a counsellor types (a time, a set of days, a timezone), working out when a schedule
runs next in its own zone across DST changes, and deciding what to do with slots missed while the
bot was down. Nothing here imports discord, touches the database or reads the clock: callers pass
``now`` in (from :func:`bot.clock.now`), so every rule can be tested with plain datetimes.

Instants go in and come out as timezone-aware datetimes; results are always in UTC.
"""

from __future__ import annotations

import re
from collections import deque
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from bot.i18n import N_, _
from bot.input import InputError
from bot.zones import parse_timezone, stored_zone, suggest_timezones, zone_gone_reason
from bot.zones import quote as _quote

__all__ = [
    "GRACE",
    "ScheduleInputError",
    "catch_up",
    "days_shown",
    "decide_due",
    "format_days",
    "next_run",
    "next_runs",
    "parse_days",
    "parse_time",
    "parse_timezone",
    "stored_zone",
    "suggest_timezones",
    "zone_gone_reason",
]


# A time, day list or timezone the counsellor typed cannot be used (the core's input error).
ScheduleInputError = InputError


# --- Times ---------------------------------------------------------------------------------------

TIME_HINT = N_("Use 24-hour HH:MM like 09:00 or 17:30, or 9am / 9:30pm.")

_TIME_24H = re.compile(r"([0-9]{1,2})(?::|h)([0-9]{2})", re.ASCII)  # 09:00, or 9h00 as written in French
_TIME_12H = re.compile(r"([0-9]{1,2})(?::([0-9]{2}))?\s*([ap])m", re.ASCII)
_TIME_FRENCH_HOUR = re.compile(r"([0-9]{1,2})\s*h", re.ASCII)  # 9 h, 21h


def parse_time(text: str) -> time:
    """Parse a local wall-clock time: ``09:00``, ``9:00``, ``21:30``, ``9am``, ``9 AM``, ``9:30pm``.

    French writing is read too: ``9h00``, ``9 h`` and ``21h30``.
    Case and surrounding spaces do not matter. ``12am`` is midnight and ``12pm`` is noon.
    Seconds are not accepted. Raises :class:`ScheduleInputError` otherwise.
    """
    cleaned = text.strip().lower()
    if not cleaned:
        raise ScheduleInputError(_("No time given. {hint}", hint=_(TIME_HINT)))
    if match := _TIME_24H.fullmatch(cleaned):
        hour, minute = int(match[1]), int(match[2])
        if hour <= 23 and minute <= 59:
            return time(hour, minute)
    elif match := _TIME_12H.fullmatch(cleaned):
        hour, minute = int(match[1]), int(match[2] or 0)
        if 1 <= hour <= 12 and minute <= 59:
            return time(hour % 12 + (12 if match[3] == "p" else 0), minute)
    elif match := _TIME_FRENCH_HOUR.fullmatch(cleaned):
        if int(match[1]) <= 23:
            return time(int(match[1]), 0)
    raise ScheduleInputError(_("{text} is not a time. {hint}", text=_quote(text), hint=_(TIME_HINT)))


# --- Days ----------------------------------------------------------------------------------------

DAY_NAMES = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
EVERY_DAY = frozenset(range(7))
WEEKDAYS = frozenset(range(5))
WEEKENDS = frozenset({5, 6})

DAYS_HINT = N_("Use daily, weekdays, weekends, or a list of days like mon,wed,fri (mon tue wed thu fri sat sun).")

_DAY_WORDS: dict[str, frozenset[int]] = {
    "daily": EVERY_DAY,
    "weekdays": WEEKDAYS,
    "weekends": WEEKENDS,
    **{
        word: frozenset({index})
        for index, words in enumerate(
            (
                ("mon", "monday"),
                ("tue", "tues", "tuesday"),
                ("wed", "wednesday"),
                ("thu", "thur", "thurs", "thursday"),
                ("fri", "friday"),
                ("sat", "saturday"),
                ("sun", "sunday"),
            )
        )
        for word in words
    },
    # The same in French, as a francophone counsellor types them (accents optional).
    "quotidien": EVERY_DAY,
    "tous-les-jours": EVERY_DAY,
    "semaine": WEEKDAYS,
    "en-semaine": WEEKDAYS,
    "fin-de-semaine": WEEKENDS,
    **{
        word: frozenset({index})
        for index, words in enumerate(
            (
                ("lun", "lundi"),
                ("mar", "mardi"),
                ("mer", "mercredi"),
                ("jeu", "jeudi"),
                ("ven", "vendredi"),
                ("sam", "samedi"),
                ("dim", "dimanche"),
            )
        )
        for word in words
    },
}


def parse_days(text: str) -> frozenset[int]:
    """Parse which weekdays a schedule runs on (Monday=0 … Sunday=6).

    Accepts ``daily``, ``weekdays``, ``weekends`` or day names separated by commas and/or spaces
    (``mon,wed,fri``, ``Mon, Wed``, ``monday``, ``tues``, ``thurs``). Case does not matter and
    repeats are fine. French is read too: ``quotidien`` or ``tous les jours``, ``semaine`` or
    ``en semaine``, ``fin de semaine`` (as shown: ``la fin de semaine``), ``lun,mer,ven``,
    ``lun., mer.``, ``lundi``. Raises :class:`ScheduleInputError` naming the first unknown word.
    """
    words = [word for word in re.split(r"[\s,]+", _joined_french(text.strip().lower())) if word]
    if not words:
        raise ScheduleInputError(_("No days given. {hint}", hint=_(DAYS_HINT)))
    days: set[int] = set()
    for word in words:
        word = word.rstrip(".")  # "lun.", "mer." as French abbreviations are written
        if word not in _DAY_WORDS:
            raise ScheduleInputError(_("{text} is not a day. {hint}", text=_quote(word), hint=_(DAYS_HINT)))
        days |= _DAY_WORDS[word]
    return frozenset(days)


_FRENCH_PHRASES = (
    (re.compile(r"(?:la\s+)?fins?\s+de\s+semaine"), "fin-de-semaine"),
    (re.compile(r"en\s+semaine"), "en-semaine"),
    (re.compile(r"tous\s+les\s+jours"), "tous-les-jours"),
)


def _joined_french(text: str) -> str:
    """French phrases of several words as one word each: "fin de semaine" → "fin-de-semaine"."""
    for phrase, word in _FRENCH_PHRASES:
        text = phrase.sub(word, text)
    return text


def days_shown(stored: str) -> str:
    """A stored day set (``weekdays``, ``Mon, Wed, Fri``) as the current locale writes it."""
    named = {"daily": _("daily"), "weekdays": _("weekdays"), "weekends": _("weekends")}
    if stored in named:
        return named[stored]
    try:
        days = parse_days(stored)
    except InputError:
        return stored
    names = (_("Mon"), _("Tue"), _("Wed"), _("Thu"), _("Fri"), _("Sat"), _("Sun"))
    return ", ".join(names[day] for day in sorted(days))


def format_days(days: frozenset[int]) -> str:
    """The canonical text for a day set: ``daily``, ``weekdays``, ``weekends`` or ``Mon, Wed, Fri``.

    This is also how day sets are stored; :func:`parse_days` reads it back unchanged.
    Raises ValueError for an empty set or a number outside 0–6.
    """
    if not days or not days <= EVERY_DAY:
        raise ValueError(f"days must be a non-empty set of 0-6, got {sorted(days)!r}")
    for name, named in (("daily", EVERY_DAY), ("weekdays", WEEKDAYS), ("weekends", WEEKENDS)):
        if days == named:
            return name
    return ", ".join(DAY_NAMES[day] for day in sorted(days))


# --- Next run ------------------------------------------------------------------------------------

# A non-empty day set has an allowed date within any 7 consecutive dates; the extra dates cover
# zones that once skipped a whole calendar day or whose DST gap swallows the time.
_SEARCH_DATES = 15


def _require_aware(moment: datetime, name: str) -> None:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError(f"{name} must be a timezone-aware datetime, got naive {moment!r}")


def _wall(moment: datetime, tz: ZoneInfo) -> datetime:
    """The naive local wall-clock reading of an instant in ``tz``."""
    return moment.astimezone(tz).replace(tzinfo=None, fold=0)


def _gap_end(wall: datetime, tz: ZoneInfo) -> datetime:
    """The first valid instant after a wall time that falls in a spring-forward gap, in UTC.

    Read with the offset after the transition (fold=1), the wall time lands before the
    transition; read with the offset before it (fold=0), after. The transition instant lies
    between the two; find it by bisection to the second (zone transitions are whole seconds).
    """
    readings = [wall.replace(tzinfo=tz, fold=fold).astimezone(UTC) for fold in (0, 1)]
    before, after = min(readings), max(readings)  # wall(before) < wall < wall(after)
    low, high = 0, int((after - before).total_seconds())
    while high - low > 1:
        middle = (low + high) // 2
        if _wall(before + timedelta(seconds=middle), tz) > wall:
            high = middle
        else:
            low = middle
    return before + timedelta(seconds=high)


def _run_on(day: date, at: time, tz: ZoneInfo) -> datetime | None:
    """The one instant (UTC) a schedule at local ``at`` runs on local date ``day``, if any.

    A wall time that happens twice (fall back) runs at its first occurrence (fold=0). A wall
    time that does not exist (spring forward) runs when the gap ends. If that would fall on the
    next local date (a gap across midnight, or a skipped day), the date gets no run, so no
    local date ever gets two runs or a run on a weekday it did not ask for.
    """
    wall = datetime.combine(day, at)
    instant = wall.replace(tzinfo=tz, fold=0).astimezone(UTC)
    if _wall(instant, tz) != wall:  # the round trip moved it: the wall time is in a gap
        instant = _gap_end(wall, tz)
    return instant if instant.astimezone(tz).date() == day else None


def next_run(after: datetime, at: time, days: frozenset[int], tz: ZoneInfo) -> datetime:
    """The first run strictly after ``after``, as an aware UTC datetime.

    A run is the instant on a local date (in ``tz``) whose weekday is in ``days`` (Monday=0)
    when the local wall time reads ``at``, with the DST rules of :func:`_run_on`: a time in a
    spring-forward gap runs at the first valid instant after it (02:30 on 2026-03-08 in
    America/Toronto runs at 03:00 EDT = 07:00 UTC); an ambiguous time runs once, at its first
    occurrence. Raises ValueError if ``after`` is naive, ``at`` has a tzinfo or ``days`` is
    empty or holds numbers outside 0–6.
    """
    _require_aware(after, "after")
    if at.tzinfo is not None:
        raise ValueError("at must be a naive wall-clock time; the zone is given by tz")
    if not days or not days <= EVERY_DAY:
        raise ValueError(f"days must be a non-empty set of 0-6, got {sorted(days)!r}")
    # Earlier local dates cannot have a run after `after`: each run is the earliest reading of
    # its wall time, and a local date only steps backwards through times that repeat.
    first = after.astimezone(tz).date()
    for offset in range(_SEARCH_DATES):
        day = first + timedelta(days=offset)
        if day.weekday() in days and (run := _run_on(day, at, tz)) is not None and run > after:
            return run
    raise ValueError(f"no run of {at} on {format_days(days)} in {tz.key} within two weeks")


def next_runs(
    after: datetime, at: time, days: frozenset[int], tz: ZoneInfo, count: int = 3
) -> list[datetime]:
    """The next ``count`` runs after ``after``, each strictly after the one before (UTC)."""
    runs: list[datetime] = []
    for _run in range(count):
        after = next_run(after, at, days, tz)
        runs.append(after)
    return runs


# --- Downtime ------------------------------------------------------------------------------------

GRACE = timedelta(hours=2)
"""A slot missed while the bot was down still posts if it is less than this late."""

MAX_SKIPPED_LISTED = 50
"""catch_up lists at most this many skipped slots (the most recent), for the log."""

_LOOKBACK = timedelta(days=366)  # older misses are skipped without being listed or computed


def decide_due(slot: datetime, now: datetime, grace: timedelta = GRACE) -> Literal["wait", "post", "skip"]:
    """What the dispatcher does with one slot at ``now``.

    ``"wait"`` while the slot is in the future; ``"post"`` once due, as long as it is less than
    ``grace`` late; ``"skip"`` when it is ``grace`` late or more. Both datetimes must be aware.
    """
    _require_aware(slot, "slot")
    _require_aware(now, "now")
    if slot > now:
        return "wait"
    return "post" if now - slot < grace else "skip"


def catch_up(
    slot: datetime,
    now: datetime,
    at: time,
    days: frozenset[int],
    tz: ZoneInfo,
    grace: timedelta = GRACE,
) -> tuple[datetime | None, list[datetime], datetime]:
    """Settle a schedule whose stored next slot is ``slot``: what to post now, skip, and store.

    The missed slots are ``slot`` and every run of the schedule after it up to ``now``. Only
    the latest of them may post, and only if it is less than ``grace`` late; every other missed
    slot is skipped. So one call never posts more than once, however long the bot was down:
    after three days of downtime a daily schedule posts at most today's slot, never a burst.

    Returns ``(post, skipped, next_slot)``:
      * ``post``: the slot to post now, or None;
      * ``skipped``: skipped slots, oldest first, for logging; at most the
        :data:`MAX_SKIPPED_LISTED` most recent, and misses older than a year are not listed;
      * ``next_slot``: the slot to store next, the first run strictly after ``now``.

    If ``slot`` is still in the future nothing is due: ``(None, [], slot)``.
    """
    if decide_due(slot, now, grace) == "wait":
        return None, [], slot
    missed: deque[datetime] = deque([slot], maxlen=MAX_SKIPPED_LISTED + 1)
    upcoming = next_run(max(slot, now - _LOOKBACK), at, days, tz)
    while upcoming <= now:
        missed.append(upcoming)
        upcoming = next_run(upcoming, at, days, tz)
    latest = missed.pop()
    post = latest if decide_due(latest, now, grace) == "post" else None
    skipped = list(missed) if post else [*missed, latest]
    return post, skipped[-MAX_SKIPPED_LISTED:], upcoming
