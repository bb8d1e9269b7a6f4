"""Processes holding shards on one PostgreSQL database, as an operator runs them: `linkwise run`
for a shard another process holds refuses to start, naming it, with no traceback; a process
that crashes frees its shards with its connection; a lost lock connection stops the bot."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import asyncpg
import pytest

from bot import create_bot
from bot.store import postgres as pg

pytestmark = pytest.mark.postgres

FAKE_TOKEN = "M" + "A" * 25 + ".GgGgGg." + "z" * 38
PASSWORD = "Sh4rd-Secret"
SCRIPT = Path(sys.executable).with_name("linkwise")
COMMAND = [str(SCRIPT)] if SCRIPT.exists() else [sys.executable, "-m", "bot.cli"]


def linkwise(cwd: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k != "DISCORD_TOKEN" and not k.startswith("LINKWISE_")}
    environ.update(env)
    return subprocess.run([*COMMAND, *args], cwd=cwd, env=environ, capture_output=True, text=True, timeout=60)


@pytest.fixture
def url(pg_url) -> str:
    return pg_url.replace("postgres@", f"postgres:{PASSWORD}@")  # the server trusts: any password works


async def run(tmp_path, url, *args: str, **env: str):
    return await asyncio.to_thread(
        linkwise, tmp_path, "run", *args, DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DATABASE_URL=url, **env
    )


async def test_run_for_a_held_shard_refuses_naming_it(tmp_path, url):
    holder = create_bot(database_url=url, shard_ids=[0, 2], shard_count=4)  # another process's bot
    await holder.hold_shards()
    try:
        refused = await run(tmp_path, url, "--shard-count", "4", "--shard-ids", "1-2")
        everything = await run(tmp_path, url)
        recounted = await run(tmp_path, url, LINKWISE_SHARD_COUNT="8", LINKWISE_SHARD_IDS="5")
        free = await run(tmp_path, url, "--shard-count", "4", "--shard-ids", "1,3")
    finally:
        await holder.close()

    for result in (refused, everything, recounted):
        assert result.returncode == 3, result.stderr
        assert "Traceback" not in result.stdout + result.stderr
        assert PASSWORD not in result.stdout + result.stderr and "postgres:***@" in result.stderr
        assert "could not connect to Discord" not in result.stderr  # refused before connecting
    assert "shard 2 is already run by another Linkwise process" in refused.stderr
    assert "shard 0 is already run by another Linkwise process" in everything.stderr
    assert "run with LINKWISE_SHARD_COUNT=4, not 8" in recounted.stderr
    # Shards 1 and 3 were free: that process got past the lock, as far as Discord (which this
    # machine cannot reach, or which rejects the made-up token), and freed them when it stopped.
    assert free.returncode in (1, 2) and "already run" not in free.stderr, free.stderr
    assert "Traceback" not in free.stdout + free.stderr
    again = create_bot(database_url=url, shard_ids=[1, 3], shard_count=4)
    await again.hold_shards()
    await again.close()


HOLDER = textwrap.dedent(
    """
    import asyncio, sys
    from bot import create_bot

    async def main():
        bot = create_bot(database_url=sys.argv[1], shard_ids=[1], shard_count=2)
        await bot.hold_shards()
        print("held", flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


async def test_a_crashed_process_frees_its_shards(url):
    holder = await asyncio.create_subprocess_exec(sys.executable, "-c", HOLDER, url, stdout=subprocess.PIPE)
    try:
        assert (await asyncio.wait_for(holder.stdout.readline(), 60)).strip() == b"held"
        waiting = create_bot(database_url=url, shard_ids=[1], shard_count=2)
        with pytest.raises(pg.StoreError, match="shard 1 is already run"):
            await waiting.hold_shards()
    finally:
        holder.kill()  # SIGKILL: no cleanup of any kind
        await holder.wait()
    taker = create_bot(database_url=url, shard_ids=[1], shard_count=2)
    for _ in range(200):  # the server ends the dead process's session at once; allow it a moment
        try:
            await taker.hold_shards()
            break
        except pg.StoreError:
            await asyncio.sleep(0.05)
    try:
        assert taker.shard_lock is not None and taker.shard_lock.held
    finally:
        await taker.close()


async def test_losing_the_lock_connection_stops_the_bot_and_frees_the_shard(url):
    bot = create_bot(database_url=url, shard_ids=[0], shard_count=2)
    async with bot:  # set up as `linkwise run` sets it up, without connecting anywhere
        await bot.hold_shards()
        admin = await asyncpg.connect(url)
        try:
            (backend,) = await pg.lock_holders(admin)
            await admin.execute("SELECT pg_terminate_backend($1)", backend)
        finally:
            await admin.close()
        for _ in range(200):
            if bot.is_closed():
                break
            await asyncio.sleep(0.05)
        assert bot.shards_lost and bot.is_closed()
    other = create_bot(database_url=url, shard_ids=[0], shard_count=2)
    await other.hold_shards()
    await other.close()
