"""Linkwise benchmarks: every figure is a ratio against a baseline measured in the same run.

    python benchmarks/run.py [--json PATH] [--quick]

Machines are noisy, so nothing here is an absolute target: each cost is divided by the cost of
a baseline doing the least possible equivalent work, measured moments before in this process
(or, for memory, in a sibling process started the same way). ``--quick`` runs tiny sizes (the
test suite's smoke test); figures from it are not meaningful. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import platform
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import discord  # noqa: E402
import simcord  # noqa: E402
from discord.ext import commands  # noqa: E402

from bot import create_bot  # noqa: E402
from bot.content import default_content  # noqa: E402
from bot.store import Store, members  # noqa: E402
from cogs.tips import queries as tip_rows  # noqa: E402

TARGETS = {
    "tip_cpu_ratio": ("<=", 1.5),
    "checklist_cpu_ratio": ("<=", 2.0),
    "store_write_ratio": ("<=", 1.0),
    "store_burst_p99_ms": ("<=", 25.0),
    "store_lost_updates": ("==", 0),
    "scheduler_due_ratio": ("<=", 3.0),
    "rss_ratio": ("<=", 1.25),
    "startup_ratio": ("<=", 2.0),
}


# ---------------------------------------------------------------------- the bare baseline bot
class BareBot(commands.Bot):
    """The least a discord.py bot can do for the same interactions: a static embed for /tip,
    a static edit for a select. Same intents and mention settings as Linkwise."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        super().__init__(
            command_prefix=commands.when_mentioned,
            help_command=None,
            intents=intents,
            allowed_mentions=discord.AllowedMentions.none(),
        )

    async def setup_hook(self) -> None:
        embed = discord.Embed(title="A static tip", description="Static body " * 30)

        @self.tree.command(name="tip", description="static tip")
        async def tip(interaction: discord.Interaction) -> None:
            await interaction.response.send_message(embed=embed, ephemeral=True)

        @self.tree.command(name="checklist", description="static select")
        async def checklist(interaction: discord.Interaction, name: str) -> None:
            view = discord.ui.View(timeout=None)
            view.add_item(BareSelect())
            await interaction.response.send_message(embed=embed, view=view, ephemeral=True)

        self.add_dynamic_items(BareSelect)
        await self.tree.sync()


class BareSelect(discord.ui.DynamicItem[discord.ui.Select], template=r"bare:select"):
    def __init__(self) -> None:
        options = [discord.SelectOption(label=f"Item {i}", value=f"item-{i}") for i in range(12)]
        super().__init__(discord.ui.Select(custom_id="bare:select", min_values=0, max_values=12, options=options))

    @classmethod
    async def from_custom_id(cls, interaction, item, match):  # noqa: ANN001
        return cls()

    async def callback(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(BareSelect())
        await interaction.response.edit_message(embed=discord.Embed(title="Updated"), view=view)


# ---------------------------------------------------------------------- helpers
def _world(env: simcord.Env):
    guild = env.create_guild(name="Bench")
    channel = guild.create_text_channel("general")
    member = guild.add_member(env.create_user("member"))
    return guild, channel, member


async def _cpu_per_interaction(
    bot: discord.Client, act: Callable[[simcord.Env, object, object], Awaitable[None]], n: int, warmup: int
) -> float:
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


async def _tip(env, channel, member) -> None:  # noqa: ANN001
    await member.slash(channel, "tip")


def _checklist_act():
    state: dict[str, object] = {}

    async def act(env, channel, member) -> None:  # noqa: ANN001
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


# ---------------------------------------------------------------------- figures
async def interaction_cpu(n: int, warmup: int, workdir: Path) -> dict[str, float]:
    bare_tip = await _cpu_per_interaction(BareBot(), _tip, n, warmup)
    linkwise_tip = await _cpu_per_interaction(create_bot(db_path=workdir / "tip.db"), _tip, n, warmup)
    bare_select = await _cpu_per_interaction(BareBot(), _checklist_act(), n, warmup)
    linkwise_select = await _cpu_per_interaction(create_bot(db_path=workdir / "sel.db"), _checklist_act(), n, warmup)
    return {
        "tip_cpu_ratio": linkwise_tip / bare_tip,
        "checklist_cpu_ratio": linkwise_select / bare_select,
        "tip_cpu_ms": linkwise_tip * 1000,
        "tip_cpu_baseline_ms": bare_tip * 1000,
        "checklist_cpu_ms": linkwise_select * 1000,
        "checklist_cpu_baseline_ms": bare_select * 1000,
    }


def _progress_write(user_id: int, at: datetime):
    """The statements of a real progress write: "I tried this" (the tip, the member, the week)."""
    return (tip_rows.mark_tried(1, user_id, "bench-tip", at), *members.touch(1, user_id, f"member {user_id}", at))


async def store_burst(writers: int, workdir: Path) -> dict[str, float]:
    at = datetime(2026, 1, 5, tzinfo=UTC)
    # Baseline: raw sqlite3, same schema and pragmas, one transaction (commit) per write.
    raw_path = workdir / "raw.db"
    setup = await Store.open(raw_path)
    await setup.close()
    conn = sqlite3.connect(raw_path, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("PRAGMA synchronous = NORMAL")
    conn.execute("PRAGMA foreign_keys = ON")
    gc.collect()
    start = time.perf_counter()
    for user_id in range(writers):
        conn.execute("BEGIN IMMEDIATE")
        for sql, params in _progress_write(user_id, at):
            conn.execute(sql, params)
        conn.execute("COMMIT")
    raw_per_write = (time.perf_counter() - start) / writers
    conn.close()

    store = await Store.open(workdir / "store.db")
    latencies: list[float] = []

    async def writer(user_id: int) -> None:
        began = time.perf_counter()
        await store.write(*_progress_write(user_id, at))
        latencies.append(time.perf_counter() - began)

    try:
        gc.collect()
        start = time.perf_counter()
        await asyncio.gather(*(writer(user_id) for user_id in range(writers)))
        per_write = (time.perf_counter() - start) / writers
        found = await store.fetchval("SELECT COUNT(*) FROM tip_tried")
    finally:
        await store.close()
    latencies.sort()
    p99 = latencies[max(0, int(len(latencies) * 0.99) - 1)]
    return {
        "store_write_ratio": per_write / raw_per_write,
        "store_burst_p99_ms": p99 * 1000,
        "store_lost_updates": writers - int(found),
        "store_write_us": per_write * 1e6,
        "store_write_baseline_us": raw_per_write * 1e6,
    }


async def startup(rounds: int, workdir: Path) -> dict[str, float]:
    async def ready(factory: Callable[[], discord.Client]) -> float:
        bot = factory()
        try:
            start = time.perf_counter()
            async with simcord.run(bot):
                return time.perf_counter() - start
        finally:
            await bot.close()

    bare, linkwise = [], []
    for i in range(rounds):
        bare.append(await ready(BareBot))
        default_content.cache_clear()  # count loading and validating the content every time
        linkwise.append(await ready(lambda i=i: create_bot(db_path=workdir / f"start-{i}.db")))
    return {
        "startup_ratio": statistics.median(linkwise) / statistics.median(bare),
        "startup_ms": statistics.median(linkwise) * 1000,
        "startup_baseline_ms": statistics.median(bare) * 1000,
    }


def _seed_schedules(path: Path, total: int, due: int, now: datetime) -> None:
    """``total`` weekday-09:00 Toronto schedules over 1,000 servers; ``due`` of them due at ``now``
    (their slot is ``now``), the rest due later in the week."""
    conn = sqlite3.connect(path)
    stamp = now.isoformat(timespec="seconds")
    rows = []
    for i in range(total):
        next_run = stamp if i < due else (now + timedelta(minutes=1 + i % 5000)).isoformat(timespec="seconds")
        rows.append(
            (i % 1000, 10_000 + i, "tip", None, "09:00", "weekdays", "America/Toronto", next_run, None, 1, stamp)
        )
    with conn:
        conn.executemany(
            "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
            "paused_reason, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
    conn.close()


async def scheduler_due(total: int, due: int, workdir: Path) -> dict[str, float]:
    """The dispatcher's own path — find the due schedules through the index and claim each one's
    slot (catch-up rules, claim row, next run) — ÷ a raw indexed SELECT of the same rows."""
    from types import SimpleNamespace

    from cogs.schedules.dispatcher import Dispatcher
    from cogs.schedules.queries import DUE_SQL

    path = workdir / "sched.db"
    # Monday 2026-03-02 09:00 in Toronto (EST) is 14:00 UTC.
    now = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)
    store = await Store.open(path)
    await store.close()
    _seed_schedules(path, total, due, now)

    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode = WAL")
    start = time.perf_counter()
    rows = conn.execute(DUE_SQL, (now.isoformat(timespec="seconds"), due)).fetchall()
    raw = time.perf_counter() - start
    conn.close()

    store = await Store.open(path)
    try:
        dispatcher = Dispatcher(SimpleNamespace(store=store))  # only the store is used to claim
        start = time.perf_counter()
        claimed, _ = await dispatcher.claim_due(now, limit=due)
        ours = time.perf_counter() - start
        left = await store.fetchval("SELECT COUNT(*) FROM schedules WHERE next_run <= ?", (now.isoformat(),))
    finally:
        await store.close()
    if len(claimed) != due or len(rows) != due or left != 0:
        raise RuntimeError(f"claimed {len(claimed)}, raw found {len(rows)}, {left} left due; expected {due}")
    return {
        "scheduler_due_ratio": ours / raw,
        "scheduler_due_ms": ours * 1000,
        "scheduler_due_baseline_ms": raw * 1000,
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
                guild.create_text_channel("general")
                guild.add_member(env.create_user(f"user{i}"))
            await env.settle()
            return _peak_rss_kib()
    finally:
        await bot.close()


def rss(servers: int, workdir: Path) -> dict[str, float]:
    def run(kind: str) -> int:
        out = subprocess.run(
            [sys.executable, __file__, "--rss-child", kind, "--servers", str(servers), "--db", str(workdir / "rss.db")],
            check=True,
            capture_output=True,
            text=True,
        )
        return int(out.stdout.strip().splitlines()[-1])

    bare, linkwise = run("bare"), run("linkwise")
    return {"rss_ratio": linkwise / bare, "rss_mib": linkwise / 1024, "rss_baseline_mib": bare / 1024}


# ---------------------------------------------------------------------- report
def _verdict(key: str, value: float) -> str:
    if key not in TARGETS:
        return ""
    op, target = TARGETS[key]
    ok = value <= target if op == "<=" else value == target
    return f"{'met' if ok else 'NOT met'} ({op} {target})"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, for the smoke test only")
    parser.add_argument("--rss-child", choices=("bare", "linkwise"), help=argparse.SUPPRESS)
    parser.add_argument("--servers", type=int, default=1000, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.rss_child:
        print(asyncio.run(_rss_child(args.rss_child, args.servers, args.db)))
        return 0

    sizes = (
        {"n": 5, "warmup": 2, "writers": 50, "rounds": 1, "servers": 10, "schedules": 1000, "due": 10}
        if args.quick
        else {"n": 200, "warmup": 20, "writers": 2000, "rounds": 5, "servers": 1000, "schedules": 100_000, "due": 1000}
    )
    figures: dict[str, float] = {}
    with tempfile.TemporaryDirectory(prefix="linkwise-bench-") as tmp:
        workdir = Path(tmp)
        steps = [
            ("interactions", lambda: asyncio.run(interaction_cpu(sizes["n"], sizes["warmup"], workdir))),
            ("store burst", lambda: asyncio.run(store_burst(sizes["writers"], workdir))),
            ("scheduler", lambda: asyncio.run(scheduler_due(sizes["schedules"], sizes["due"], workdir))),
            ("startup", lambda: asyncio.run(startup(sizes["rounds"], workdir))),
            ("memory", lambda: rss(sizes["servers"], workdir)),
        ]
        for name, step in steps:
            began = time.perf_counter()
            figures.update(step())
            print(f"[{name}: {time.perf_counter() - began:.1f} s]", file=sys.stderr)

    print(f"{'figure':28} {'value':>12}  target")
    for key, value in figures.items():
        shown = f"{value:.3f}" if isinstance(value, float) else str(value)
        print(f"{key:28} {shown:>12}  {_verdict(key, value)}")
    if args.json:
        payload = {
            **figures,
            "_machine": {
                "python": platform.python_version(),
                "platform": platform.platform(),
                "cpus": os.cpu_count(),
                "discord.py": discord.__version__,
                "quick": args.quick,
                "when": (datetime.now(UTC) - timedelta(0)).isoformat(timespec="seconds"),
            },
        }
        args.json.write_text(json.dumps(payload, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
