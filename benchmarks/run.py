"""Linkwise benchmarks: every figure is a ratio against a baseline measured in the same run.

    python benchmarks/run.py [--json PATH] [--postgres URL] [--quick] [--only STEP ...]

Machines are noisy, so nothing here is an absolute target: each cost is divided by the cost of
a baseline doing the least possible equivalent work, measured moments before in the same
process (or, for memory, in a sibling process started the same way). Each step runs in a fresh
Python process, so the heap one step leaves behind never weighs on the next. ``--postgres``
adds the PostgreSQL figures on that database (its Linkwise tables are created, then emptied
between runs: give it a database of its own). ``--quick`` runs tiny sizes (the test suite's
smoke test); figures from it are not meaningful. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import math
import os
import platform
import random
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

# Measure Linkwise as installed, with its modules' bytecode cached (pip writes it; an
# environment with PYTHONDONTWRITEBYTECODE would otherwise compile every module at each start).
sys.dont_write_bytecode = False
ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402
from discord.ext import commands  # noqa: E402

from bot import create_bot  # noqa: E402
from bot.clock import iso  # noqa: E402
from bot.content import default_content  # noqa: E402
from bot.store import Statement, Store, members  # noqa: E402
from cogs.tips import queries as tip_rows  # noqa: E402

TARGETS: dict[str, tuple[str, float]] = {
    "tip_cpu_ratio": ("<=", 1.3),
    "checklist_cpu_ratio": ("<=", 1.2),
    "store_write_ratio": ("<=", 0.6),
    "store_sustained_p99_ms": ("<=", 5.0),
    "scheduler_claim_ratio": ("<=", 2.0),
    "rss_ratio": ("<=", 1.15),
    "startup_ratio": ("<=", 2.0),
    "restart_large_ratio": ("<=", 2.5),
    "pg_write_ratio": ("<=", 1.3),
    "store_lost_updates": ("==", 0),
}

QUICK = {
    "n": 5, "warmup": 2, "writers": 50, "rate": 200, "seconds": 0.5, "schedules": 1000, "due": 10,
    "servers": 10, "rounds": 1, "members": 500, "large_schedules": 250, "claim_rounds": 2, "burst_rounds": 1,
}
FULL = {
    "n": 200, "warmup": 20, "writers": 2000, "rate": 1000, "seconds": 5.0, "schedules": 100_000, "due": 1000,
    "servers": 10_000, "rounds": 5, "members": 100_000, "large_schedules": 25_000, "claim_rounds": 5,
    "burst_rounds": 3,
}


# ---------------------------------------------------------------------- the bare baseline bot
class BareBot(commands.Bot):
    """The least a discord.py bot can do for the same interactions: a static embed for /tip,
    a static edit for a select. Same intents and mention settings as Linkwise."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.members = False
        intents.presences = False
        intents.message_content = False
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def setup_hook(self) -> None:
        embed = discord.Embed(title="A static tip", description="Static body " * 30)

        @self.tree.command(name="tip", description="static tip, with two buttons as Linkwise's has")
        async def tip(interaction: discord.Interaction) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(BareButton(1))
            view.add_item(BareButton(2))
            view.stop()  # as Linkwise sends its persistent items (bot.ui.persistent_view)
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

        @self.tree.command(name="plaintip", description="static tip, no buttons (round 1's baseline)")
        async def plaintip(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(embed=embed, ephemeral=True)

        @self.tree.command(name="checklist", description="static select")
        async def checklist(interaction: discord.Interaction, name: str) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(BareSelect())
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

        self.add_dynamic_items(BareSelect, BareButton)
        await self.tree.sync()


class BareButton(discord.ui.DynamicItem[discord.ui.Button], template=r"bare:button:(?P<n>[0-9])"):  # type: ignore[type-arg]
    def __init__(self, n: int) -> None:
        super().__init__(discord.ui.Button(label=f"Button {n}", custom_id=f"bare:button:{n}"))

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[no-untyped-def]  # noqa: ANN001
        return cls(int(match["n"]))


class BareSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"bare:select"):  # type: ignore[type-arg]
    def __init__(self) -> None:
        options = [discord.SelectOption(label=f"Item {i}", value=f"item-{i}") for i in range(12)]
        super().__init__(discord.ui.Select(custom_id="bare:select", min_values=0, max_values=12, options=options))

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # type: ignore[no-untyped-def]  # noqa: ANN001
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(BareSelect())
        await interaction.response.edit_message(embed=discord.Embed(title="Updated"), view=view)


# ---------------------------------------------------------------------- interactions (CPU)
def _world(env: simcord.Env) -> tuple[Any, Any, Any]:
    guild = env.create_guild(name="Bench")
    channel = guild.create_text_channel("general")
    member = guild.add_member(env.create_user("member"))
    return guild, channel, member


Act = Callable[[simcord.Env, Any, Any], Awaitable[None]]


async def _cpu_per_interaction(bot: discord.Client, act: Act, n: int, warmup: int) -> float:
    try:
        async with simcord.run(bot) as env:
            _, channel, member = _world(env)
            for _ in range(warmup):
                await act(env, channel, member)
            gc.collect()
            start = time.process_time()
            for _ in range(n):
                await act(env, channel, member)
            return (time.process_time() - start) / n
    finally:
        await bot.close()  # SimCord detaches the bot but leaves closing it (and its store) to us


async def _tip(env: simcord.Env, channel: Any, member: Any) -> None:
    await member.slash(channel, "tip")


async def _plain_tip(env: simcord.Env, channel: Any, member: Any) -> None:
    await member.slash(channel, "plaintip")


def _checklist_act() -> Act:
    state: dict[str, Any] = {}

    async def act(env: simcord.Env, channel: Any, member: Any) -> None:
        if "message" not in state:
            shown = await member.slash(channel, "checklist", name="profile-basics")
            state["message"] = shown.response.message
            options = next(
                c for row in shown.response.components for c in row["components"] if c["type"] == 3
            )["options"]
            state["values"] = [o["value"] for o in options]
            state["n"] = 0
        values = state["values"]
        state["n"] = n = state["n"] + 1
        await member.select(state["message"], values[: 1 + n % (len(values) - 1)])

    return act


async def interaction_cpu(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    """Each side measured twice, interleaved (bare, Linkwise, bare, Linkwise), keeping each
    side's lower cost: a burst of other work on the machine then spoils one sample, not the ratio."""
    n, warmup = sizes["n"], sizes["warmup"]
    out: dict[str, float] = {}
    for name, act_factory in (("tip", lambda: _tip), ("checklist", _checklist_act)):
        bare, ours, plain = [], [], []
        for i in range(2):
            bare.append(await _cpu_per_interaction(BareBot(), act_factory(), n, warmup))
            if name == "tip":
                plain.append(await _cpu_per_interaction(BareBot(), _plain_tip, n, warmup))
            bot = create_bot(db_path=workdir / f"{name}-{i}.db")
            ours.append(await _cpu_per_interaction(bot, act_factory(), n, warmup))
        out[f"{name}_cpu_ratio"] = min(ours) / min(bare)
        out[f"{name}_cpu_ms"] = min(ours) * 1000
        out[f"{name}_cpu_baseline_ms"] = min(bare) * 1000
        if plain:
            out[f"{name}_cpu_ratio_plain_baseline"] = min(ours) / min(plain)
    return out


# ---------------------------------------------------------------------- SQLite store
AT = datetime(2026, 1, 5, tzinfo=UTC)


def _progress_write(user_id: int, at: datetime = AT) -> tuple[Statement, ...]:
    """The statements of a real progress write: "I tried this" (the tip, the member, the week)."""
    return (tip_rows.mark_tried(1, user_id, "bench-tip", at), *members.touch(1, user_id, f"member {user_id}", at))


def _raw_sqlite(path: Path) -> sqlite3.Connection:
    """A raw sqlite3 connection with the store's pragmas, autocommit (explicit transactions)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


async def _fresh_schema(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


async def store_burst(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    """2,000 writers at once through the group-commit store ÷ raw sqlite3 committing each row,
    each on a new database; three rounds, interleaved (raw, store, raw, store, ...), each side's
    best kept, as for the other figures: a burst of other work spoils one round, not the ratio."""
    writers = sizes["writers"]
    writes = [_progress_write(user_id) for user_id in range(writers)]
    raws, ours, lost = [], [], 0
    for round_ in range(sizes["burst_rounds"]):
        raw_path = workdir / f"raw-{round_}.db"
        await _fresh_schema(raw_path)
        conn = _raw_sqlite(raw_path)
        gc.collect()
        start = time.perf_counter()
        for statements in writes:
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                conn.execute(sql, params)
            conn.execute("COMMIT")
        raws.append((time.perf_counter() - start) / writers)
        conn.close()

        store = await Store.open(workdir / f"store-{round_}.db")
        try:
            gc.collect()
            start = time.perf_counter()
            await asyncio.gather(*(store.write(*statements) for statements in writes))
            ours.append((time.perf_counter() - start) / writers)
            lost += writers - int(await store.fetchval("SELECT COUNT(*) FROM tip_tried"))
        finally:
            await store.close()
    return {
        "store_write_ratio": min(ours) / min(raws),
        "store_write_us": min(ours) * 1e6,
        "store_write_baseline_us": min(raws) * 1e6,
        "store_lost_updates_sqlite": lost,
    }


def _arrivals(rate: float, seconds: float, seed: int = 21) -> list[float]:
    """Offsets (seconds) of a Poisson stream: exponential gaps of mean 1/rate."""
    rng = random.Random(seed)
    out, t = [], rng.expovariate(rate)
    while t < seconds:
        out.append(t)
        t += rng.expovariate(rate)
    return out


def _p99(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, math.ceil(len(ordered) * 0.99) - 1)]


async def store_sustained(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    """Writes arriving as a Poisson stream (1,000 a second for 5 seconds); each one's time from
    the call to ``store.write`` to its return (its transaction committed)."""
    offsets = _arrivals(sizes["rate"], sizes["seconds"])
    store = await Store.open(workdir / "sustained.db")
    loop = asyncio.get_running_loop()
    latencies: list[float] = []
    lags: list[float] = []

    async def writer(user_id: int) -> None:
        began = time.perf_counter()
        await store.write(*_progress_write(user_id))
        latencies.append(time.perf_counter() - began)

    try:
        await store.write(*_progress_write(-1))  # the connection and its statements are warm
        gc.collect()
        tasks = []
        begin = loop.time()
        for user_id, offset in enumerate(offsets):
            wait = begin + offset - loop.time()
            if wait > 0:
                await asyncio.sleep(wait)
            lags.append(max(0.0, loop.time() - begin - offset))
            tasks.append(loop.create_task(writer(user_id)))
        await asyncio.gather(*tasks)
        elapsed = loop.time() - begin
        found = await store.fetchval("SELECT COUNT(*) FROM tip_tried WHERE user_id >= 0")
    finally:
        await store.close()
    return {
        "store_sustained_p99_ms": _p99(latencies) * 1000,
        "store_sustained_median_ms": statistics.median(latencies) * 1000,
        "store_sustained_max_ms": max(latencies) * 1000,
        "store_sustained_rate": len(offsets) / elapsed,
        "store_sustained_arrival_lag_p99_ms": _p99(lags) * 1000,
        "store_lost_updates_sustained": len(offsets) - int(found),
    }


# ---------------------------------------------------------------------- the scheduler's claim
# Monday 2026-03-02 09:00 in Toronto (EST) is 14:00 UTC; the next weekday slot is Tuesday's.
CLAIM_NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)


def _seed_schedules(path: Path, total: int, due: int, now: datetime, *, servers: int = 1000) -> None:
    """``total`` weekday-09:00 Toronto schedules over ``servers`` servers; ``due`` of them due
    at ``now`` (their slot is ``now``), the rest due later in the week."""
    stamp = iso(now)
    rows = []
    for i in range(total):
        next_run = stamp if i < due else iso(now + timedelta(minutes=1 + i % 5000))
        rows.append(
            (i % servers, 10_000 + i, "tip", None, "09:00", "weekdays", "America/Toronto", next_run, None, 1, stamp)
        )
    conn = sqlite3.connect(path)
    with conn:
        conn.executemany(
            "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
            "paused_reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


def _raw_claim(conn: sqlite3.Connection, now: datetime, limit: int) -> tuple[float, int]:
    """The same claim in raw sqlite3: select the due rows through the same index, insert their
    slot rows, move ``next_run`` to the next slot, in one transaction."""
    from cogs.schedules.queries import DUE_SQL

    gc.collect()
    start = time.perf_counter()
    conn.execute("BEGIN IMMEDIATE")
    rows = conn.execute(DUE_SQL, (iso(now), limit)).fetchall()
    slots, moves = [], []
    for row in rows:
        slot = datetime.fromisoformat(row[8])
        slots.append((row[0], row[8]))
        moves.append((iso(slot + timedelta(days=1)), row[0], row[8]))
    conn.executemany("INSERT INTO schedule_slots (schedule_id, slot, status) VALUES (?, ?, 'claimed')", slots)
    conn.executemany("UPDATE schedules SET next_run = ? WHERE id = ? AND next_run = ?", moves)
    conn.execute("COMMIT")
    return time.perf_counter() - start, len(rows)


def _unclaim(due: int, now: datetime) -> tuple[Statement, ...]:
    """Put the claimed schedules back as they were seeded (due at ``now``, no slot rows)."""
    return (
        ("DELETE FROM schedule_slots", ()),
        ("UPDATE schedules SET next_run = ? WHERE id <= ?", (iso(now), due)),
    )


async def scheduler_claim(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    """The dispatcher's ``claim_due`` for 1,000 due among 100,000 ÷ the same claim in raw sqlite3,
    each on its own copy of the same database; five rounds, interleaved, each side's best kept
    (the claims are put back between rounds)."""
    from types import SimpleNamespace

    from cogs.schedules.dispatcher import Dispatcher

    total, due = sizes["schedules"], sizes["due"]
    raw_path, our_path = workdir / "claim-raw.db", workdir / "claim-ours.db"
    await _fresh_schema(raw_path)
    _seed_schedules(raw_path, total, due, CLAIM_NOW)  # ids 1..due are the due ones
    with sqlite3.connect(raw_path) as src, sqlite3.connect(our_path) as dst:
        src.backup(dst)

    store = await Store.open(our_path)
    await store.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    conn = _raw_sqlite(raw_path)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raws, ours = [], []
    try:
        dispatcher = Dispatcher(SimpleNamespace(store=store))  # type: ignore[arg-type]  # only the store is used
        for _ in range(sizes["claim_rounds"]):
            elapsed, found = _raw_claim(conn, CLAIM_NOW, due)
            raws.append(elapsed)
            conn.execute("BEGIN IMMEDIATE")
            for sql, params in _unclaim(due, CLAIM_NOW):
                conn.execute(sql, params)
            conn.execute("COMMIT")
            conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # each claim starts from an empty WAL

            await store.fetchval("SELECT COUNT(*) FROM schedule_slots")  # the connection is warm
            gc.collect()
            start = time.perf_counter()
            claimed, _ = await dispatcher.claim_due(CLAIM_NOW, limit=due)
            ours.append(time.perf_counter() - start)
            left = await store.fetchval("SELECT COUNT(*) FROM schedules WHERE next_run <= ?", (iso(CLAIM_NOW),))
            moved = await store.fetchval(
                "SELECT COUNT(*) FROM schedules WHERE next_run = ?", (iso(CLAIM_NOW + timedelta(days=1)),)
            )
            if len(claimed) != due or found != due or left != 0 or moved < due:
                raise RuntimeError(
                    f"claimed {len(claimed)}, raw found {found}, {left} left due, {moved} moved; expected {due}"
                )
            await store.write(*_unclaim(due, CLAIM_NOW))
            await store.fetchall("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()
        await store.close()
    return {
        "scheduler_claim_ratio": min(ours) / min(raws),
        "scheduler_claim_ms": min(ours) * 1000,
        "scheduler_claim_baseline_ms": min(raws) * 1000,
    }


# ---------------------------------------------------------------------- start-up
async def _ready(factory: Callable[[], discord.Client]) -> float:
    """Wall time from building the bot to READY in SimCord (set-up hook, extensions, sync)."""
    gc.collect()
    start = time.perf_counter()
    bot = factory()
    try:
        async with simcord.run(bot):
            return time.perf_counter() - start
    finally:
        await bot.close()


def _seed_progress(path: Path, members_n: int, schedules_n: int) -> None:
    """A big server's history: ``members_n`` members over 100 servers, each with a name, two
    active weeks, two tips seen and one tried, three checklist items done; and ``schedules_n``
    schedules, none due at once. Written with Linkwise's own statements, by raw sqlite3."""
    from cogs.checklists import queries as checklist_rows

    by_sql: dict[str, list[Sequence[Any]]] = {}
    for i in range(members_n):
        guild, user = i % 100, 1_000_000 + i
        statements = [
            *members.touch(guild, user, f"member {i}", AT),
            *members.touch(guild, user, f"member {i}", AT + timedelta(days=7)),
            tip_rows.mark_tried(guild, user, "t-first", AT),
        ]
        statements.extend(checklist_rows.set_done(guild, user, "profile-basics", ("a", "b", "c"), AT))
        for sql, params in statements:
            by_sql.setdefault(sql, []).append(params)
    conn = sqlite3.connect(path)
    with conn:
        for sql, rows in by_sql.items():
            conn.executemany(sql, rows)
    conn.close()
    _seed_schedules(path, schedules_n, 0, datetime.now(UTC) + timedelta(days=1), servers=100)


async def startup(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    """Fresh start (new database: every migration) ÷ the bare bot; a restart on a big database
    ÷ that fresh start."""
    rounds = sizes["rounds"]
    large = workdir / "large.db"
    await _fresh_schema(large)
    _seed_progress(large, sizes["members"], sizes["large_schedules"])
    bare, fresh, restart = [], [], []
    for i in range(rounds + 1):  # the first round warms imports and the disk cache, and is dropped
        default_content.cache_clear()  # count loading the content every time (validated once, then cached)
        b = await _ready(BareBot)
        default_content.cache_clear()
        f = await _ready(lambda i=i: create_bot(db_path=workdir / f"start-{i}.db"))
        default_content.cache_clear()
        r = await _ready(lambda: create_bot(db_path=large))
        if i:
            bare.append(b)
            fresh.append(f)
            restart.append(r)
    return {
        "startup_ratio": statistics.median(fresh) / statistics.median(bare),
        "restart_large_ratio": statistics.median(restart) / statistics.median(fresh),
        "startup_ms": statistics.median(fresh) * 1000,
        "startup_baseline_ms": statistics.median(bare) * 1000,
        "restart_large_ms": statistics.median(restart) * 1000,
    }


# ---------------------------------------------------------------------- memory (separate processes)
def _peak_rss_kib() -> int:
    """This process's peak resident set. ``ru_maxrss`` survives ``exec`` on Linux (a child would
    report its parent's peak), so read the memory map's own high-water mark where there is one."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


async def _rss_child(kind: str, servers: int, db: str) -> int:
    bot = create_bot(db_path=db) if kind == "linkwise" else BareBot()
    try:
        async with simcord.run(bot) as env:
            for i in range(servers):
                guild = env.create_guild(name=f"Server {i}")
                channel = guild.create_text_channel("general")
                member = guild.add_member(env.create_user(f"user{i}"))
            await env.settle()
            await member.slash(channel, "tip")  # one interaction, so every lazy path has loaded
            await env.settle()
            return _peak_rss_kib()
    finally:
        await bot.close()


def rss(sizes: dict[str, Any], workdir: Path) -> dict[str, float]:
    def run(kind: str) -> int:
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", kind, "--servers", str(sizes["servers"]),
             "--db", str(workdir / f"rss-{kind}.db")],
            check=True,
            capture_output=True,
            text=True,
        )
        return int(out.stdout.strip().splitlines()[-1])

    bare, linkwise = run("bare"), run("linkwise")
    return {"rss_ratio": linkwise / bare, "rss_mib": linkwise / 1024, "rss_baseline_mib": bare / 1024}


# ---------------------------------------------------------------------- PostgreSQL
PG_TABLES = ("tip_tried", "member_weeks", "members")


async def _raw_pg_pool(url: str, size: int) -> Any:
    """A raw asyncpg pool of ``size`` connections that, like any program passing ISO 8601 text
    for ``timestamptz``, has a text codec for it."""
    import asyncpg

    async def init(conn: Any) -> None:
        await conn.set_type_codec(
            "timestamptz", schema="pg_catalog", encoder=str, decoder=str, format="text"
        )

    return await asyncpg.create_pool(url, min_size=size, max_size=size, init=init)


async def pg_writes(sizes: dict[str, Any], url: str) -> dict[str, float]:
    """Linkwise's writes on PostgreSQL ÷ raw asyncpg issuing the same statements (numbered
    placeholders, one SERIALIZABLE transaction per write, retried on a conflict as it must be)
    at the same concurrency, through a pool of the same size."""
    import asyncpg

    from bot.store import postgres

    writers = sizes["writers"]
    store = await postgres.PostgresStore.open(url, display="benchmark database")
    raw = await _raw_pg_pool(url, postgres.POOL_MAX)
    try:
        async def empty() -> None:
            await raw.execute(f"TRUNCATE {', '.join(PG_TABLES)}")

        async def raw_write(statements: tuple[Statement, ...]) -> None:
            converted = [(postgres.convert(sql)[0], params) for sql, params in statements]
            while True:
                try:
                    async with raw.acquire() as conn, conn.transaction(isolation="serializable"):
                        for sql, params in converted:
                            await conn.execute(sql, *params)
                    return
                except asyncpg.PostgresError as error:
                    if error.sqlstate not in postgres.RETRY_SQLSTATES:
                        raise

        async def timed(write: Callable[[tuple[Statement, ...]], Awaitable[Any]], offset: int) -> float:
            await empty()
            writes = [_progress_write(offset + user_id) for user_id in range(writers)]
            gc.collect()
            start = time.perf_counter()
            await asyncio.gather(*(write(statements) for statements in writes))
            return (time.perf_counter() - start) / writers

        await timed(raw_write, 0)  # both warm: connections open, statements prepared
        await timed(lambda s: store.write(*s), 0)
        ours, theirs = [], []
        for _ in range(2):  # interleaved, best of two each
            theirs.append(await timed(raw_write, 0))
            ours.append(await timed(lambda s: store.write(*s), 0))
        found = int(await store.fetchval("SELECT COUNT(*) FROM tip_tried"))
        await empty()
    finally:
        await raw.close()
        await store.close()
    return {
        "pg_write_ratio": min(ours) / min(theirs),
        "pg_write_us": min(ours) * 1e6,
        "pg_write_baseline_us": min(theirs) * 1e6,
        "store_lost_updates_pg": writers - found,
    }


# ---------------------------------------------------------------------- running the steps
STEPS: dict[str, Callable[[dict[str, Any], Path, str | None], Awaitable[dict[str, float]]]] = {
    "interactions": lambda sizes, workdir, pg: interaction_cpu(sizes, workdir),
    "store burst": lambda sizes, workdir, pg: store_burst(sizes, workdir),
    "store sustained": lambda sizes, workdir, pg: store_sustained(sizes, workdir),
    "scheduler": lambda sizes, workdir, pg: scheduler_claim(sizes, workdir),
    "startup": lambda sizes, workdir, pg: startup(sizes, workdir),
    "postgres": lambda sizes, workdir, pg: pg_writes(sizes, pg or ""),
}


def _run_step(name: str, quick: bool, postgres: str | None) -> dict[str, float]:
    """One step in a fresh interpreter; its figures come back as JSON on its last line."""
    command = [sys.executable, __file__, "--step", name]
    if quick:
        command.append("--quick")
    if postgres:
        command += ["--postgres", postgres]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(f"step {name!r} failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])  # type: ignore[no-any-return]


def _verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = value <= target if op == "<=" else value == target
    return f"{'met' if ok else 'NOT met'} ({op} {target:g})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test only")
    parser.add_argument("--postgres", metavar="URL", help="also measure PostgreSQL on this (dedicated) database")
    parser.add_argument(
        "--only", action="append", choices=[*STEPS, "memory"], help="run only this step (repeatable)"
    )
    parser.add_argument("--step", choices=list(STEPS), help=argparse.SUPPRESS)
    parser.add_argument("--rss-child", choices=("bare", "linkwise"), help=argparse.SUPPRESS)
    parser.add_argument("--servers", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = QUICK if args.quick else FULL

    if args.rss_child:
        print(asyncio.run(_rss_child(args.rss_child, args.servers, args.db)))
        return 0
    if args.step:
        with tempfile.TemporaryDirectory(prefix="linkwise-bench-") as tmp:
            print(json.dumps(asyncio.run(STEPS[args.step](sizes, Path(tmp), args.postgres))))
        return 0

    wanted = args.only or [name for name in STEPS if name != "postgres" or args.postgres] + ["memory"]
    if "postgres" in wanted and not args.postgres:
        parser.error("the postgres step needs --postgres URL")
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="linkwise-bench-") as tmp:
        for name in wanted:
            began = time.perf_counter()
            figures.update(rss(sizes, Path(tmp)) if name == "memory" else _run_step(name, args.quick, args.postgres))
            print(f"[{name}: {time.perf_counter() - began:.1f} s]", file=sys.stderr)
    lost = [key for key in figures if key.startswith("store_lost_updates_")]
    if lost:
        figures["store_lost_updates"] = sum(int(figures[key]) for key in lost)

    print(f"{'figure':36} {'value':>12}  target")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:36} {shown:>12}  {_verdict(key, value)}")
    if args.json:
        payload = {
            **figures,
            "_machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "discord.py": discord.__version__,
                "quick": args.quick,
                "postgres": bool(args.postgres),
                "when": datetime.now(UTC).isoformat(timespec="seconds"),
            },
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
