"""``linkwise demo``: the real bot, offline, in your browser.

The bot built by :func:`bot.create_bot` runs unchanged inside a SimCord world (a simulated
Discord in memory: no token, no network) seeded as a small counselling group. SimCord's
Preview serves that world as a Discord-like page on 127.0.0.1; the slash commands, buttons,
selects and modals used on the page run the bot's real callbacks against its real SQLite
database, exactly as SimCord's actors do in the tests.

The group's history is recorded by acting as its members would (commands, clicks, a modal),
so the database holds what real use produces, and features that are not in this version are
simply left out of the seed.

How time works: a SimCord world keeps its own clock. It starts on 1 January 2026 and moves
only when the driver calls ``env.advance_time`` or when one of the bot's own timers (a plain
``asyncio.sleep``, such as the schedule dispatcher's nap) falls due on the wall clock; timers
behind a wait SimCord recognises (view timeouts, ``ext.tasks`` loops) move only with
``advance_time``. Left alone, the world would stay where it is: message times would say
1 January, and a ten-minute /prompt cooldown would not run out for up to an hour (the
dispatcher's longest nap). So the demo moves the world to the wall clock before it starts
and :class:`WallClock` keeps it there, a few seconds at a time: schedules post at their real
local times and cooldowns last as long as they say.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import signal
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The demo extra, simcord[preview], imported by name before anything else: a missing module
# is then an ImportError naming it, and `linkwise demo` says which command installs the extra
# (SimCord itself would import the Preview's runtime only once a page is served).
import aiohttp  # noqa: F401
import discord
import linkify_it  # noqa: F401
import markdown_it  # noqa: F401
import PIL  # noqa: F401
import regex  # noqa: F401
import simcord

from bot import create_bot
from bot.store import InstanceLock

log = logging.getLogger("linkwise.demo")

DAY = 86400.0
CLOCK_STEP = 5.0  # seconds between two moves of the world's clock to the wall clock
SEED_SPACING = timedelta(minutes=10)  # between two seeded moments, so the history reads naturally
UTC_NAMES = frozenset({"UTC", "UCT", "Universal", "Zulu", "GMT", "Etc/UTC", "Etc/UCT", "Etc/Universal", "Etc/Zulu"})

WELCOME = (
    "Welcome to Career Circle! This is where we practise LinkedIn together. Type `/` to try "
    "Linkwise: `/tip`, `/checklist`, `/progress` and `/prompt` are for everyone; counsellors "
    "also have `/schedule`, `/content` and `/group report`."
)
PRACTICE = (
    "I sent connection requests to three people I worked with at the warehouse. Each note said "
    "where we met and offered something: an introduction or a reference. Two accepted within a "
    "day, and one asked me for a coffee next week."
)


def wall_now() -> datetime:
    return datetime.now(UTC)


def local_zone() -> str:
    """This computer's time zone as an IANA name (UTC when it cannot be told), so the page
    shows local times and the seeded schedule posts at 09:00 where the viewer is."""
    candidates = [os.environ.get("TZ", "").lstrip(":")]
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    with contextlib.suppress(OSError):
        target = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in target:
            candidates.append(target.split("zoneinfo/", 1)[1])
    for name in candidates:
        if not name or name.startswith(("/", "posix/", "right/")):
            continue
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            continue
        return "UTC" if name in UTC_NAMES else name
    return "UTC"


@dataclass
class Group:
    """The seeded counselling group: the handles the demo acts with and shows."""

    guild: Any
    general: Any
    daily_tips: Any
    counsellor: Any
    priya: Any
    sam: Any
    notes: list[str] = field(default_factory=list)  # what the seed recorded, or left out and why

    @property
    def viewers(self) -> list[Any]:
        """Who the page can act as; the first is who it opens as."""
        return [self.counsellor, self.priya, self.sam]


def build_group(env: simcord.Env) -> Group:
    guild = env.create_guild(name="Career Circle")
    general = guild.create_text_channel("general", topic="Where the group meets. Try Linkwise here.")
    daily_tips = guild.create_text_channel("daily-tips", topic="Linkwise posts a LinkedIn tip here every morning.")
    counsellors = guild.create_role(
        "Counsellor", permissions=discord.Permissions(manage_guild=True), color=0x0A66C2, hoist=True
    )
    counsellor = guild.add_member(env.create_user("morgan", global_name="Morgan (counsellor)"), roles=[counsellors])
    priya = guild.add_member(env.create_user("priya", global_name="Priya"))
    sam = guild.add_member(env.create_user("sam", global_name="Sam"))
    return Group(guild, general, daily_tips, counsellor, priya, sam)


async def seed(env: simcord.Env, group: Group, zone: str, spacing: timedelta = SEED_SPACING) -> None:
    """Record a little history by acting as the group's members, ``spacing`` apart.

    Private replies (a checklist, a tried tip, a new schedule) are asked for in #daily-tips,
    so that #general, where the page opens, shows the group's public conversation. A command
    that is not in this version is left out, and a step that fails leaves a gap, not a demo
    that does not start; the notes say which.
    """
    bot, quiet = env.bot, group.daily_tips

    async def welcome() -> str:
        await group.counsellor.send(group.general, WELCOME)
        return "Morgan welcomed the group in #general"

    async def checklist() -> str:
        found = bot.content.checklist("profile-basics")
        if not bot.tree.get_command("checklist") or found is None:
            return "no checklist progress (/checklist is not in this version)"
        shown = await group.priya.slash(quiet, "checklist", name=found.id)
        await group.priya.select(shown.response.message, [item.id for item in found.items[:3]])
        return f"Priya ticked 3 items of the {found.title} checklist"

    async def tried_tip() -> str:
        tip = await group.sam.slash(quiet, "tip")
        await group.sam.click(tip.response.message, label="I tried this")
        return "Sam tried a tip"

    async def schedule() -> str:
        if not bot.tree.get_command("schedule"):
            return "no daily tip schedule (/schedule is not in this version)"
        await group.counsellor.slash(
            quiet, "schedule add", channel=group.daily_tips, time="09:00", timezone=zone, days="daily"
        )
        return f"Morgan scheduled a daily tip in #daily-tips at 09:00 ({zone})"

    async def practice() -> str:
        if not bot.tree.get_command("prompt"):
            return "no prompt (/prompt is not in this version)"
        prompt = await group.sam.slash(group.general, "prompt")
        modal = await group.sam.click(prompt.response.message, label="Share your practice")
        await group.sam.submit_modal(modal, {"practice": PRACTICE})
        return "Sam posted a prompt in #general and shared a practice in its thread"

    async def public_tip() -> str:
        shared = await group.priya.slash(group.general, "tip", public=True)
        if shared.ephemeral:  # Linkwise answered with an error instead of the tip
            raise RuntimeError(shared.response.content)
        return "Priya shared a tip with the group"

    steps = {
        "the welcome": welcome,
        "Priya's checklist progress": checklist,
        "Sam's tried tip": tried_tip,
        "the daily tip schedule": schedule,
        "the prompt and its shared practice": practice,
        "the public tip": public_tip,
    }
    for number, (what, step) in enumerate(steps.items()):
        if number:
            await env.advance_time(spacing.total_seconds())
        try:
            group.notes.append(await step())
        except Exception as error:  # noqa: BLE001 - logged; the rest of the demo still works
            log.warning("the demo could not record %s: %r", what, error)
            group.notes.append(f"{what} could not be recorded (see the log above)")


class WallClock:
    """Moves the SimCord world's clock to the wall clock, and keeps it there.

    ``env.advance_time`` fires every bot timer that falls due on the way (a scheduled post, the
    end of a cooldown) and settles the bot's work. It is a SimCord operation, exclusive with
    the others, and a click on the page is one too: when the page is handling an action
    (SetupError), a step is skipped and the next one catches up, so actions never wait for
    the clock. (An action arriving during the fraction of a millisecond a step takes is
    refused by the page's server; the page says so and the member clicks again.)
    """

    def __init__(
        self,
        env: simcord.Env,
        *,
        wall: Callable[[], datetime] = wall_now,
        on_activity: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.env = env
        self.wall = wall
        self.on_activity = on_activity

    def behind(self, until: datetime | None = None) -> float:
        """Seconds the world's clock is behind ``until`` (the wall clock), never negative."""
        return max(0.0, ((until or self.wall()) - self.env.now()).total_seconds())

    async def catch_up(self, until: datetime | None = None) -> None:
        """Move the world to ``until`` (default: now), a day at a time, so that each call
        settles within SimCord's timeout however far the world is behind."""
        target = until or self.wall()
        while (gap := self.behind(target)) > 0:
            await self.env.advance_time(min(gap, DAY))

    async def step(self) -> None:
        """One move to the wall clock; calls ``on_activity`` when the bot acted on its own."""
        gap = self.behind()
        if gap <= 0:
            return
        before = len(self.env.http_requests)
        try:
            await self.env.advance_time(min(gap, DAY))
        except simcord.SetupError:
            return  # the page is handling an action: the next step catches up
        except TimeoutError:
            log.warning("the bot was still busy after the clock moved; the demo carries on", exc_info=True)
        if len(self.env.http_requests) != before and self.on_activity is not None:
            await self.on_activity()

    async def run(self) -> None:
        while True:
            await asyncio.sleep(CLOCK_STEP)
            try:
                await self.step()
            except Exception:  # noqa: BLE001 - logged; the clock keeps going and the demo stays up
                log.exception("could not move the demo's clock")


async def serve(db_path: Path, *, port: int | None, open_browser: bool) -> None:
    """Run the seeded world and its page until cancelled (Ctrl+C) or the page ends the session."""
    zone = local_zone()
    # The simulated Discord is new on every run, so commands are always synced to it.
    bot = create_bot(db_path=db_path, force_sync=True)
    try:
        # The bot's own error path logs what goes wrong in a callback; the demo keeps running.
        async with simcord.run(bot, check_errors=False) as env:
            await bot.user.edit(username="Linkwise")  # SimCord calls every bot "TestBot"
            clock = WallClock(env)
            await clock.catch_up(until=clock.wall() - 6 * SEED_SPACING)  # the group's last hour
            group = build_group(env)
            await seed(env, group, zone)
            await clock.catch_up()
            async with env.preview(
                group.general, viewers=group.viewers, layout="channel", timezone=zone, port=port or 0
            ) as preview:

                async def republish() -> None:
                    # A scheduled post came out between clicks: show it without a refresh.
                    with contextlib.suppress(simcord.SetupError):
                        await preview.refresh()

                clock.on_activity = republish
                ticking = asyncio.create_task(clock.run(), name="linkwise-demo-clock")
                try:
                    announce(preview.url, group, open_browser=open_browser)
                    await preview.wait_closed()
                finally:
                    ticking.cancel()
                    await asyncio.gather(ticking, return_exceptions=True)
    finally:
        await bot.close()


def announce(url: str, group: Group, *, open_browser: bool) -> None:
    print(f"Linkwise demo running at {url} — press Ctrl+C to stop", flush=True)
    print(
        "You are Morgan, the group's counsellor; act as Priya or Sam with 'Viewing as' at the top.\n"
        f"Already done: {'; '.join(group.notes)}.\n"
        "The link works on this computer only; anyone who has it can act in the demo.",
        flush=True,
    )
    if open_browser:
        # On a thread: a console browser would otherwise hold the event loop that serves the page.
        threading.Thread(target=open_in_browser, args=(url,), name="linkwise-demo-browser", daemon=True).start()


def open_in_browser(url: str) -> None:
    try:
        opened = webbrowser.open(url)
    except webbrowser.Error:
        opened = False
    if not opened:
        print("No browser could be opened: open the link above yourself.", flush=True)


async def _main(db_path: Path, *, port: int | None, open_browser: bool) -> None:
    serving = asyncio.create_task(serve(db_path, port=port, open_browser=open_browser))
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises KeyboardInterrupt
            loop.add_signal_handler(signum, serving.cancel)
    with contextlib.suppress(asyncio.CancelledError):
        await serving


def run_demo(
    *, port: int | None = None, open_browser: bool = True, db_path: str | os.PathLike[str] | None = None
) -> int:
    """``linkwise demo``. Returns the exit code: 0 once stopped with Ctrl+C or SIGTERM."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    with contextlib.ExitStack() as cleanup:
        if db_path is None:
            folder = cleanup.enter_context(tempfile.TemporaryDirectory(prefix="linkwise-demo-"))
            path = Path(folder) / "linkwise-demo.db"
        else:
            path = Path(db_path)
        lock = InstanceLock(path)
        if not lock.acquire():
            print(f"linkwise: another Linkwise is using {path}; choose another --db.", file=sys.stderr)
            return 3
        cleanup.callback(lock.release)
        try:
            asyncio.run(_main(path, port=port, open_browser=open_browser))
        except KeyboardInterrupt:
            pass
        except simcord.SetupError as error:  # e.g. the port is taken
            hint = " Choose another --port, or leave it out to use any free port." if port else ""
            print(f"linkwise: the demo could not start: {error}.{hint}", file=sys.stderr)
            return 1
    print("Linkwise demo stopped.", flush=True)
    return 0
