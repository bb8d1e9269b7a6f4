"""Unit and property tests for cogs.schedules.rules: parsers, next run across DST, downtime rules."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.errors import USER_ERRORS
from cogs.schedules.rules import (
    GRACE,
    MAX_SKIPPED_LISTED,
    ScheduleInputError,
    catch_up,
    decide_due,
    format_days,
    next_run,
    next_runs,
    parse_days,
    parse_time,
    parse_timezone,
    suggest_timezones,
)

TORONTO = ZoneInfo("America/Toronto")
LONDON = ZoneInfo("Europe/London")
WEEKDAYS = frozenset(range(5))
DAILY = frozenset(range(7))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


# --- parse_time ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("09:00", time(9, 0)),
        ("9:00", time(9, 0)),
        ("00:00", time(0, 0)),
        ("21:30", time(21, 30)),
        ("23:59", time(23, 59)),
        ("9am", time(9, 0)),
        ("9 AM", time(9, 0)),
        ("9Am", time(9, 0)),
        ("9:30pm", time(21, 30)),
        ("9:30 PM", time(21, 30)),
        ("12am", time(0, 0)),
        ("12:15am", time(0, 15)),
        ("12pm", time(12, 0)),
        ("12:45pm", time(12, 45)),
        ("1pm", time(13, 0)),
        ("  17:30  ", time(17, 30)),
        ("\t9pm\n", time(21, 0)),
    ],
)
def test_parse_time_accepts(text: str, expected: time) -> None:
    assert parse_time(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "25:00",
        "24:00",
        "09:60",
        "9",
        "0900",
        "09:00:00",  # seconds are not accepted
        "9:5",
        "13pm",
        "0am",
        "9:30:00pm",
        "9 a m",
        "noon",
        "-1:00",
        "٩:٠٠",  # non-ASCII digits
        "09:00\nx",
    ],
)
def test_parse_time_rejects_with_what_is_accepted(text: str) -> None:
    with pytest.raises(ScheduleInputError) as caught:
        parse_time(text)
    message = str(caught.value)
    assert repr(text.strip()) in message
    assert "is not a time" in message
    assert "HH:MM" in message and "9am" in message and "9:30pm" in message


def test_parse_time_error_example_from_spec() -> None:
    with pytest.raises(ScheduleInputError, match=r"^'25:00' is not a time\. Use 24-hour HH:MM like 09:00"):
        parse_time("25:00")


@pytest.mark.parametrize("text", ["", "   "])
def test_parse_time_empty(text: str) -> None:
    with pytest.raises(ScheduleInputError, match="No time given.*HH:MM"):
        parse_time(text)


def test_schedule_input_error_is_user_facing_value_error() -> None:
    with pytest.raises(ScheduleInputError) as caught:
        parse_time("later")
    assert isinstance(caught.value, ValueError)
    assert isinstance(caught.value, USER_ERRORS)  # answered to the member by the one error path
    assert caught.value.message == str(caught.value)


def test_parse_time_shortens_long_input_in_message() -> None:
    with pytest.raises(ScheduleInputError) as caught:
        parse_time("x" * 500)
    assert len(str(caught.value)) < 150


@given(st.integers(0, 23), st.integers(0, 59))
def test_parse_time_round_trips_24h_and_12h(hour: int, minute: int) -> None:
    assert parse_time(f"{hour:02d}:{minute:02d}") == time(hour, minute)
    assert parse_time(f"{hour}:{minute:02d}") == time(hour, minute)
    twelve = hour % 12 or 12
    suffix = "am" if hour < 12 else "pm"
    assert parse_time(f"{twelve}:{minute:02d}{suffix}") == time(hour, minute)
    assert parse_time(f"{twelve}:{minute:02d} {suffix.upper()}") == time(hour, minute)


# --- parse_days / format_days --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("daily", DAILY),
        ("DAILY", DAILY),
        ("weekdays", WEEKDAYS),
        (" Weekends ", frozenset({5, 6})),
        ("mon,wed,fri", frozenset({0, 2, 4})),
        ("Mon, Wed", frozenset({0, 2})),
        ("mon wed  fri", frozenset({0, 2, 4})),
        ("monday", frozenset({0})),
        ("tue", frozenset({1})),
        ("tues", frozenset({1})),
        ("Tuesday", frozenset({1})),
        ("thu,thur,thurs,thursday", frozenset({3})),
        ("sat,sun", frozenset({5, 6})),
        ("saturday, sunday", frozenset({5, 6})),
        ("fri,fri,FRI", frozenset({4})),
        (",mon,,", frozenset({0})),
        ("Mon, Tue, Wed, Thu, Fri, Sat, Sun", DAILY),
    ],
)
def test_parse_days_accepts(text: str, expected: frozenset[int]) -> None:
    assert parse_days(text) == expected


@pytest.mark.parametrize(
    ("text", "bad_word"),
    [
        ("funday", "funday"),
        ("mon,funday", "funday"),
        ("Mon; Wed", "mon;"),
        ("m", "m"),
        ("weekly", "weekly"),
        ("1,2", "1"),
    ],
)
def test_parse_days_rejects_naming_the_word(text: str, bad_word: str) -> None:
    with pytest.raises(ScheduleInputError) as caught:
        parse_days(text)
    message = str(caught.value)
    assert repr(bad_word) in message
    for accepted in ("daily", "weekdays", "weekends", "mon,wed,fri"):
        assert accepted in message


@pytest.mark.parametrize("text", ["", "  ", ",", " , "])
def test_parse_days_empty(text: str) -> None:
    with pytest.raises(ScheduleInputError, match="No days given.*weekdays"):
        parse_days(text)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (DAILY, "daily"),
        (WEEKDAYS, "weekdays"),
        (frozenset({5, 6}), "weekends"),
        (frozenset({4, 0, 2}), "Mon, Wed, Fri"),
        (frozenset({6}), "Sun"),
        (frozenset({0, 1, 2, 3, 4, 5}), "Mon, Tue, Wed, Thu, Fri, Sat"),
    ],
)
def test_format_days(days: frozenset[int], expected: str) -> None:
    assert format_days(days) == expected


@pytest.mark.parametrize("days", [frozenset(), frozenset({7}), frozenset({-1, 0})])
def test_format_days_rejects_bad_sets(days: frozenset[int]) -> None:
    with pytest.raises(ValueError):
        format_days(days)


@given(st.frozensets(st.integers(0, 6), min_size=1))
def test_format_days_round_trips(days: frozenset[int]) -> None:
    assert parse_days(format_days(days)) == days


# --- parse_timezone / suggest_timezones ----------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("America/Toronto", "America/Toronto"),
        ("  america/toronto ", "America/Toronto"),
        ("EUROPE/LONDON", "Europe/London"),
        ("america/new york", "America/New_York"),
        ("UTC", "UTC"),
        ("utc", "UTC"),
        ("Asia/Kolkata", "Asia/Kolkata"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
    ],
)
def test_parse_timezone_accepts(text: str, expected: str) -> None:
    zone = parse_timezone(text)
    assert isinstance(zone, ZoneInfo)
    assert zone.key == expected


@pytest.mark.parametrize("text", ["Mars/Olympus", "Toronto", "EST5", "../etc/passwd", "localtime", "+05:00"])
def test_parse_timezone_rejects_with_hint(text: str) -> None:
    with pytest.raises(ScheduleInputError) as caught:
        parse_timezone(text)
    message = str(caught.value)
    assert repr(text) in message
    assert "IANA name like America/Toronto or Europe/London" in message


def test_parse_timezone_empty() -> None:
    with pytest.raises(ScheduleInputError, match="No timezone given.*IANA"):
        parse_timezone("  ")


def test_suggest_timezones_empty_query_starts_with_common_zones() -> None:
    names = suggest_timezones("")
    assert len(names) == 25
    assert names[:8] == [
        "UTC",
        "America/Toronto",
        "America/New_York",
        "America/Chicago",
        "America/Denver",
        "America/Los_Angeles",
        "America/Vancouver",
        "America/Halifax",
    ]
    for zone in ("Europe/London", "Europe/Paris", "Australia/Sydney", "Asia/Kolkata"):
        assert zone in names


def test_suggest_timezones_ignores_underscores_and_case() -> None:
    assert suggest_timezones("new york")[0] == "America/New_York"
    assert suggest_timezones("NEW_YORK")[0] == "America/New_York"
    assert "America/Los_Angeles" in suggest_timezones("los ang")


def test_suggest_timezones_prefix_matches_first() -> None:
    assert suggest_timezones("tor")[0] == "America/Toronto"
    assert suggest_timezones("lon")[0] == "Europe/London"
    names = suggest_timezones("europe/l")
    assert names and all(name.startswith("Europe/L") for name in names)

    def group(name: str, query: str) -> int:
        key = name.lower().replace("_", " ")
        if key.startswith(query):
            return 0
        return 1 if any(part.startswith(query) for part in key.split("/")) else 2

    for query in ("am", "an", "ch"):
        groups = [group(name, query) for name in suggest_timezones(query, limit=1000)]
        assert groups == sorted(groups), query
        assert set(groups) == {0, 1, 2}, query


def test_suggest_timezones_substring_and_limit() -> None:
    assert "Asia/Kolkata" in suggest_timezones("kolk")
    assert "America/Argentina/Buenos_Aires" in suggest_timezones("aires")
    assert len(suggest_timezones("a", limit=5)) == 5
    assert suggest_timezones("a", limit=0) == []
    assert suggest_timezones("nowhere-at-all") == []
    assert all(len(name) <= 100 for name in suggest_timezones("", limit=1000))


@given(st.text(max_size=20))
@settings(max_examples=50)
def test_suggestions_are_valid_zones(query: str) -> None:
    names = suggest_timezones(query)
    assert len(names) <= 25
    assert len(set(names)) == len(names)
    for name in names:
        assert parse_timezone(name).key == name


# --- next_run: plain weeks -----------------------------------------------------------------------


def test_next_run_weekdays_in_toronto_across_a_week() -> None:
    # Friday 2026-01-09 10:00 EST: today's 09:00 has passed, so Monday comes next.
    after = datetime(2026, 1, 9, 10, 0, tzinfo=TORONTO)
    runs = next_runs(after, time(9, 0), WEEKDAYS, TORONTO, count=6)
    assert runs == [utc(2026, 1, day, 14, 0) for day in (12, 13, 14, 15, 16, 19)]
    assert all(run.tzinfo is UTC for run in runs)


def test_next_run_is_strictly_after() -> None:
    slot = utc(2026, 1, 12, 14, 0)  # Monday 09:00 EST
    assert next_run(slot, time(9, 0), WEEKDAYS, TORONTO) == utc(2026, 1, 13, 14, 0)
    assert next_run(slot - timedelta(microseconds=1), time(9, 0), WEEKDAYS, TORONTO) == slot


def test_next_run_uses_the_local_date_not_the_utc_date() -> None:
    # 2026-01-10 03:00 UTC is still Friday 22:00 in Toronto; Friday 23:00 local is next.
    after = utc(2026, 1, 10, 3, 0)
    assert next_run(after, time(23, 0), frozenset({4}), TORONTO) == utc(2026, 1, 10, 4, 0)


def test_next_run_accepts_any_aware_after() -> None:
    after = datetime(2026, 1, 9, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))
    assert next_run(after, time(9, 0), DAILY, LONDON) == utc(2026, 1, 9, 9, 0)


def test_next_run_rejects_naive_and_empty() -> None:
    with pytest.raises(ValueError, match="aware"):
        next_run(datetime(2026, 1, 1), time(9, 0), DAILY, TORONTO)
    with pytest.raises(ValueError, match="non-empty"):
        next_run(utc(2026, 1, 1), time(9, 0), frozenset(), TORONTO)
    with pytest.raises(ValueError):
        next_run(utc(2026, 1, 1), time(9, 0, tzinfo=UTC), DAILY, TORONTO)


def test_next_runs_count() -> None:
    assert next_runs(utc(2026, 1, 1), time(9, 0), DAILY, TORONTO, count=0) == []
    assert len(next_runs(utc(2026, 1, 1), time(9, 0), DAILY, TORONTO)) == 3


# --- next_run: DST -------------------------------------------------------------------------------


def test_toronto_spring_forward_gap_runs_when_the_gap_ends() -> None:
    # 2026-03-08: 02:00 EST jumps to 03:00 EDT, so 02:30 does not exist; it runs at 03:00 EDT.
    runs = next_runs(utc(2026, 3, 7, 0, 0), time(2, 30), DAILY, TORONTO, count=3)
    assert runs == [
        utc(2026, 3, 7, 7, 30),  # 02:30 EST
        utc(2026, 3, 8, 7, 0),  # 03:00 EDT, the first valid instant after 02:30
        utc(2026, 3, 9, 6, 30),  # 02:30 EDT
    ]
    assert runs[1].astimezone(TORONTO).time() == time(3, 0)


def test_toronto_spring_forward_around_the_gap() -> None:
    day = utc(2026, 3, 8, 0, 0)
    assert next_run(day, time(1, 59), DAILY, TORONTO) == utc(2026, 3, 8, 6, 59)  # EST
    assert next_run(day, time(2, 0), DAILY, TORONTO) == utc(2026, 3, 8, 7, 0)  # in the gap
    assert next_run(day, time(3, 0), DAILY, TORONTO) == utc(2026, 3, 8, 7, 0)  # EDT
    assert next_run(day, time(3, 1), DAILY, TORONTO) == utc(2026, 3, 8, 7, 1)


def test_toronto_fall_back_runs_once_at_first_occurrence() -> None:
    # 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
    first = utc(2026, 11, 1, 5, 30)  # 01:30 EDT
    second = utc(2026, 11, 1, 6, 30)  # 01:30 EST, must not run
    assert next_run(utc(2026, 11, 1, 0, 0), time(1, 30), DAILY, TORONTO) == first
    following = utc(2026, 11, 2, 6, 30)  # 01:30 EST on Monday
    assert next_run(first, time(1, 30), DAILY, TORONTO) == following
    between = first + timedelta(minutes=30)
    assert next_run(between, time(1, 30), DAILY, TORONTO) == following
    assert second not in next_runs(utc(2026, 10, 31), time(1, 30), DAILY, TORONTO, count=5)


def test_toronto_fall_back_unambiguous_times() -> None:
    day = utc(2026, 11, 1, 0, 0)
    assert next_run(day, time(0, 30), DAILY, TORONTO) == utc(2026, 11, 1, 4, 30)  # EDT
    assert next_run(day, time(2, 30), DAILY, TORONTO) == utc(2026, 11, 1, 7, 30)  # EST


def test_london_spring_forward_gap() -> None:
    # 2026-03-29: 01:00 GMT jumps to 02:00 BST; 01:30 runs at 02:00 BST = 01:00 UTC.
    runs = next_runs(utc(2026, 3, 28, 0, 0), time(1, 30), DAILY, LONDON, count=3)
    assert runs == [utc(2026, 3, 28, 1, 30), utc(2026, 3, 29, 1, 0), utc(2026, 3, 30, 0, 30)]
    # 02:30 exists on that day (BST).
    assert next_run(utc(2026, 3, 29, 0, 0), time(2, 30), DAILY, LONDON) == utc(2026, 3, 29, 1, 30)


def test_london_fall_back_ambiguous() -> None:
    # 2026-10-25: 02:00 BST falls back to 01:00 GMT; 01:30 BST (00:30 UTC) runs, 01:30 GMT does not.
    runs = next_runs(utc(2026, 10, 24, 12, 0), time(1, 30), DAILY, LONDON, count=2)
    assert runs == [utc(2026, 10, 25, 0, 30), utc(2026, 10, 26, 1, 30)]
    assert next_run(utc(2026, 10, 25, 2, 30), time(2, 30), DAILY, LONDON) == utc(2026, 10, 26, 2, 30)


def test_lord_howe_half_hour_gap() -> None:
    # 2026-10-04: Lord Howe jumps from 02:00 (+10:30) to 02:30 (+11:00).
    zone = ZoneInfo("Australia/Lord_Howe")
    run = next_run(utc(2026, 10, 3, 0, 0), time(2, 15), DAILY, zone)
    assert run == utc(2026, 10, 3, 15, 30)
    assert run.astimezone(zone).replace(tzinfo=None) == datetime(2026, 10, 4, 2, 30)


def test_gap_crossing_midnight_gives_that_date_no_run() -> None:
    # America/Nuuk on Saturday 2026-03-28 jumps from 23:00 (-02) to 00:00 Sunday (-01).
    # 23:30 Saturday does not exist and the first valid instant is already Sunday, so Saturday
    # gets no run rather than a run on a day (Sunday) that was not asked for.
    zone = ZoneInfo("America/Nuuk")
    saturday = frozenset({5})
    run = next_run(utc(2026, 3, 28, 12, 0), time(23, 30), saturday, zone)
    assert run.astimezone(zone).date() == date(2026, 4, 4)
    both = next_runs(utc(2026, 3, 28, 12, 0), time(23, 30), frozenset({5, 6}), zone, count=2)
    assert [r.astimezone(zone).date() for r in both] == [date(2026, 3, 29), date(2026, 4, 4)]


# --- next_run: properties ------------------------------------------------------------------------

ZONES = [
    "UTC",
    "America/Toronto",
    "America/St_Johns",
    "America/Sao_Paulo",
    "America/Santiago",
    "America/Havana",
    "America/Nuuk",
    "Europe/London",
    "Europe/Dublin",  # negative DST in tzdata
    "Africa/Casablanca",  # DST suspended during Ramadan
    "Africa/Cairo",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",  # 30-minute DST
    "Pacific/Chatham",
    "Pacific/Kiritimati",
]

zones = st.sampled_from(ZONES).map(ZoneInfo)
times = st.builds(time, st.integers(0, 23), st.integers(0, 59))
day_sets = st.frozensets(st.integers(0, 6), min_size=1)
instants = st.datetimes(min_value=datetime(2020, 1, 1), max_value=datetime(2035, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)


def assert_is_run(run: datetime, at: time, days: frozenset[int], zone: ZoneInfo) -> None:
    """The run is on an allowed local date, at ``at`` or at the end of the gap swallowing it."""
    local = run.astimezone(zone)
    assert local.weekday() in days
    wall = local.replace(tzinfo=None)
    wanted = datetime.combine(local.date(), at)
    if wall != wanted:
        # `at` must not exist that day: the run is the first instant after the gap.
        round_trip = wanted.replace(tzinfo=zone).astimezone(UTC).astimezone(zone).replace(tzinfo=None)
        assert round_trip != wanted, f"{wanted} exists in {zone.key} but the run is at {wall}"
        assert timedelta(0) < wall - wanted <= timedelta(hours=3)
        just_before = (run - timedelta(seconds=1)).astimezone(zone).replace(tzinfo=None)
        assert just_before < wanted
    elif local.fold == 1:
        # An ambiguous time runs at its first occurrence only.
        raise AssertionError(f"{wall} ran at its second occurrence in {zone.key}")


@settings(max_examples=200, deadline=None)
@given(instants, times, day_sets, zones)
def test_next_run_properties(after: datetime, at: time, days: frozenset[int], zone: ZoneInfo) -> None:
    run = next_run(after, at, days, zone)
    assert run > after
    assert run.tzinfo is UTC
    assert run - after <= timedelta(days=8)
    assert_is_run(run, at, days, zone)


@settings(max_examples=100, deadline=None)
@given(instants, times, day_sets, zones)
def test_thirty_runs_never_share_a_local_date(
    after: datetime, at: time, days: frozenset[int], zone: ZoneInfo
) -> None:
    runs = next_runs(after, at, days, zone, count=30)
    assert all(earlier < later for earlier, later in zip(runs, runs[1:], strict=False))
    local_dates = [run.astimezone(zone).date() for run in runs]
    assert len(set(local_dates)) == len(local_dates)
    for run in runs:
        assert_is_run(run, at, days, zone)


@settings(max_examples=30, deadline=None)
@given(instants, times, day_sets, zones)
def test_next_run_skips_no_earlier_matching_minute(
    after: datetime, at: time, days: frozenset[int], zone: ZoneInfo
) -> None:
    """Brute force: no whole minute between ``after`` and the run reads ``at`` on an allowed day."""
    run = next_run(after, at, days, zone)
    minute = after.replace(second=0, microsecond=0) + timedelta(minutes=1)
    while minute < run:
        local = minute.astimezone(zone)
        if local.fold == 0 and local.weekday() in days:
            assert (local.hour, local.minute) != (at.hour, at.minute), f"missed {local}"
        minute += timedelta(minutes=1)


# --- decide_due / catch_up -----------------------------------------------------------------------


def test_decide_due() -> None:
    slot = utc(2026, 1, 12, 14, 0)
    assert decide_due(slot, slot - timedelta(seconds=1)) == "wait"
    assert decide_due(slot, slot) == "post"
    assert decide_due(slot, slot + timedelta(minutes=30)) == "post"
    assert decide_due(slot, slot + GRACE - timedelta(microseconds=1)) == "post"
    assert decide_due(slot, slot + GRACE) == "skip"
    assert decide_due(slot, slot + timedelta(hours=3)) == "skip"
    assert decide_due(slot, slot + timedelta(minutes=10), grace=timedelta(minutes=5)) == "skip"
    with pytest.raises(ValueError, match="aware"):
        decide_due(slot, datetime(2026, 1, 12))


NINE = time(9, 0)
MONDAY_SLOT = utc(2026, 1, 12, 14, 0)  # Monday 09:00 EST


def test_catch_up_future_slot_waits() -> None:
    now = MONDAY_SLOT - timedelta(hours=1)
    assert catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO) == (None, [], MONDAY_SLOT)


def test_catch_up_on_time_posts() -> None:
    assert catch_up(MONDAY_SLOT, MONDAY_SLOT, NINE, DAILY, TORONTO) == (
        MONDAY_SLOT,
        [],
        utc(2026, 1, 13, 14, 0),
    )


def test_catch_up_thirty_minutes_late_posts() -> None:
    now = MONDAY_SLOT + timedelta(minutes=30)
    post, skipped, next_slot = catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO)
    assert post == MONDAY_SLOT
    assert skipped == []
    assert next_slot == utc(2026, 1, 13, 14, 0)


def test_catch_up_three_hours_late_skips() -> None:
    now = MONDAY_SLOT + timedelta(hours=3)
    post, skipped, next_slot = catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO)
    assert post is None
    assert skipped == [MONDAY_SLOT]
    assert next_slot == utc(2026, 1, 13, 14, 0)


def test_catch_up_three_days_down_posts_only_the_latest_if_fresh() -> None:
    now = MONDAY_SLOT + timedelta(days=3, minutes=30)  # Thursday 09:30 EST
    post, skipped, next_slot = catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO)
    assert post == utc(2026, 1, 15, 14, 0)  # Thursday's slot, 30 minutes late
    assert skipped == [MONDAY_SLOT, utc(2026, 1, 13, 14, 0), utc(2026, 1, 14, 14, 0)]
    assert next_slot == utc(2026, 1, 16, 14, 0)


def test_catch_up_three_days_down_all_stale_posts_nothing() -> None:
    now = MONDAY_SLOT + timedelta(days=3, hours=3)  # Thursday 12:00 EST
    post, skipped, next_slot = catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO)
    assert post is None
    assert skipped == [MONDAY_SLOT + timedelta(days=offset) for offset in range(4)]
    assert next_slot == utc(2026, 1, 16, 14, 0)
    assert next_slot > now


def test_catch_up_long_outage_is_bounded_and_lists_recent_skips() -> None:
    now = MONDAY_SLOT + timedelta(days=3 * 365, minutes=10)
    post, skipped, next_slot = catch_up(MONDAY_SLOT, now, NINE, DAILY, TORONTO)
    assert post is not None and now - post < GRACE
    assert len(skipped) == MAX_SKIPPED_LISTED
    assert skipped == sorted(skipped) and skipped[-1] < post
    assert now < next_slot <= now + timedelta(days=1)


@settings(max_examples=200, deadline=None)
@given(
    instants,
    st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=20)),
    times,
    day_sets,
    zones,
)
def test_catch_up_never_bursts(
    start: datetime, downtime: timedelta, at: time, days: frozenset[int], zone: ZoneInfo
) -> None:
    slot = next_run(start, at, days, zone)
    now = slot + downtime
    post, skipped, next_slot = catch_up(slot, now, at, days, zone)
    assert next_slot > now
    assert len(skipped) <= MAX_SKIPPED_LISTED
    assert all(s <= now and decide_due(s, now) in {"post", "skip"} for s in skipped)
    assert skipped == sorted(skipped)
    if post is not None:
        assert decide_due(post, now) == "post"
        assert all(s < post for s in skipped)
        # Nothing between the posted slot and now was missed: it is the latest.
        assert next_run(post, at, days, zone) == next_slot
    else:
        assert skipped and decide_due(skipped[-1], now) == "skip"
        assert next_run(skipped[-1], at, days, zone) == next_slot
