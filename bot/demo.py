"""``linkwise demo``: the real bot, offline, in your browser.

The bot built by :func:`bot.create_bot` runs unchanged inside a SimCord world (a simulated
Discord in memory: no token, no network) seeded as a small counselling group, "Career Circle".
The slash commands, buttons, selects and modals used in the browser run the bot's real
callbacks against its real SQLite database, exactly as SimCord's actors do in the tests.

Two pages, both on 127.0.0.1:

- **The Linkwise page** (:class:`Site`, the link the terminal prints): the server's channels and
  the threads in them, to open one as Morgan, Priya or Sam. Its addresses have Discord's shape,
  ``/channels/<server>/<channel>[/<message>]``.
- **The conversation** of the channel opened there: SimCord's Preview, which presents one
  channel of a world at a time and allows one Preview per world. Opening another channel
  (:class:`Stage`) ends the current Preview and starts one on the new channel; the browser's
  Back button returns to the Linkwise page.

The group's history is recorded by acting as its members would (commands, clicks, a modal),
so the database holds what real use produces, and features that are not in this version are
simply left out of the seed.

How time works: a SimCord world keeps its own clock. It starts on 1 January 2026 and moves
only when the driver calls ``env.advance_time`` or when one of the bot's own timers (a plain
``asyncio.sleep``, such as the schedule dispatcher's nap) falls due on the wall clock; timers
behind a wait SimCord recognises (view timeouts, ``ext.tasks`` loops) move only with
``advance_time``. So the demo moves the world to the wall clock before it starts and
:class:`WallClock` keeps it there, within a minute: schedules post at their real local times
and cooldowns last as long as they say. After every move the conversation is republished,
which also moves the Preview's "presentation time" (what a relative time such as "5 minutes
ago" is counted from) to the world's clock; :class:`WallClock` says when it moves and why.

Why ``--db`` reopens the same server: SimCord numbers everything with snowflakes made from its
clock. The server, its channels, its role and its members are built at one fixed instant of
the world (:data:`BUILT_AT`), before the clock is moved to today, so every run gets the same
ids, and a kept database's progress, schedules and settings belong to the server it shows.
The seed runs only on a new database; the messages themselves live in memory and are not kept.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import html
import io
import logging
import os
import secrets
import signal
import socket
import sys
import tempfile
import threading
import webbrowser
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# The demo extra (SimCord and its Preview's runtime), imported by name before anything else: a
# missing module is then an ImportError naming it, and `linkwise demo` says which command
# installs the extra (SimCord itself would import the Preview's runtime only once a page is
# served).
import aiohttp  # noqa: F401
import discord
import linkify_it  # noqa: F401
import markdown_it  # noqa: F401
import PIL  # noqa: F401
import regex  # noqa: F401
import simcord
from aiohttp import web
from PIL import Image, ImageDraw

from bot import create_bot
from bot.config import Settings
from bot.store import InstanceLock

if TYPE_CHECKING:
    from bot.app import Linkwise

log = logging.getLogger("linkwise.demo")

DAY = 86400.0
CLOCK_STEP = 5.0  # seconds between two looks of the clock (WallClock.run)
MAX_LAG = 60.0  # seconds the world's clock may lag the wall clock while nobody acts
BUSY_WAIT = 30.0  # seconds a move waits for the page's action in flight to be answered
BUSY_PAUSE = 0.05
NUDGE_POLL = 0.1  # seconds between two looks for a member's action
SEED_SPACING = timedelta(minutes=10)  # between two seeded moments, so the history reads naturally
# When the server is built: a fixed instant of the world, a minute after its clock starts
# (1 January 2026), so that its snowflakes, made from the clock, are the same on every run.
BUILT_AT = datetime(2026, 1, 1, 0, 1, tzinfo=UTC)
SCHEDULED_AT = "09:00"  # the seeded daily tip, local time
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
TOPICS = {
    "general": "Where the group meets. Try Linkwise here.",
    "daily-tips": "Linkwise posts a LinkedIn tip here every morning.",
}


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

    @property
    def channels(self) -> list[Any]:
        """The server's text channels, in the order the page lists them."""
        return [self.general, self.daily_tips]

    def channel(self, channel_id: int) -> Any | None:
        """The channel or thread of this server with this id, if there is one."""
        for channel in self.channels:
            if channel.id == channel_id:
                return channel
            for thread in channel.threads:
                if thread.id == channel_id:
                    return thread
        return None

    def viewer(self, user_id: int | None) -> Any:
        """The member with this id, or the one the page opens as."""
        return next((member for member in self.viewers if member.id == user_id), self.viewers[0])


def build_group(env: simcord.Env) -> Group:
    """The server and its members. Built at the same instant of the world, it has the same ids
    on every run (see the module's docstring)."""
    guild = env.create_guild(name="Career Circle")
    general = guild.create_text_channel("general", topic=TOPICS["general"])
    daily_tips = guild.create_text_channel("daily-tips", topic=TOPICS["daily-tips"])
    counsellors = guild.create_role(
        "Counsellor", permissions=discord.Permissions(manage_guild=True), color=0x0A66C2, hoist=True
    )
    counsellor = guild.add_member(env.create_user("morgan", global_name="Morgan (counsellor)"), roles=[counsellors])
    priya = guild.add_member(env.create_user("priya", global_name="Priya"))
    sam = guild.add_member(env.create_user("sam", global_name="Sam"))
    return Group(guild, general, daily_tips, counsellor, priya, sam)


async def open_group(env: simcord.Env) -> Group:
    """Move the world to :data:`BUILT_AT` and build the group there."""
    gap = (BUILT_AT - env.now()).total_seconds()
    if gap < 0:
        raise simcord.SetupError(f"the world is already past {BUILT_AT.isoformat()}, where the demo's server is built")
    if gap:
        await env.advance_time(gap)
    return build_group(env)


def seed_start(wall: datetime, zone: str) -> datetime:
    """Where the seeded history starts: 08:40 local time the day before ``wall``, so that the
    daily tip scheduled for 09:00 has come out at least once when the page opens."""
    local = wall.astimezone(ZoneInfo(zone)) - timedelta(days=1)
    return local.replace(hour=8, minute=40, second=0, microsecond=0).astimezone(UTC)


async def seed(env: simcord.Env, group: Group, zone: str, clock: WallClock, spacing: timedelta = SEED_SPACING) -> None:
    """Record the group's last day by acting as its members, ``spacing`` apart.

    Yesterday morning Morgan welcomed the group in #general and scheduled a daily tip in
    #daily-tips; the world then runs to the last hour, so the dispatcher posts that tip at
    09:00 as it would on Discord; in the last hour the members used Linkwise. Private replies
    (a checklist, a tried tip, the new schedule) are asked for in #daily-tips, so that #general,
    where the page opens, shows the group's public conversation. A command that is not in this
    version is left out, and a step that fails leaves a gap, not a demo that does not start;
    the notes say which.
    """
    bot, quiet = env.bot, group.daily_tips

    async def welcome() -> str:
        await group.counsellor.send(group.general, WELCOME)
        return "Morgan welcomed the group in #general"

    async def schedule() -> str:
        if not bot.tree.get_command("schedule"):
            return "no daily tip schedule (/schedule is not in this version)"
        await group.counsellor.slash(
            quiet, "schedule add", channel=group.daily_tips, time=SCHEDULED_AT, timezone=zone, days="daily"
        )
        return f"Morgan scheduled a daily tip in #daily-tips at {SCHEDULED_AT} ({zone})"

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

    async def run(what: str, step: Callable[[], Awaitable[str]]) -> None:
        try:
            group.notes.append(await step())
        except Exception as error:  # noqa: BLE001 - logged; the rest of the demo still works
            log.warning("the demo could not record %s: %r", what, error)
            group.notes.append(f"{what} could not be recorded (see the log above)")

    wall = clock.wall()
    await clock.catch_up(until=seed_start(wall, zone))
    await run("the welcome", welcome)
    await env.advance_time(spacing.total_seconds())
    await run("the daily tip schedule", schedule)
    today = {
        "Priya's checklist progress": checklist,
        "Sam's tried tip": tried_tip,
        "the prompt and its shared practice": practice,
        "the public tip": public_tip,
    }
    await clock.catch_up(until=wall - len(today) * spacing)  # the scheduled tip comes out on the way
    for number, (what, step) in enumerate(today.items()):
        if number:
            await env.advance_time(spacing.total_seconds())
        await run(what, step)
    posted = sum(1 for message in group.daily_tips.history() if message.author.bot and not message.flags.ephemeral)
    if posted:
        times = {1: "once", 2: "twice"}.get(posted, f"{posted} times")
        group.notes.append(f"Linkwise posted the daily tip in #daily-tips {times}, at {SCHEDULED_AT}")


# ---------------------------------------------------------------------- images
ACCENT = (10, 102, 194)  # Linkwise's blue, as in its embeds
# Discord's default avatars, in their order: a member without an avatar shows one by id.
AVATAR_COLOURS = [(88, 101, 242), (117, 126, 138), (59, 165, 93), (250, 166, 26), (237, 66, 69), (235, 69, 158)]


def png(size: int, colour: tuple[int, int, int], *, mark: bool = False) -> bytes:
    """A round avatar of one colour; with ``mark``, Linkwise's: two linked rings."""
    scale = 4  # drawn large and shrunk, for smooth edges
    image = Image.new("RGBA", (size * scale, size * scale), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((0, 0, size * scale - 1, size * scale - 1), fill=(*colour, 255))
    if mark:
        unit = size * scale / 16
        width = max(1, round(1.6 * unit))
        draw.ellipse((3 * unit, 5 * unit, 9.5 * unit, 11 * unit), outline="white", width=width)
        draw.ellipse((6.5 * unit, 5 * unit, 13 * unit, 11 * unit), outline="white", width=width)
    buffer = io.BytesIO()
    image.resize((size, size), Image.LANCZOS).save(buffer, format="PNG")
    return buffer.getvalue()


LOGO = png(128, ACCENT, mark=True)


def offline_avatars() -> dict[str, tuple[str, bytes]]:
    """Images for Discord's default avatars, which the page cannot fetch offline: a shared
    practice is attributed with its member's avatar, and these members have the default one."""
    return {
        f"{discord.Asset.BASE}/embed/avatars/{avatar.value}.png": ("avatar.png", png(128, colour))
        for avatar, colour in zip(discord.DefaultAvatar, AVATAR_COLOURS, strict=True)
    }


class WallClock:
    """Moves the SimCord world's clock to the wall clock, and keeps it there.

    ``env.advance_time`` fires every bot timer that falls due on the way (a scheduled post, the
    end of a cooldown) and settles the bot's work. After every move ``on_step`` republishes
    the page, which also moves its presentation time, what a relative time such as "5 minutes
    ago" is counted from, to the world's new time. Between two moves the world's time stands
    still, so whatever the bot says in the meantime ("last active: now") is counted from the
    same instant it was said at.

    When to move: a republish makes the page's next action stale (the page learns of it on its
    next poll, within half a second, and an action sent before that is refused, "Action was not
    completed"). So the clock moves when that cannot bite: right after a member's action has
    been answered (:meth:`nudge`, on every interaction; a person takes longer than half a
    second to read the answer), and otherwise at most once a minute (:data:`MAX_LAG`), so that
    schedules and cooldowns keep time while nobody acts. Moves are SimCord operations,
    exclusive with the page's actions: a move waits for the action in flight to be answered.
    """

    def __init__(
        self,
        env: simcord.Env,
        *,
        wall: Callable[[], datetime] = wall_now,
        on_step: Callable[[], Awaitable[bool | None]] | None = None,
    ) -> None:
        self.env = env
        self.wall = wall
        self.on_step = on_step
        self.lock = asyncio.Lock()  # held by a move; a channel switch takes it too
        self.shown_at = env.now()  # the world's time when the page was last republished
        self._nudged = asyncio.Event()

    def behind(self, until: datetime | None = None) -> float:
        """Seconds the world's clock is behind ``until`` (the wall clock), never negative."""
        return max(0.0, ((until or self.wall()) - self.env.now()).total_seconds())

    async def catch_up(self, until: datetime | None = None) -> None:
        """Move the world to ``until`` (default: now), a day at a time, so that each call
        settles within SimCord's timeout however far the world is behind."""
        target = until or self.wall()
        while (gap := self.behind(target)) > 0:
            await self.env.advance_time(min(gap, DAY))

    async def nudge(self, interaction: discord.Interaction[Linkwise] | None = None) -> None:
        """A member acted (a listener of ``on_interaction``): move once it is answered."""
        self._nudged.set()

    async def step(self, *, wait: bool = False) -> bool:
        """Move the world to the wall clock, then republish (``on_step``) if its time changed.

        The page's action in flight holds the world: with ``wait``, the move waits for it
        (up to :data:`BUSY_WAIT` seconds); without, it is skipped. Returns whether it moved.
        """
        async with self.lock:
            waited, target = 0.0, self.wall()
            while (gap := self.behind(target)) > 0:
                try:
                    await self.env.advance_time(min(gap, DAY))
                except simcord.SetupError:  # the page is handling an action
                    if not wait or waited >= BUSY_WAIT:
                        return False
                    await asyncio.sleep(BUSY_PAUSE)
                    waited += BUSY_PAUSE
                except TimeoutError:
                    log.warning("the bot was still busy after the clock moved; the demo carries on", exc_info=True)
                    break
            now = self.env.now()
            if self.on_step is not None and now != self.shown_at and await self.on_step() is not False:
                self.shown_at = now
            return True

    async def tick(self, nudged: bool) -> None:
        """One turn of :meth:`run`: move after an action, or when the world lags a minute, or
        when it moved on its own (a bot timer that fell due on the wall clock)."""
        if nudged or self.behind() >= MAX_LAG or self.env.now() != self.shown_at:
            await self.step(wait=nudged)

    async def run(self) -> None:
        # Plain short sleeps: they fall due on the wall clock (SimCord runs waits it recognises,
        # such as asyncio.wait_for's timeout, on the world's clock, which is what this moves).
        waited = 0.0
        while True:
            await asyncio.sleep(NUDGE_POLL)
            waited += NUDGE_POLL
            nudged = self._nudged.is_set()
            if not nudged and waited < CLOCK_STEP:
                continue
            self._nudged.clear()
            waited = 0.0
            try:
                await self.tick(nudged)
            except Exception:  # noqa: BLE001 - logged; the clock keeps going and the demo stays up
                log.exception("could not move the demo's clock")


class Stage:
    """The conversation the browser shows: SimCord's Preview of one channel or thread.

    A Preview presents one channel, and a world has one Preview at a time, so showing another
    channel closes the current Preview and starts one there (on a new port, with a new link).
    A Preview that ends without the demo closing it was ended from its page (More, then End
    preview session): :attr:`ended` is set, and the demo stops.
    """

    def __init__(
        self,
        env: simcord.Env,
        group: Group,
        zone: str,
        lock: asyncio.Lock | None = None,
        assets: dict[str, tuple[str, bytes]] | None = None,
    ) -> None:
        self.env = env
        self.group = group
        self.zone = zone
        self.assets = assets or {}  # images the page shows offline, by the address they stand for
        self.lock = lock or asyncio.Lock()  # the clock's: a switch never overlaps a step
        self.preview: Any = None
        self.shown: tuple[int, int] | None = None  # (channel id, viewer id) of the Preview
        self.ended = asyncio.Event()
        self._watch: asyncio.Task[None] | None = None

    async def show(self, channel: Any, viewer: Any, message: discord.Message | None = None) -> str:
        """Present ``channel`` as ``viewer`` (focused on ``message``); returns its link."""
        async with self.lock:
            if self.preview is not None and self.shown == (channel.id, viewer.id) and message is None:
                return self.preview.url
            await self._close()
            viewers = [viewer, *(member for member in self.group.viewers if member.id != viewer.id)]
            waited = 0.0
            while True:
                try:
                    preview = self.env.preview(
                        channel, viewers=viewers, layout="channel", timezone=self.zone, assets=self.assets, port=0
                    )
                    await preview.__aenter__()
                    break
                except simcord.SetupError as error:  # the page's last action is still settling
                    if waited >= BUSY_WAIT or "overlaps" not in str(error):
                        raise
                    await asyncio.sleep(BUSY_PAUSE)
                    waited += BUSY_PAUSE
            self.preview, self.shown = preview, (channel.id, viewer.id)
            self._watch = asyncio.create_task(self._watch_closed(preview), name="linkwise-demo-preview")
            if message is not None:
                await preview.show(message)
            return preview.url

    async def refresh(self) -> bool:
        """Republish the conversation and move its presentation time to the world's clock;
        False when the page was handling an action (the next move republishes)."""
        if self.preview is not None:
            try:
                await self.preview.refresh()
            except simcord.SetupError:
                return False
        return True

    async def close(self) -> None:
        async with self.lock:
            await self._close()

    async def _close(self) -> None:
        preview, self.preview, self.shown = self.preview, None, None
        if self._watch is not None:
            self._watch.cancel()
            await asyncio.gather(self._watch, return_exceptions=True)
            self._watch = None
        if preview is not None:
            await preview.close()

    async def _watch_closed(self, preview: Any) -> None:
        await preview.wait_closed()
        if self.preview is preview:  # not closed by a switch: ended from its page
            self.preview, self.shown = None, None
            self.ended.set()


class Site:
    """The Linkwise page: the server's channels and threads, on 127.0.0.1.

    The printed link carries a secret; opening it stores the secret in a cookie for this
    address, so that the page's own links, in Discord's shape, need no secret of their own.
    Only requests that name this address as their host are answered (a page elsewhere
    cannot reach it through a DNS name of its own), and every answer forbids framing.
    """

    COOKIE = "linkwise-demo"
    HEADERS = {
        "Cache-Control": "no-store",
        "Referrer-Policy": "no-referrer",
        "X-Content-Type-Options": "nosniff",
        "X-Frame-Options": "DENY",
        "Content-Security-Policy": (
            "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self' http://127.0.0.1:*; "
            "base-uri 'none'; frame-ancestors 'none'"
        ),
    }

    def __init__(
        self,
        stage: Stage,
        *,
        port: int = 0,
        notes: list[str] | None = None,
        reopened: bool = False,
        sock: socket.socket | None = None,
    ) -> None:
        self.stage = stage
        self.sock = sock  # bound beforehand (see bind_page), so its address is known early
        self.group = stage.group
        self.requested_port = port
        self.notes = notes if notes is not None else self.group.notes
        self.reopened = reopened
        self.secret = secrets.token_urlsafe(32)
        self.port: int | None = None
        self._runner: web.AppRunner | None = None

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def url(self) -> str:
        """The link to print: whoever has it can act in the demo."""
        return f"{self.origin}/join/{self.secret}"

    async def start(self) -> None:
        """Serve on the requested port; OSError when it cannot be bound."""
        app = web.Application()
        app.router.add_get("/join/{secret}", self._join)
        app.router.add_get("/", self._home)
        app.router.add_get("/linkwise-demo.css", self._css)
        app.router.add_get("/linkwise.png", self._logo)
        app.router.add_get("/channels/{guild:\\d+}/{channel:\\d+}", self._channel)
        app.router.add_get("/channels/{guild:\\d+}/{channel:\\d+}/{message:\\d+}", self._channel)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site: web.BaseSite
        if self.sock is not None:
            site = web.SockSite(self._runner, self.sock)
        else:
            site = web.TCPSite(self._runner, "127.0.0.1", self.requested_port)
        try:
            await site.start()
        except OSError:
            await self.close()
            raise
        self.port = int(self._runner.addresses[0][1])

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    # ------------------------------------------------------------------ checks
    def _check_host(self, request: web.Request) -> None:
        if request.headers.get("Host", "") not in {f"127.0.0.1:{self.port}", f"localhost:{self.port}"}:
            raise web.HTTPForbidden(text="This page answers only at the address the demo printed.")

    def _allowed(self, request: web.Request) -> bool:
        self._check_host(request)
        return hmac.compare_digest(request.cookies.get(self.COOKIE, ""), self.secret)

    def _page(self, body: str, *, status: int = 200, title: str = "Linkwise demo") -> web.Response:
        document = PAGE.format(title=html.escape(title), body=body)
        return web.Response(text=document, status=status, content_type="text/html", headers=self.HEADERS)

    def _refused(self) -> web.Response:
        return self._page(
            "<main class='notice'><h1>Open the link the terminal printed</h1>"
            "<p>This demo answers only a browser that opened the link <code>linkwise demo</code> "
            "printed when it started (it changes on every run).</p></main>",
            status=403,
        )

    # ------------------------------------------------------------------ routes
    async def _join(self, request: web.Request) -> web.Response:
        self._check_host(request)
        if not hmac.compare_digest(request.match_info["secret"], self.secret):
            return self._refused()
        response = web.HTTPSeeOther("/", headers=self.HEADERS)
        response.set_cookie(self.COOKIE, self.secret, httponly=True, samesite="Strict", path="/")
        raise response

    async def _css(self, request: web.Request) -> web.Response:
        self._check_host(request)
        return web.Response(text=CSS, content_type="text/css", headers=self.HEADERS)

    async def _logo(self, request: web.Request) -> web.Response:
        self._check_host(request)
        return web.Response(body=LOGO, content_type="image/png", headers=self.HEADERS)

    async def _home(self, request: web.Request) -> web.Response:
        if not self._allowed(request):
            return self._refused()
        try:
            chosen = int(request.query.get("as", ""))
        except ValueError:
            chosen = None
        return self._page(self.home(self.group.viewer(chosen)), title="Career Circle · Linkwise demo")

    async def _channel(self, request: web.Request) -> web.Response:
        if not self._allowed(request):
            return self._refused()
        guild_id, channel_id = int(request.match_info["guild"]), int(request.match_info["channel"])
        channel = self.group.channel(channel_id) if guild_id == self.group.guild.id else None
        if channel is None:
            return self._missing("That channel is not in this demo's server.")
        try:
            viewer = self.group.viewer(int(request.query.get("as", "")))
        except ValueError:
            viewer = self.group.viewers[0]
        message = None
        if "message" in request.match_info:
            wanted = int(request.match_info["message"])
            message = next((item for item in channel.history(viewer=viewer) if item.id == wanted), None)
            if message is None:
                return self._missing(f"That message is not in #{channel.name}, or {name_of(viewer)} cannot see it.")
        try:
            url = await self.stage.show(channel, viewer, message)
        except simcord.SetupError as error:
            log.warning("could not open #%s: %s", channel.name, error)
            return self._missing("Linkwise is busy with the last action; go back and open the channel again.")
        raise web.HTTPSeeOther(url, headers=self.HEADERS)

    def _missing(self, why: str) -> web.Response:
        return self._page(
            f"<main class='notice'><h1>Not here</h1><p>{html.escape(why)}</p>"
            "<p><a href='/'>Back to Career Circle</a></p></main>",
            status=404,
        )

    # ------------------------------------------------------------------ the page
    def home(self, viewer: Any) -> str:
        """The page's body: the server's channels and threads, and how the demo works."""
        group = self.group
        guild = group.guild.id
        rows = []
        for channel in group.channels:
            rows.append(
                self._row(f"/channels/{guild}/{channel.id}", "#", channel.name, TOPICS.get(channel.name, ""), channel)
            )
            for thread in channel.threads:
                rows.append(
                    self._row(f"/channels/{guild}/{thread.id}", "↳", thread.name, f"Thread in #{channel.name}", thread)
                )
        options = "".join(
            f"<option value='{member.id}'{' selected' if member.id == viewer.id else ''}>"
            f"{html.escape(name_of(member))}</option>"
            for member in group.viewers
        )
        kept = (
            "<p class='kept'>Reopened from your database: its progress, schedules and settings are "
            "kept. Messages are not: the simulated Discord lives in memory, so each run's "
            "conversation starts afresh.</p>"
            if self.reopened
            else ""
        )
        done = "".join(f"<li>{html.escape(note)}</li>" for note in self.notes)
        return BODY.format(
            server=html.escape(group.guild.name),
            options=options,
            rows="".join(rows),
            kept=kept,
            done=f"<h2>Already done</h2><ul class='done'>{done}</ul>" if done else "",
        )

    def _row(self, href: str, mark: str, name: str | None, about: str, channel: Any) -> str:
        count = sum(1 for message in channel.history() if not message.flags.ephemeral)
        shown = self.stage.shown is not None and self.stage.shown[0] == channel.id
        return (
            f"<li><button class='channel{' thread' if mark != '#' else ''}' type='submit' formaction='{href}'>"
            f"<span class='mark' aria-hidden='true'>{mark}</span>"
            f"<span class='name'>{html.escape(name or '')}</span>"
            f"<span class='about'>{html.escape(about)}</span>"
            f"<span class='count'>{count} {'message' if count == 1 else 'messages'}"
            f"{' · open now' if shown else ''}</span></button></li>"
        )


def name_of(member: Any) -> str:
    """A member's display name, as the page shows it."""
    return member.user.global_name or member.name


PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<link rel="stylesheet" href="/linkwise-demo.css">
</head>
<body>
<header class="bar">
<img class="logo" src="/linkwise.png" alt="" width="30" height="30">
<strong>Linkwise</strong><span class="what">demo</span>
</header>
{body}
</body>
</html>
"""

BODY = """<main class="home">
<form method="get" class="server">
<h1>{server}</h1>
<label class="as">Open as <select name="as">{options}</select></label>
<nav aria-label="Channels"><ul class="channels">{rows}</ul></nav>
</form>
<section class="about">
<h2>A simulated Discord server, with the real Linkwise</h2>
<p>Career Circle runs on this computer only: no Discord account, no network. Its members are
Morgan, the counsellor, and Priya and Sam; open a channel or a thread as any of them.</p>
<ul>
<li>In a channel, type <kbd>/</kbd> in the message box to use Linkwise: <code>/tip</code>,
<code>/checklist</code>, <code>/progress</code> and <code>/prompt</code> for everyone;
<code>/schedule</code>, <code>/content</code> and <code>/group report</code> for counsellors.</li>
<li><strong>Viewing as</strong>, at the top of a channel, switches member there.</li>
<li>Your browser's <strong>Back</strong> button brings you here, to open another channel or
thread.</li>
<li>The conversation is shown by SimCord, the simulator Linkwise is tested with. Its
<strong>Messages</strong>, <strong>Capture</strong> and <strong>Inspector</strong> are tools for
developers: you can leave them closed.</li>
</ul>
{kept}
{done}
<p class="stop">Press Ctrl+C in the terminal to stop the demo.</p>
</section>
</main>
"""

CSS = """
:root { color-scheme: dark; --bg: #313338; --panel: #2b2d31; --rail: #1e1f22; --text: #dbdee1;
  --muted: #949ba4; --accent: #0a66c2; --hover: #35373c; }
* { box-sizing: border-box; }
body { margin: 0; min-height: 100vh; background: var(--bg); color: var(--text);
  font: 15px/1.45 "Noto Sans", "Segoe UI", system-ui, sans-serif; }
.bar { display: flex; align-items: center; gap: 10px; height: 52px; padding: 0 18px; background: var(--rail); }
.bar strong { font-size: 18px; }
.bar .what { color: var(--muted); }
.logo { width: 30px; height: 30px; }
.home { display: flex; flex-wrap: wrap; gap: 24px; padding: 24px; max-width: 1100px; }
.server { flex: 0 1 420px; min-width: 280px; background: var(--panel); border-radius: 10px; padding: 16px; }
.server h1 { margin: 0 0 10px; font-size: 20px; }
.as { display: block; margin-bottom: 14px; color: var(--muted); font-size: 13px; }
.as select { margin-left: 6px; padding: 4px 6px; background: var(--rail); color: var(--text);
  border: 1px solid #ffffff1a; border-radius: 6px; font: inherit; }
.channels { list-style: none; margin: 0; padding: 0; }
.channel { display: grid; grid-template-columns: 22px 1fr; column-gap: 6px; width: 100%; margin: 2px 0;
  padding: 8px 10px; border: 0; border-radius: 6px; background: none; color: var(--text);
  font: inherit; text-align: left; cursor: pointer; }
.channel:hover, .channel:focus-visible { background: var(--hover); }
.channel.thread { padding-left: 30px; grid-template-columns: 22px 1fr; }
.mark { grid-row: span 3; color: var(--muted); font-size: 18px; line-height: 22px; }
.name { font-weight: 600; }
.about, .count { color: var(--muted); font-size: 13px; }
.about-block, .about { flex: 1 1 380px; }
section.about { color: var(--text); font-size: 15px; }
section.about h2 { font-size: 17px; margin: 0 0 8px; }
section.about li { margin: 4px 0; }
code, kbd { background: var(--rail); border-radius: 4px; padding: 0 4px; font-size: 13px; }
.kept { border-left: 3px solid var(--accent); padding-left: 10px; }
.done { color: var(--muted); }
.stop { color: var(--muted); font-size: 13px; }
.notice { max-width: 640px; padding: 32px 24px; }
a { color: #00a8fc; }
"""


def announce(url: str, group: Group, *, open_browser: bool, reopened: bool = False) -> None:
    print(f"Linkwise demo running at {url} — press Ctrl+C to stop", flush=True)
    print(
        "The page lists the channels and threads of Career Circle: open one as Morgan, the group's\n"
        "counsellor, or as Priya or Sam; your browser's Back button returns to the list.",
        flush=True,
    )
    if reopened:
        print("Reopened the database: its progress, schedules and settings are kept (messages are not).", flush=True)
    if group.notes:
        print(f"Already done: {'; '.join(group.notes)}.", flush=True)
    print("The link works on this computer only; anyone who has it can act in the demo.", flush=True)
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


def bind_page(port: int | None) -> socket.socket:
    """The page's socket, bound before the bot is built: the bot's links to messages point at
    this address, and a taken port is refused before the database is touched."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        sock.bind(("127.0.0.1", port or 0))
    except OSError as error:
        sock.close()
        raise simcord.SetupError(f"could not bind port {port}") from error
    return sock


def page_origin(sock: socket.socket) -> str:
    return f"http://127.0.0.1:{sock.getsockname()[1]}"


async def serve(db_path: Path, *, port: int | None, open_browser: bool, fresh: bool) -> None:
    """Run the seeded world and its pages until cancelled (Ctrl+C) or the page ends the session.

    ``fresh``: the database is new, so the group's history is seeded; a kept one already holds
    it, for the same server.
    """
    zone = local_zone()
    sock = bind_page(port)
    # The simulated Discord is new on every run, so commands are always synced to it; links in
    # the bot's replies (the seeded ones too) open the message in the demo's page.
    bot = create_bot(db_path=db_path, force_sync=True, settings=Settings(link_origin=page_origin(sock)))
    try:
        # The bot's own error path logs what goes wrong in a callback; the demo keeps running.
        async with simcord.run(bot, check_errors=False) as env:
            # SimCord calls every bot "TestBot" (and cannot change a bot's avatar).
            await bot.user.edit(username="Linkwise")
            group = await open_group(env)
            clock = WallClock(env)
            if fresh:
                await seed(env, group, zone, clock)
            else:
                await clock.catch_up(until=clock.wall() - SEED_SPACING)
                await group.counsellor.send(group.general, WELCOME)
            await clock.catch_up()
            stage = Stage(env, group, zone, lock=clock.lock, assets=offline_avatars())
            site = Site(stage, reopened=not fresh, sock=sock)
            try:
                await site.start()
            except OSError as error:
                raise simcord.SetupError(f"could not serve on port {port}") from error
            clock.on_step = stage.refresh
            bot.add_listener(clock.nudge, "on_interaction")
            ticking = asyncio.create_task(clock.run(), name="linkwise-demo-clock")
            try:
                announce(site.url, group, open_browser=open_browser, reopened=not fresh)
                await stage.ended.wait()
            finally:
                ticking.cancel()
                await asyncio.gather(ticking, return_exceptions=True)
                await site.close()
                await stage.close()
    finally:
        await bot.close()
        sock.close()


async def _main(db_path: Path, *, port: int | None, open_browser: bool, fresh: bool) -> None:
    serving = asyncio.create_task(serve(db_path, port=port, open_browser=open_browser, fresh=fresh))
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
        fresh = not path.exists() or path.stat().st_size == 0
        try:
            asyncio.run(_main(path, port=port, open_browser=open_browser, fresh=fresh))
        except KeyboardInterrupt:
            pass
        except simcord.SetupError as error:  # e.g. the port is taken
            hint = " Choose another --port, or leave it out to use any free port." if port else ""
            print(f"linkwise: the demo could not start: {error}.{hint}", file=sys.stderr)
            return 1
    print("Linkwise demo stopped.", flush=True)
    return 0
