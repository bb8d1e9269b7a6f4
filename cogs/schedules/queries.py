"""Scheduled posts and the slots they claimed.

The guarantee: a slot is posted **at most once**. The dispatcher claims a slot (a row in
``schedule_slots``, unique per schedule and slot) in the same transaction that moves the
schedule's ``next_run`` past it, and posts only if its claim inserted the row. A restart, a
reconnect or a second wake finds the slot claimed (or ``next_run`` already moved) and posts
nothing. A bot stopped between claiming and posting leaves the slot ``claimed``: it is not
posted later (at most once, never twice).

A slot's ``status``: ``claimed`` (being posted), ``posted``, ``failed`` (Discord refused it),
``skipped`` (missed while the bot was down too long), ``cancelled`` (its schedule was paused or
removed before the post went out: the post checks again before every send).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from datetime import datetime, time, timedelta
from typing import NamedTuple
from zoneinfo import ZoneInfo

from bot.clock import iso
from bot.store import Row, Statement, Store, marks

MAX_PER_GUILD = 25
KEEP_SLOTS = timedelta(days=90)  # slot rows older than this are pruned when a schedule is claimed

_COLUMNS = (
    "id, guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, paused_reason, "
    "created_by, created_at, paused_by, paused_at"
)


class Schedule(NamedTuple):
    """A schedule as read. A NamedTuple rather than a frozen dataclass: its class costs a
    fraction as much to create when the extension loads (no generated methods to compile), and
    a row becomes one without a ``setattr`` per field (hundreds are read at a busy instant)."""

    id: int
    guild_id: int
    channel_id: int
    kind: str  # 'tip' or 'prompt'
    topic: str | None
    local_time: str  # 'HH:MM', local to ``timezone``
    days: str  # scheduling.format_days text
    timezone: str  # IANA name
    next_run: datetime  # UTC
    paused_reason: str | None  # shown when paused_by is unknown: it never names anyone
    created_by: int  # 0 once that counsellor's data was deleted
    created_at: datetime
    paused_by: int | None = None  # who paused it with /schedule pause (None: Linkwise, or deleted)
    paused_at: datetime | None = None

    @property
    def at(self) -> time:
        return time.fromisoformat(self.local_time)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def _schedule(row: Row) -> Schedule:
    """A row selecting ``_COLUMNS``, read by position (in ``_COLUMNS``' order): a row's
    lookup by name compares the name with each column's in turn, which the dispatcher would pay
    fourteen times for each of the hundreds of schedules due at a busy instant."""
    (
        id_, guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, paused_reason,
        created_by, created_at, paused_by, paused_at,
    ) = row
    return Schedule(
        id=id_,
        guild_id=guild_id,
        channel_id=channel_id,
        kind=kind,
        topic=topic,
        local_time=local_time,
        days=days,
        timezone=timezone,
        next_run=datetime.fromisoformat(next_run),
        paused_reason=paused_reason,
        created_by=created_by,
        created_at=datetime.fromisoformat(created_at),
        paused_by=paused_by,
        paused_at=datetime.fromisoformat(paused_at) if paused_at else None,
    )


# ---------------------------------------------------------------------- counsellor side
async def add(
    store: Store,
    *,
    guild_id: int,
    channel_id: int,
    kind: str,
    topic: str | None,
    local_time: str,
    days: str,
    timezone: str,
    next_run: datetime,
    created_by: int,
    at: datetime,
    shard_count: int = 1,
) -> int | None:
    """Add a schedule and return its id (AUTOINCREMENT: never reused), or None when the server
    already has :data:`MAX_PER_GUILD` schedules (checked in the same statement, so two
    counsellors adding at once cannot pass the limit). The row is keyed for the bot's
    ``shard_count`` (see :func:`due`)."""
    return await store.insert(
        "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
        "paused_reason, created_by, created_at, shard_count, shard) "
        "SELECT ?, ?, ?, ?, ?, ?, ?, ?, NULL, ?, ?, ?, ? WHERE (SELECT COUNT(*) FROM schedules WHERE guild_id = ?) < ?",
        (
            guild_id, channel_id, kind, topic, local_time, days, timezone, iso(next_run), created_by, iso(at),
            shard_count, shard_of(guild_id, shard_count), guild_id, MAX_PER_GUILD,
        ),
    )


def shard_of(guild_id: int, shard_count: int) -> int:
    """The shard a server is on (Discord's rule)."""
    return (guild_id >> 22) % shard_count


async def count(store: Store, guild_id: int) -> int:
    return int(await store.fetchval("SELECT COUNT(*) FROM schedules WHERE guild_id = ?", (guild_id,), 0))


async def get(store: Store, guild_id: int, schedule_id: int) -> Schedule | None:
    """The schedule with this id *in this server* (another server's id is not found)."""
    row = await store.fetchone(
        f"SELECT {_COLUMNS} FROM schedules WHERE id = ? AND guild_id = ?", (schedule_id, guild_id)
    )
    return None if row is None else _schedule(row)


async def for_guild(store: Store, guild_id: int) -> list[Schedule]:
    rows = await store.fetchall(f"SELECT {_COLUMNS} FROM schedules WHERE guild_id = ? ORDER BY id", (guild_id,))
    return [_schedule(row) for row in rows]


async def remove(store: Store, guild_id: int, schedule_id: int) -> bool:
    """Delete the schedule (its slots go with it, ON DELETE CASCADE)."""
    (deleted,) = await store.write(("DELETE FROM schedules WHERE id = ? AND guild_id = ?", (schedule_id, guild_id)))
    return deleted == 1


async def pause(
    store: Store, schedule_id: int, reason: str, *, by: int | None = None, at: datetime | None = None
) -> bool:
    """Pause with a reason shown in /schedule list. False if it was already paused.

    A slot claimed but not posted yet (a post waiting out a retry) is cancelled in the same
    write: once the counsellor is told "paused", it is not sent, even if they resume at once."""
    changed, _ = await store.write(pause_statement(schedule_id, reason, by=by, at=at), cancel_claims(schedule_id))
    return changed == 1


def cancel_claims(schedule_id: int) -> Statement:
    """Cancel the schedule's slots claimed and not posted yet (their posts check before sending)."""
    return (
        "UPDATE schedule_slots SET status = 'cancelled' WHERE schedule_id = ? AND status = 'claimed'",
        (schedule_id,),
    )


def pause_statement(
    schedule_id: int, reason: str, *, by: int | None = None, at: datetime | None = None
) -> Statement:
    """Pause, with ``reason`` (never a person's name: shown as it is) and, for a counsellor's
    pause, who (``by``, a user id, named when shown) and when."""
    return (
        "UPDATE schedules SET paused_reason = ?, paused_by = ?, paused_at = ? WHERE id = ? AND paused_reason IS NULL",
        (reason, by, iso(at) if at else None, schedule_id),
    )


async def resume(store: Store, schedule_id: int, next_run: datetime) -> bool:
    """Resume from ``next_run`` (the first slot after now). False if it was not paused."""
    (changed,) = await store.write(
        (
            "UPDATE schedules SET paused_reason = NULL, paused_by = NULL, paused_at = NULL, next_run = ? "
            "WHERE id = ? AND paused_reason IS NOT NULL",
            (iso(next_run), schedule_id),
        )
    )
    return changed == 1


# ---------------------------------------------------------------------- dispatcher side
# Both walk the partial index schedules_due, so their cost follows the schedules due, not
# the number of schedules (a test checks the query plan).
EARLIEST_SQL = "SELECT next_run FROM schedules WHERE paused_reason IS NULL ORDER BY next_run LIMIT 1"
DUE_SQL = f"SELECT {_COLUMNS} FROM schedules WHERE paused_reason IS NULL AND next_run <= ? ORDER BY next_run LIMIT ?"




class Shards(NamedTuple):
    """Some of the bot's shards: a process that runs only these claims only the schedules of
    their servers, through the partial index schedules_due_shard (the rows are keyed by
    ``shard_count`` and ``shard``). A NamedTuple, like :class:`Schedule`; its count is
    ``shard_count``, since a field named ``count`` would hide ``tuple.count``."""

    ids: tuple[int, ...]
    shard_count: int

    @classmethod
    def of(cls, ids: tuple[int, ...] | None, count: int | None) -> Shards | None:
        """These shards of ``count``; None (every schedule) when the process runs every shard."""
        return None if ids is None or count is None else cls(ids, count)


# Per shard, one range of the index schedules_due_shard, read in next_run order and cut at the
# limit (an equality on its first two columns, a range on the third: no sort, nothing else
# read); then the shards' firsts merged. So a process's cost follows its own due schedules.
_PER_SHARD = "paused_reason IS NULL AND shard_count = ? AND shard = ?"


def earliest_sql(shards: Shards) -> str:
    firsts = " UNION ALL ".join(
        f"SELECT * FROM (SELECT next_run FROM schedules WHERE {_PER_SHARD} ORDER BY next_run LIMIT 1) AS s{i}"
        for i in range(len(shards.ids))
    )
    return f"SELECT MIN(next_run) FROM ({firsts}) AS firsts"


def due_sql(shards: Shards) -> str:
    per_shard = " UNION ALL ".join(
        f"SELECT * FROM (SELECT {_COLUMNS} FROM schedules WHERE {_PER_SHARD} AND next_run <= ? "
        f"ORDER BY next_run LIMIT ?) AS s{i}"
        for i in range(len(shards.ids))
    )
    return f"SELECT * FROM ({per_shard}) AS due ORDER BY next_run LIMIT ?"


def earliest_params(shards: Shards) -> tuple[object, ...]:
    return tuple(p for shard in shards.ids for p in (shards.shard_count, shard))


def due_params(shards: Shards, now: datetime, limit: int) -> tuple[object, ...]:
    return (*(p for shard in shards.ids for p in (shards.shard_count, shard, iso(now), limit)), limit)


async def earliest_next_run(store: Store, shards: Shards | None = None) -> datetime | None:
    """The earliest slot among active schedules (of ``shards``' servers only, if given)."""
    if shards is None:
        value = await store.fetchval(EARLIEST_SQL)
    else:
        value = await store.fetchval(earliest_sql(shards), earliest_params(shards))
    return None if value is None else datetime.fromisoformat(value)


async def due(store: Store, now: datetime, limit: int, shards: Shards | None = None) -> list[Schedule]:
    """Active schedules whose next slot is at or before ``now``, earliest first (of ``shards``'
    servers only, if given: other processes claim the others)."""
    if shards is None:
        rows = await store.fetchall(DUE_SQL, (iso(now), limit))
    else:
        rows = await store.fetchall(due_sql(shards), due_params(shards, now, limit))
    return [_schedule(row) for row in rows]


# Active schedules keyed for another shard count: two probes of schedules_due_shard's first
# column (an inequality written as two ranges, which both engines read from the index).
_UNKEYED = "paused_reason IS NULL AND (shard_count < ? OR shard_count > ?)"


async def unkeyed(store: Store, shard_count: int) -> bool:
    """Whether some active schedule is keyed for another shard count than ``shard_count``."""
    row = await store.fetchone(f"SELECT 1 FROM schedules WHERE {_UNKEYED} LIMIT 1", (shard_count, shard_count))
    return row is not None


def key_for(shard_count: int) -> Statement:
    """Key the active schedules for ``shard_count`` (their server's shard under that count):
    what a process running some shards does before a pass when :func:`unkeyed` finds some
    (the bot's count changed, or a schedule was written another way); a paused one is keyed
    when resumed. Rows already keyed for it are left alone."""
    return (
        f"UPDATE schedules SET shard_count = ?, shard = (guild_id >> 22) % ? WHERE {_UNKEYED}",
        (shard_count, shard_count, shard_count, shard_count),
    )


@functools.lru_cache(maxsize=1024)
def _stamp(moment: datetime) -> str:
    """:func:`bot.clock.iso`, remembered: at a busy instant the due schedules share their slot,
    their next run and the pruning horizon, so each stamp is written once, not per schedule."""
    return iso(moment)


def settle(
    schedule: Schedule,
    post: datetime | None,
    skipped: Sequence[datetime],
    next_run: datetime,
    now: datetime,
) -> tuple[Statement, ...]:
    """One transaction for a due schedule: record the skipped slots, claim ``post`` (if any),
    move ``next_run`` on and prune its old slot rows. Every statement applies only while the
    schedule is still active at the slot the dispatcher read, so a second wake, a pause or a
    removal in between changes nothing. :func:`settle_all` for one schedule.

    With ``post``, the first statement is the claim: the caller posts only if its row count is 1.
    """
    statements, _claims = settle_all([Settling(schedule, post, tuple(skipped), next_run)], now)
    return tuple(statements)


class Settling(NamedTuple):
    """What settling one due schedule writes (from :func:`cogs.schedules.rules.catch_up`): the
    slot to claim and post (None: none), the missed slots to record as skipped, the next run."""

    schedule: Schedule
    post: datetime | None
    skipped: tuple[datetime, ...]
    upcoming: datetime


MAX_IDS = 500  # schedule ids per statement of settle_all (well under both engines' parameter limits)


def _slots_sql(status: str, count: int, *, returning: bool) -> str:
    """Insert the slot ``?`` as ``status`` for those of ``count`` schedules still active at the
    slot read ``?`` (the set form of :func:`settle`'s condition)."""
    return (
        f"INSERT INTO schedule_slots (schedule_id, slot, status) SELECT id, ?, '{status}' FROM schedules "
        f"WHERE id IN ({marks(count)}) AND next_run = ? AND paused_reason IS NULL ON CONFLICT DO NOTHING"
        + (" RETURNING schedule_id" if returning else "")
    )


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[start : start + MAX_IDS] for start in range(0, len(ids), MAX_IDS)]


def settle_all(settlings: Sequence[Settling], now: datetime) -> tuple[list[Statement], list[int]]:
    """:func:`settle` for many due schedules in a few statements, for ONE write: the schedules
    sharing a slot read and a slot to claim are claimed by one ``INSERT ... SELECT`` (so are
    those sharing a skipped slot, and a move of ``next_run``), each schedule's rows under the
    same condition as alone (still active at the slot read), the claims and skips before the
    moves; then one prune of old slots for all. At a busy instant (09:00 in many servers) that
    is four statements for hundreds of schedules instead of two or more each.

    Returns the statements and the indexes of the claims among them: each claim returns the
    ids of the schedules whose slot it inserted, the ones to post (at most once: a slot some
    other wake claimed first is not inserted again)."""
    claims: dict[tuple[str, str], list[int]] = {}
    skips: dict[tuple[str, str], list[int]] = {}
    moves: dict[tuple[str, str], list[int]] = {}
    for schedule, post, skipped, upcoming in settlings:
        read = _stamp(schedule.next_run)
        if post is not None:
            claims.setdefault((read, _stamp(post)), []).append(schedule.id)
        for slot in skipped:
            skips.setdefault((read, _stamp(slot)), []).append(schedule.id)
        moves.setdefault((read, _stamp(upcoming)), []).append(schedule.id)
    statements: list[Statement] = []
    claim_indexes: list[int] = []
    for status, groups, returning in (("claimed", claims, True), ("skipped", skips, False)):
        for (read, stamp), ids in groups.items():
            for chunk in _chunks(ids):
                if returning:
                    claim_indexes.append(len(statements))
                statements.append((_slots_sql(status, len(chunk), returning=returning), (stamp, *chunk, read)))
    for (read, stamp), ids in moves.items():
        for chunk in _chunks(ids):
            statements.append(
                (
                    f"UPDATE schedules SET next_run = ? WHERE id IN ({marks(len(chunk))}) "
                    "AND next_run = ? AND paused_reason IS NULL",
                    (stamp, *chunk, read),
                )
            )
    statements.append(prune_slots([settling.schedule.id for settling in settlings], now))
    return statements, claim_indexes


def prune_slots(schedule_ids: Sequence[int], now: datetime) -> Statement:
    """The pruning of :func:`settle` for many schedules at once: their slot rows older than
    :data:`KEEP_SLOTS`, in one statement (through the slots' primary key, schedule by schedule)."""
    return (
        f"DELETE FROM schedule_slots WHERE schedule_id IN ({marks(len(schedule_ids))}) AND slot < ?",
        (*schedule_ids, _stamp(now - KEEP_SLOTS)),
    )


def posted(schedule_id: int, slot: datetime, message_id: int, at: datetime) -> Statement:
    return (
        "UPDATE schedule_slots SET status = 'posted', posted_at = ?, message_id = ? WHERE schedule_id = ? AND slot = ?",
        (iso(at), message_id, schedule_id, iso(slot)),
    )


def failed(schedule_id: int, slot: datetime) -> Statement:
    return (
        "UPDATE schedule_slots SET status = 'failed' WHERE schedule_id = ? AND slot = ?",
        (schedule_id, iso(slot)),
    )


def cancelled(schedule_id: int, slot: datetime) -> Statement:
    """The slot's post was withdrawn (its schedule paused or removed before it went out)."""
    return (
        "UPDATE schedule_slots SET status = 'cancelled' WHERE schedule_id = ? AND slot = ?",
        (schedule_id, iso(slot)),
    )


async def slot_still_wanted(store: Store, schedule_id: int, slot: datetime) -> bool:
    """Whether a claimed slot should still be posted: its schedule exists and is active, and the
    slot is still claimed (a pause cancels it; a removal deletes it with the schedule)."""
    row = await store.fetchone(
        "SELECT 1 FROM schedule_slots JOIN schedules ON schedules.id = schedule_slots.schedule_id "
        "WHERE schedule_slots.schedule_id = ? AND schedule_slots.slot = ? AND schedule_slots.status = 'claimed' "
        "AND schedules.paused_reason IS NULL",
        (schedule_id, iso(slot)),
    )
    return row is not None


async def still_there(store: Store, schedule_id: int, *, active: bool) -> bool:
    """Whether the schedule still exists (and, with ``active``, is not paused)."""
    sql = "SELECT 1 FROM schedules WHERE id = ?" + (" AND paused_reason IS NULL" if active else "")
    return await store.fetchone(sql, (schedule_id,)) is not None
