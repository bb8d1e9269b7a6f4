"""The one durable dispatcher of scheduled posts.

One asyncio task, started once by the Schedules cog's ``cog_load`` (never ``on_ready``, which fires
again on every reconnect), kept by reference, restarted if it ever dies. It sleeps until the earliest
next run of any active schedule, never more than an hour at a time, and is woken early by
:meth:`Dispatcher.wake` when a counsellor adds or resumes a schedule. On each wake it:

1. reads the due schedules (``next_run <= now``, through an index, a batch at a time): in a
   process running some of the bot's shards, only those of servers on its shards
   (``(guild_id >> 22) % shard_count``), through the index of the schedules keyed by shard;
   other processes claim the others, and the at-most-once claim below stays the final guard;
2. for each, settles the missed slots with :func:`cogs.schedules.rules.catch_up`, and in ONE write
   for the whole batch claims each one's slot to post, records its skipped ones and moves its
   ``next_run`` to the next future slot (see :mod:`cogs.schedules.queries` for the at-most-once
   guarantee); if that write fails, each schedule is settled in a write of its own;
3. posts the claimed slots, a few at a time, each in its own error handling.

Posts are built by *posters*, one per kind, registered by the feature that owns the content:
``bot.add_post_source("tip", ...)`` (cogs/tips), ``bot.add_post_source("prompt", ...)`` (cogs/prompts). A poster is
``async def poster(bot, guild_id, topic) -> Post``; it takes the server's next item from the
rotation, chosen and recorded in one step (:func:`bot.store.rotation.claim`), so two posts at
the same instant, here or from ``/prompt``, never take the same item. The dispatcher gives the
item back (:meth:`bot.store.rotation.Claim.release`) when the post does not go out.

The counsellor's word holds: before every send and every resend the dispatcher asks the
database again whether the post is still wanted (the schedule exists, is not paused, and the
slot was not cancelled by a pause meanwhile) and whether its item still exists (a server's own
tip or prompt removed meanwhile is replaced by another item of the pool as it is now, rather
than skipping the slot). A removal that lands while Discord is taking the message is caught
just after: the message is deleted at once. See :meth:`Dispatcher.deliver`.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import logging
from datetime import datetime, time, timedelta, tzinfo
from typing import TYPE_CHECKING, Any

import discord

from bot import clock, custom_content
from bot.i18n import _, post_locale, using_locale
from bot.posts import Post, PostSource
from bot.store import Statement
from cogs.schedules import queries as schedule_rows
from cogs.schedules import rules as scheduling
from cogs.schedules.queries import Schedule

if TYPE_CHECKING:
    from bot.app import Linkwise

log = logging.getLogger(__name__)

MAX_SLEEP = 3600.0  # seconds: the dispatcher looks again at least this often
BATCH = 100  # due schedules settled per query
CONCURRENCY = 5  # posts in flight at once
RETRY_DELAYS = (2.0, 4.0)  # seconds between the (at most 3) attempts after a 5xx or 429
MAX_RETRY_AFTER = 60.0  # a 429 asking to wait longer than this skips the slot instead
MIN_SLEEP = 1.0  # seconds between passes, unless woken or a full batch was settled
ERROR_PAUSE = 60.0  # seconds to wait after an unexpected error in a pass, before trying again
MAX_RESTARTS = 5  # times the task is restarted after dying unexpectedly




@functools.lru_cache(maxsize=256)
def _days(text: str) -> frozenset[int]:
    return scheduling.parse_days(text)


@functools.lru_cache(maxsize=4096)
def _catch_up(
    slot: datetime, now: datetime, at: time, days: frozenset[int], zone: tzinfo
) -> tuple[datetime | None, tuple[datetime, ...], datetime]:
    """:func:`cogs.schedules.rules.catch_up`, remembered: at a busy instant (09:00 in many servers)
    most due schedules share their slot, time, days and zone, so the DST arithmetic runs once."""
    post, skipped, upcoming = scheduling.catch_up(slot, now, at, days, zone)  # type: ignore[arg-type]
    return post, tuple(skipped), upcoming


class CannotPost(Exception):
    """The schedule cannot post in its channel. The message is the pause reason shown by
    ``/schedule list``: short, no trailing full stop."""


class Withdrawn(Exception):
    """The post is no longer wanted: its schedule was removed or paused while it waited (or
    was being sent). Nothing stays posted."""


def _retryable(error: BaseException) -> bool:
    """Discord's side is busy or down (5xx) or we are rate limited (429): worth a retry."""
    if isinstance(error, discord.RateLimited):
        return True
    return isinstance(error, discord.HTTPException) and (error.status >= 500 or error.status == 429)


def _http_reason(error: discord.HTTPException) -> str:
    text = (error.text or getattr(error.response, "reason", "") or "").strip()
    return f"{error.status} {text}".strip()[:120]


def _where(channel: Any, channel_id: int) -> str:
    name = getattr(channel, "name", None)
    return f"#{name[:40]}" if name else _("channel {id}", id=str(channel_id))


def channel_problem(channel: discord.abc.GuildChannel | discord.Thread) -> str | None:
    """Why Linkwise cannot post its embeds and buttons in ``channel``, or None if it can."""
    me = channel.guild.me
    permissions = channel.permissions_for(me)
    missing = [
        label
        for label, has in (
            (_("View Channel"), permissions.view_channel),
            (_("Send Messages"), permissions.send_messages),
            (_("Embed Links"), permissions.embed_links),
        )
        if not has
    ]
    where = f"#{channel.name[:40]}"
    if not missing:
        return None
    if len(missing) == 1:
        return _("Linkwise is missing the {first} permission in {channel}", first=missing[0], channel=where)
    if len(missing) == 2:
        return _(
            "Linkwise is missing the {first} and {second} permissions in {channel}",
            first=missing[0],
            second=missing[1],
            channel=where,
        )
    return _(
        "Linkwise is missing the {first} and {second} and {third} permissions in {channel}",
        first=missing[0],
        second=missing[1],
        third=missing[2],
        channel=where,
    )


class Dispatcher:
    """Owns the dispatcher task: :meth:`start` from the Schedules cog's ``cog_load``, :meth:`stop`
    from its ``cog_unload`` (the bot's ``close`` unloads every cog)."""

    def __init__(self, bot: Linkwise, shards: schedule_rows.Shards | None = None) -> None:
        self.bot = bot
        self._task: asyncio.Task[None] | None = None
        self._napping: asyncio.Task[Any] | None = None  # the task parked in _sleep, if any
        self._woken = False
        self._stopping = False
        self._restarts = 0
        # Some of the bot's shards only: claim their servers' schedules (None: every schedule).
        self.shards = shards

    # ------------------------------------------------------------------ lifecycle
    def start(self) -> None:
        """Start the loop; calling it again while it runs does nothing."""
        if self.running:
            return
        self._stopping = False
        self._task = asyncio.create_task(self._run(), name="linkwise-dispatcher")
        self._task.add_done_callback(self._on_done)

    async def stop(self) -> None:
        self._stopping = True
        task, self._task = self._task, None
        if task is not None and not task.done():
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    def _on_done(self, task: asyncio.Task[None]) -> None:
        """Restart the loop if it ever dies (bounded), logging why."""
        if task is not self._task or task.cancelled() or self._stopping or self.bot.is_closed():
            return
        error = task.exception()
        self._task = None
        if self._restarts >= MAX_RESTARTS:
            log.critical("the dispatcher stopped %d times; scheduled posts are off", self._restarts + 1, exc_info=error)
            return
        self._restarts += 1
        log.error(
            "the dispatcher stopped unexpectedly; restarting it (%d/%d)", self._restarts, MAX_RESTARTS, exc_info=error
        )
        self.start()

    def wake(self) -> None:
        """Look at the schedules again now (one was added or resumed).

        If the loop is parked between passes, it is replaced by a fresh one, which starts with a
        pass (as RoboDanny's reminder cog does when a sooner timer arrives). Cancelling it
        there loses nothing: it holds no claim and no transaction while it sleeps. If it is
        busy, the flag makes it pass again instead of sleeping.
        """
        self._woken = True
        task, napping = self._task, self._napping
        if napping is not task or task is None or task.done():
            return
        task.cancel()  # its done-callback runs later, and sees it is no longer the current task
        self._napping = self._task = None
        self.start()

    async def _sleep(self, seconds: float) -> None:
        """Sleep between passes, unless woken meanwhile.

        A plain ``asyncio.sleep`` in the loop's own task (not ``wait_for`` on an Event): it
        runs on the event loop's clock, which SimCord's virtual time drives and recognises as
        an idle timer, and :meth:`wake` can cut it short by replacing the task.
        """
        if self._woken:
            return
        me = asyncio.current_task()
        self._napping = me
        try:
            await asyncio.sleep(seconds)
        finally:
            if self._napping is me:
                self._napping = None

    async def _run(self) -> None:
        """Sleep until the earliest next run (at most an hour), settle what is due, repeat.

        The earliest next run is kept between passes: every change to the schedules comes
        through this bot and calls :meth:`wake`, so an hourly wake with nothing due only
        re-reads the clock. The database is read when woken, when something is due, and
        after an error.
        """
        await self.bot.wait_until_ready()
        earliest: datetime | None = None
        known = False  # whether `earliest` reflects the database
        while not self.bot.is_closed():
            if self._woken or not known or (earliest is not None and earliest <= clock.now()):
                self._woken = False
                try:
                    if self.shards is not None:
                        await self._key_schedules(self.shards.shard_count)
                    if await self.run_once():
                        continue  # a full batch: more may be due right away
                    earliest = await schedule_rows.earliest_next_run(self.bot.store, self.shards)
                    known = True
                except Exception:
                    log.exception("the dispatcher's pass failed; trying again in %.0f seconds", ERROR_PAUSE)
                    known = False
                    await self._sleep(ERROR_PAUSE)
                    continue
            delay = MAX_SLEEP if earliest is None else (earliest - clock.now()).total_seconds()
            # Still due after a pass means a schedule could not be settled: do not spin on it.
            await self._sleep(min(max(delay, MIN_SLEEP), MAX_SLEEP))

    async def _key_schedules(self, shard_count: int) -> None:
        """Before a pass: key for this process's shard count the active schedules keyed for
        another (after the bot's count changed: every process of a bot runs with one count,
        which the shard lock enforces). Usually one index probe that finds none."""
        if not await schedule_rows.unkeyed(self.bot.store, shard_count):
            return
        (changed,) = await self.bot.store.write(schedule_rows.key_for(shard_count))
        if changed > 0:
            log.info("keyed %d schedule(s) for %d shards", changed, shard_count)

    # ------------------------------------------------------------------ one pass
    async def run_once(self) -> bool:
        """Settle and post every due schedule of one batch. True if the batch was full (more may
        be due right away)."""
        claimed, full = await self.claim_due(clock.now())
        if claimed:
            limit = asyncio.Semaphore(CONCURRENCY)

            async def bounded(schedule: Schedule, slot: datetime) -> None:
                async with limit:
                    await self.post_slot(schedule, slot)

            await asyncio.gather(*(bounded(schedule, slot) for schedule, slot in claimed), return_exceptions=True)
        return full

    async def claim_due(self, now: datetime, limit: int = BATCH) -> tuple[list[tuple[Schedule, datetime]], bool]:
        """Find the due schedules (through the ``next_run`` index; in a process running some
        shards, only its shards') and settle them all in one write (see :meth:`_settle_all`).
        Returns the claimed (schedule, slot) pairs to post, and whether the batch was full."""
        due = await schedule_rows.due(self.bot.store, now, limit, self.shards)
        slots = await self._settle_all(due, now)
        claimed = [(schedule, slot) for schedule, slot in zip(due, slots, strict=True) if slot is not None]
        return claimed, len(due) == limit

    async def _settle_all(self, due: list[Schedule], now: datetime) -> list[datetime | None]:
        """Claim this wake's slot of every due schedule in ONE write of a few set-based
        statements (:func:`cogs.schedules.queries.settle_all`: each schedule's rows apply only
        while it is still at the slot read, exactly as when written alone), so the claim costs
        one transaction and one answer, not statements per schedule. If that write fails, or a
        schedule's plan cannot be made, those schedules are settled one write each
        (:meth:`_settle`), so that only the one at fault is paused and the others are claimed
        as usual."""
        planned: list[tuple[int, schedule_rows.Settling]] = []
        alone: list[int] = []
        for index, schedule in enumerate(due):
            try:
                zone = scheduling.stored_zone(schedule.timezone)
                if zone is None:
                    raise LookupError(schedule.timezone)
                post, skipped, upcoming = _catch_up(schedule.next_run, now, schedule.at, _days(schedule.days), zone)
            except Exception:  # noqa: BLE001 - settled alone below, which says why and pauses it
                alone.append(index)
                continue
            planned.append((index, schedule_rows.Settling(schedule, post, skipped, upcoming)))
        slots: list[datetime | None] = [None] * len(due)
        if planned:
            statements, claims = schedule_rows.settle_all([settling for _, settling in planned], now)
            try:
                counts = await self.bot.store.write(*statements)
            except Exception:
                log.warning("settling %d due schedules in one write failed; settling each alone", len(planned))
                alone.extend(index for index, _ in planned)
            else:
                mine = {row[0] for claim in claims for row in counts.returned(claim)}
                for index, (schedule, post, skipped, _upcoming) in planned:
                    slots[index] = self._settled(schedule, post, skipped, schedule.id in mine, now)
        if alone:
            alone.sort()
            settled = await asyncio.gather(*(self._settle(due[index], now) for index in alone))
            for index, slot in zip(alone, settled, strict=True):
                slots[index] = slot
        return slots

    async def _settle(self, schedule: Schedule, now: datetime) -> datetime | None:
        """Claim this wake's slot of one due schedule (if any), in a write of its own. Returns
        the claimed slot."""
        zone = scheduling.stored_zone(schedule.timezone)
        if zone is None:
            log.warning("schedule %d: its time zone %r is no longer known; pausing it", schedule.id, schedule.timezone)
            with contextlib.suppress(Exception):
                # The reason counsellors read, in the server's language.
                with using_locale(await self._locale(schedule)):
                    reason = scheduling.zone_gone_reason(schedule.timezone)
                await schedule_rows.pause(self.bot.store, schedule.id, reason)
            return None
        try:
            post, skipped, upcoming = _catch_up(schedule.next_run, now, schedule.at, _days(schedule.days), zone)
            counts = await self.bot.store.write(*schedule_rows.settle(schedule, post, skipped, upcoming, now))
        except Exception:
            log.exception("schedule %d could not be settled; pausing it", schedule.id)
            with contextlib.suppress(Exception):
                with using_locale(await self._locale(schedule)):
                    reason = _("Linkwise could not work out its next run (see the bot's log)")
                await schedule_rows.pause(self.bot.store, schedule.id, reason)
            return None
        return self._settled(schedule, post, skipped, post is not None and counts[0] == 1, now)

    @staticmethod
    def _settled(
        schedule: Schedule, post: datetime | None, skipped: tuple[datetime, ...], claimed: bool, now: datetime
    ) -> datetime | None:
        """The slot to post once a schedule's settling committed (``claimed``: this wake's claim
        inserted the slot's row), after logging what was skipped."""
        if skipped:
            log.warning(
                "schedule %d (server %d) skipped %d slot(s) missed by %s or more: %s",
                schedule.id,
                schedule.guild_id,
                len(skipped),
                scheduling.GRACE,
                ", ".join(clock.iso(slot) for slot in skipped),
            )
        if post is None or not claimed:
            return None
        if now - post > timedelta(minutes=1):
            log.info("schedule %d posts its %s slot late, at %s", schedule.id, clock.iso(post), clock.iso(now))
        return post

    async def post_slot(self, schedule: Schedule, slot: datetime) -> None:
        """Post a claimed slot and record how it went. Never raises."""
        store = self.bot.store
        outcome: tuple[Statement, ...]
        try:
            message, _post = await self.deliver(schedule, slot)
        except Withdrawn as why:
            log.info("schedule %d: its %s slot was not posted: %s", schedule.id, clock.iso(slot), why)
            outcome = (schedule_rows.cancelled(schedule.id, slot),)  # a no-op if the schedule is gone
        except CannotPost as problem:
            log.warning("schedule %d is paused: %s", schedule.id, problem)
            outcome = (
                schedule_rows.failed(schedule.id, slot),
                schedule_rows.pause_statement(schedule.id, str(problem)),
            )
        except Exception:
            log.exception("schedule %d: its %s slot was not posted and is skipped", schedule.id, clock.iso(slot))
            outcome = (schedule_rows.failed(schedule.id, slot),)
        else:
            outcome = (schedule_rows.posted(schedule.id, slot, message.id, clock.now()),)
        try:
            await store.write(*outcome)
        except Exception:
            log.exception("schedule %d: could not record how its %s slot went", schedule.id, clock.iso(slot))

    async def post_now(self, schedule: Schedule) -> discord.Message:
        """``/schedule test``: post the schedule's next item now, outside its slots (no slot is
        claimed or consumed); the item counts in the rotation. Raises :class:`CannotPost`, or
        :class:`Withdrawn` if the schedule is removed (or paused) before it goes out."""
        message, _post = await self.deliver(schedule, None)
        return message

    async def _locale(self, schedule: Schedule) -> str:
        """The language of the schedule's server: its posts, and the pause reasons its counsellors read."""
        return await post_locale(self.bot.store, schedule.guild_id, self.bot.get_guild(schedule.guild_id))

    async def deliver(self, schedule: Schedule, slot: datetime | None) -> tuple[discord.Message, Post]:
        """:meth:`_deliver` in the server's language (the post, and a reason it cannot be made)."""
        with using_locale(await self._locale(schedule)):
            return await self._deliver(schedule, slot)

    async def _deliver(self, schedule: Schedule, slot: datetime | None) -> tuple[discord.Message, Post]:
        """Build and send one post of ``schedule`` in its channel, retrying 5xx and 429 briefly.

        ``slot`` is the claimed slot being posted, or None for a test post. Before every attempt
        the post must still be wanted (:meth:`_still_wanted`) and its item must still exist
        (else another is taken); just after Discord took the message both are asked again, and
        a post that lost its schedule or item meanwhile is deleted. An item taken from the
        rotation for a post that does not stay posted is given back.

        Raises :class:`CannotPost` (the schedule should pause) for a missing channel, missing
        permissions, a 403 or a 404; :class:`Withdrawn` when the post is no longer wanted;
        anything else that goes wrong is raised as is.
        """
        channel = await self._channel(schedule)
        problem = channel_problem(channel)
        if problem is not None:
            raise CannotPost(problem)
        poster = self.bot.post_sources.get(schedule.kind)
        if poster is None:
            raise CannotPost(_("{kind} posts are not available in this version of Linkwise", kind=schedule.kind))
        post: Post | None = None
        try:
            attempts = len(RETRY_DELAYS) + 1
            for attempt in range(1, attempts + 1):
                await self._still_wanted(schedule, slot)
                post = await self._live_post(schedule, poster, post)
                try:
                    message = await channel.send(**post.send_kwargs())
                except (discord.Forbidden, discord.NotFound) as error:
                    # Never retried: Discord limits bots that keep making invalid requests.
                    raise CannotPost(
                        _(
                            "Linkwise cannot post in {channel} (Discord said {reason})",
                            channel=_where(channel, schedule.channel_id),
                            reason=_http_reason(error),
                        )
                    ) from error
                except (discord.HTTPException, discord.RateLimited) as error:
                    if not _retryable(error) or attempt == attempts:
                        raise
                    delay = max(RETRY_DELAYS[attempt - 1], getattr(error, "retry_after", 0.0) or 0.0)
                    if delay > MAX_RETRY_AFTER:
                        raise
                    log.warning(
                        "schedule %d: Discord answered %s; retrying in %.0f s (attempt %d of %d)",
                        schedule.id,
                        getattr(error, "status", 429),
                        delay,
                        attempt,
                        attempts,
                    )
                    await asyncio.sleep(delay)
                    continue
                await self._keep_or_take_down(schedule, slot, post, message)
                return message, post
            raise AssertionError("unreachable")
        except BaseException:
            if post is not None and post.claim is not None:
                with contextlib.suppress(Exception):
                    await self.bot.store.write(post.claim.release())
            raise

    async def _still_wanted(self, schedule: Schedule, slot: datetime | None) -> None:
        """Raise :class:`Withdrawn` unless the post is still wanted now: its schedule exists
        and, for a slot, is active with that slot still claimed (a pause cancels it, even if
        the schedule was resumed since); a test post of an active schedule stops if it is
        paused meanwhile."""
        if slot is not None:
            wanted = await schedule_rows.slot_still_wanted(self.bot.store, schedule.id, slot)
        else:
            wanted = await schedule_rows.still_there(
                self.bot.store, schedule.id, active=schedule.paused_reason is None
            )
        if not wanted:
            raise Withdrawn(f"schedule #{schedule.id} was removed or paused before its post went out")

    async def _live_post(self, schedule: Schedule, poster: PostSource, post: Post | None) -> Post:
        """``post`` if its item still exists, else a new post from the poster (which takes the
        next item of the pool as it is now). A removed item is replaced, not skipped: the
        schedule was not changed, only one of its items; the removed item's claim is given back."""
        if post is not None:
            if await custom_content.still_exists(self.bot.store, schedule.guild_id, post.item_id):
                return post
            log.info("schedule %d: %s was removed before it went out; posting another item", schedule.id, post.item_id)
            if post.claim is not None:
                await self.bot.store.write(post.claim.release())
        return await poster(self.bot, schedule.guild_id, schedule.topic)

    async def _keep_or_take_down(
        self, schedule: Schedule, slot: datetime | None, post: Post, message: discord.Message
    ) -> None:
        """Just after Discord took the message: if the schedule was removed or paused, or the
        item removed, while the message was on its way, delete it and raise :class:`Withdrawn`
        (the counsellor was told it would not be posted)."""
        try:
            await self._still_wanted(schedule, slot)
            if not await custom_content.still_exists(self.bot.store, schedule.guild_id, post.item_id):
                raise Withdrawn(f"{post.item_id} was removed while its post was being sent")
        except Withdrawn:
            try:
                await message.delete()
            except discord.NotFound:
                pass
            except discord.HTTPException:
                log.exception("schedule %d: could not take down post %d", schedule.id, message.id)
                return  # it stays up: record it as posted, as it is
            raise
        except Exception:  # noqa: BLE001 - the check failed, not the post: it stays, recorded as posted
            log.exception("schedule %d: could not check post %d after sending it", schedule.id, message.id)

    async def _channel(self, schedule: Schedule) -> Any:
        channel = self.bot.get_channel(schedule.channel_id)
        if channel is not None:
            return channel
        try:
            return await self.bot.fetch_channel(schedule.channel_id)
        except (discord.Forbidden, discord.NotFound) as error:
            raise CannotPost(
                _(
                    "Linkwise cannot find channel {id} (Discord said {reason}); it may have been deleted",
                    id=str(schedule.channel_id),
                    reason=_http_reason(error),
                )
            ) from error
