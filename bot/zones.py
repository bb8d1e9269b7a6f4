"""Time zones as a member types them: IANA names parsed forgivingly, suggested for Discord's
autocomplete, and a stored zone that left the zone database told apart. Pure; shared by every
feature that takes a time zone (``/settings timezone``, ``/schedule add``)."""

from __future__ import annotations

import functools
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

from bot.i18n import N_, _
from bot.input import InputError

ScheduleInputError = InputError  # what parse_timezone raises: the message says what is accepted


def quote(text: str, limit: int = 40) -> str:
    """The user's input, trimmed and shortened, quoted for an error message."""
    text = text.strip()
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return repr(text)


_quote = quote

TIMEZONE_HINT = N_("Use an IANA name like America/Toronto or Europe/London.")

COMMON_TIMEZONES = (
    "UTC",
    "America/Toronto",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Vancouver",
    "America/Halifax",
    "America/Mexico_City",
    "America/Sao_Paulo",
    "Europe/London",
    "Europe/Dublin",
    "Europe/Paris",
    "Europe/Berlin",
    "Europe/Madrid",
    "Africa/Lagos",
    "Africa/Johannesburg",
    "Asia/Dubai",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Asia/Manila",
    "Asia/Tokyo",
    "Australia/Sydney",
    "Australia/Perth",
    "Pacific/Auckland",
)

# Files some systems keep among their zones that are not places a counsellor would pick.
_NOT_ZONES = frozenset({"localtime", "Factory", "posixrules"})
_MAX_CHOICE_LENGTH = 100  # Discord's limit for an autocomplete choice


@functools.cache
def _zone_names() -> tuple[str, ...]:
    """Every IANA zone name this install knows, sorted; computed once."""
    names = (name for name in available_timezones() if name not in _NOT_ZONES)
    return tuple(sorted(name for name in names if len(name) <= _MAX_CHOICE_LENGTH))


def _normalise(name: str) -> str:
    """Fold case and treat underscores and spaces alike: ``New_York`` and ``new york`` match."""
    return " ".join(name.replace("_", " ").lower().split())


@functools.cache
def _zones_by_key() -> dict[str, str]:
    """Normalised name -> canonical spelling, for case-insensitive lookup."""
    return {_normalise(name): name for name in _zone_names()}


def parse_timezone(name: str) -> ZoneInfo:
    """Resolve an IANA zone name, ignoring case, surrounding spaces and spaces-for-underscores.

    ``america/toronto`` gives ``ZoneInfo("America/Toronto")``; ``UTC`` works too.
    Raises :class:`ScheduleInputError` with a hint for anything else.
    """
    if not name.strip():
        raise ScheduleInputError(_("No timezone given. {hint}", hint=_(TIMEZONE_HINT)))
    canonical = _zones_by_key().get(_normalise(name))
    if canonical is None:
        raise ScheduleInputError(_("{name} is not a timezone I know. {hint}", name=_quote(name), hint=_(TIMEZONE_HINT)))
    return ZoneInfo(canonical)


def stored_zone(name: str) -> ZoneInfo | None:
    """The zone a schedule was stored with, or None when this install no longer knows it.

    Zones leave the time-zone database now and then (renamed or merged into another, as
    ``US/Pacific-New`` did in 2020), so a name that was valid when the schedule was added may
    not load after an upgrade. A malformed name (hand-edited data) counts as unknown too."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def zone_gone_reason(name: str) -> str:
    """The pause reason of a schedule whose zone is no longer known (``/schedule list``)."""
    return _(
        "its time zone {name} is no longer in Linkwise's time-zone database: "
        "remove it and add it again with a current zone",
        name=_quote(name, 60),
    )


def suggest_timezones(query: str, limit: int = 25) -> list[str]:
    """Zone names for Discord autocomplete, best first, at most ``limit`` (each <= 100 chars).

    Matching ignores case and treats underscores as spaces (``new york`` finds America/New_York).
    Names that start with the query come first, then names with a part (after a ``/``) that
    starts with it, then names containing it anywhere; common zones lead within each group.
    An empty query lists the common zones first.
    """
    if limit <= 0:
        return []
    needle = _normalise(query)
    common = {name: index for index, name in enumerate(COMMON_TIMEZONES)}
    ranked: list[tuple[int, int, str]] = []
    for name in _zone_names():
        key = _normalise(name)
        if needle not in key:
            continue
        if key.startswith(needle):
            group = 0
        elif any(part.startswith(needle) for part in key.split("/")):
            group = 1
        else:
            group = 2
        ranked.append((group, common.get(name, len(common)), name))
    ranked.sort()
    return [name for _, _, name in ranked[:limit]]
