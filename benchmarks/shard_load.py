"""The database load of the scheduled posts with several processes on one PostgreSQL database.

    python benchmarks/shard_load.py [--server URL] [--schedules 100000] [--servers 20000]
                                    [--shard-count 8] [--shards 2] [--due 4000]

Creates a scratch database on the server (default: postgresql://postgres@127.0.0.1:5432/postgres,
a user who may CREATE DATABASE), seeds ``--schedules`` schedules over ``--servers`` servers, keyed
for ``--shard-count`` shards as ``/schedule add`` keys them, ``--due`` of them due at one instant
(09:00 in many servers) and the rest later in the week; then, as one process running ``--shards``
of the shards, runs the dispatcher's own claim (``Dispatcher.claim_due``: the due query through
the index, then one transaction per due schedule) until nothing of its shards is due, and reports:

* the due query's cost per pass (a batch of 100), and the pages it read (``EXPLAIN (ANALYZE,
  BUFFERS)``), for this process and for a process running every shard;
* per claimed schedule: wall time, transactions and rows written (from ``pg_stat_database`` and
  ``pg_stat_user_tables``), and the claims per second one process sustains.

The scratch database is dropped at the end. The figures go to stdout (``--json PATH`` too).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import asyncpg

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bot.store.postgres import PostgresStore, connect, convert  # noqa: E402
from cogs.schedules import queries as rows  # noqa: E402
from cogs.schedules.dispatcher import Dispatcher  # noqa: E402

NOW = datetime(2026, 3, 2, 14, 0, tzinfo=UTC)  # Monday 09:00 in Toronto
PLANS = False  # --plans: print the plans read (to stderr)


def _with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, "/" + name, parts.query, parts.fragment))


def _server_ids(count: int, rng: random.Random) -> list[int]:
    """Snowflakes as Discord makes them: a creation time (ms since 2015) in the top bits."""
    span = 10 * 365 * 86400 * 1000
    return [(rng.randrange(span) << 22) | rng.randrange(1 << 22) for _ in range(count)]


async def _seed(url: str, schedules: int, servers: int, due: int, count: int) -> None:
    rng = random.Random(18)
    ids = _server_ids(servers, rng)
    conn = await asyncpg.connect(url)
    try:
        records = []
        for i in range(schedules):
            guild = ids[i % servers]
            later = NOW + timedelta(minutes=1 + rng.randrange(7 * 24 * 60))
            records.append(
                (
                    guild, 10_000 + i, "tip", None, "09:00", "weekdays", "America/Toronto",
                    NOW if i < due else later, None, 1, NOW, None, None, count, (guild >> 22) % count,
                )
            )
        rng.shuffle(records)  # no particular order on disk, as in a database in use
        await conn.copy_records_to_table(
            "schedules",
            records=records,
            columns=[
                "guild_id", "channel_id", "kind", "topic", "local_time", "days", "timezone", "next_run",
                "paused_reason", "created_by", "created_at", "paused_by", "paused_at", "shard_count", "shard",
            ],
        )
        await conn.execute("VACUUM ANALYZE schedules")
    finally:
        await conn.close()


async def _stats(conn: asyncpg.Connection) -> dict[str, int]:
    db = await conn.fetchrow(
        "SELECT xact_commit, xact_rollback, tup_inserted, tup_updated, tup_deleted, blks_read + blks_hit AS blocks "
        "FROM pg_stat_database WHERE datname = current_database()"
    )
    return dict(db)


async def _query_cost(
    store: PostgresStore, url: str, sql: str, params: tuple[Any, ...], rounds: int = 20
) -> dict[str, float]:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        await store.fetchall(sql, params)
        times.append(time.perf_counter() - start)
    query, _ = convert(sql)
    conn = await connect(url, "the scratch database")  # with Linkwise's codecs, as the store's
    try:
        plan = await conn.fetchval("EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) " + query, *params)
    finally:
        await conn.close()
    top = json.loads(plan)[0]["Plan"]
    if PLANS:
        print(json.dumps(json.loads(plan)[0]["Plan"], indent=1)[:3000], file=sys.stderr)
    return {
        "ms": statistics.median(times) * 1000,
        "pages": top.get("Shared Hit Blocks", 0) + top.get("Shared Read Blocks", 0),
        "rows": top.get("Actual Rows", 0),
    }


async def measure(args: argparse.Namespace) -> dict[str, Any]:
    name = f"lw_capacity_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(args.server)
    await admin.execute(f'CREATE DATABASE "{name}"')
    url = _with_database(args.server, name)
    try:
        store = await PostgresStore.open(url)
        try:
            await _seed(url, args.schedules, args.servers, args.due, args.shard_count)
            mine = rows.Shards(tuple(range(args.shards)), args.shard_count)
            batch = 100
            ours = await _query_cost(store, url, rows.due_sql(mine), rows.due_params(mine, NOW, batch))
            every = await _query_cost(store, url, rows.DUE_SQL, (rows.iso(NOW), batch))

            conn = await asyncpg.connect(url)
            before = await _stats(conn)
            dispatcher = Dispatcher(SimpleNamespace(store=store), mine)  # type: ignore[arg-type]
            claimed = 0
            start = time.perf_counter()
            while True:
                got, full = await dispatcher.claim_due(NOW, limit=batch)
                claimed += len(got)
                if not full:
                    break
            elapsed = time.perf_counter() - start
        finally:
            await store.close()  # its connections end, and report their statistics as they go
        try:
            await asyncio.sleep(0.5)
            after = await _stats(conn)
            expected = await conn.fetchval(
                "SELECT COUNT(*) FROM schedule_slots JOIN schedules ON schedules.id = schedule_id "
                "WHERE shard = ANY($1::int[])",
                list(mine.ids),
            )
        finally:
            await conn.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    delta = {key: after[key] - before[key] for key in before}
    return {
        "schedules": args.schedules,
        "servers": args.servers,
        "shard_count": args.shard_count,
        "process_shards": args.shards,
        "due_at_the_instant": args.due,
        "claimed_by_this_process": claimed,
        "slots_recorded": expected,
        "due_query_ms_this_process": round(ours["ms"], 3),
        "due_query_pages_this_process": ours["pages"],
        "due_query_ms_every_shard": round(every["ms"], 3),
        "due_query_pages_every_shard": every["pages"],
        "claim_ms_per_schedule": round(elapsed * 1000 / max(claimed, 1), 3),
        "claims_per_second": round(claimed / elapsed, 1) if elapsed else 0.0,
        "transactions_per_claim": round(delta["xact_commit"] / max(claimed, 1), 2),
        "rolled_back_per_claim": round(delta["xact_rollback"] / max(claimed, 1), 2),
        "rows_written_per_claim": round(
            (delta["tup_inserted"] + delta["tup_updated"] + delta["tup_deleted"]) / max(claimed, 1), 2
        ),
        "pages_per_claim": round(delta["blocks"] / max(claimed, 1), 1),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default="postgresql://postgres@127.0.0.1:5432/postgres")
    parser.add_argument("--schedules", type=int, default=100_000)
    parser.add_argument("--servers", type=int, default=20_000)
    parser.add_argument("--shard-count", type=int, default=8)
    parser.add_argument("--shards", type=int, default=2, help="how many of the shards this process runs")
    parser.add_argument("--due", type=int, default=4_000, help="schedules due at the measured instant")
    parser.add_argument("--json", type=Path, help="also write the figures as JSON to this path")
    parser.add_argument("--plans", action="store_true", help="print the due queries' plans to stderr")
    args = parser.parse_args(argv)
    global PLANS
    PLANS = args.plans
    figures = asyncio.run(measure(args))
    for key, value in figures.items():
        print(f"{key:32} {value}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
