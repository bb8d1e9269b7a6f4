"""Helper for test_durability.py: tick items on the real store as fast as it allows, and print
the id of each write once ``Store.write`` has returned (so: committed), one per line.

Usage: python _ticker.py DATABASE_URL FIRST_ID (a SQLite path or URL, or a PostgreSQL URL). Runs
until killed.
"""

from __future__ import annotations

import asyncio
import sys
from datetime import UTC, datetime

from bot.store import members
from bot.store.database import open_store
from cogs.tips import queries as tip_rows

GUILD = 900000000000000001
WORKERS = 8


def tick(n: int) -> tuple:
    """One write, two rows in two tables and a member touch: all land or none does."""
    now = datetime.now(UTC)
    user = 1000 + n % 50
    return (
        tip_rows.mark_tried(GUILD, user, f"tick-{n}", now),
        *tip_rows.mark_seen(GUILD, user, "durability", f"tick-{n}", now, restart_cycle=False),
        *members.touch(GUILD, user, f"Member {user}", now),
    )


async def main(path: str, first: int) -> None:
    store = await open_store(path)
    await store.write(*tick(first))  # connected and writing (a server may take a while to answer)
    print("ready", flush=True)
    print(first, flush=True)
    counter = iter(range(first + 1, first + 10_000_000))

    async def worker() -> None:
        for n in counter:
            await store.write(*tick(n))
            sys.stdout.write(f"{n}\n")
            sys.stdout.flush()

    await asyncio.gather(*(worker() for _ in range(WORKERS)))


if __name__ == "__main__":
    asyncio.run(main(sys.argv[1], int(sys.argv[2])))
