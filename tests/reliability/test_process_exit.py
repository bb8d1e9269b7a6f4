"""A bot that is never closed does not keep its process alive (issue 13, item 13).

Each case runs in a process of its own, as a supervisor would see it: the bot is built with
``create_bot`` and started in SimCord (or only its store is opened), something is written, and
then the program ends without closing anything while still holding the bot. The process must
exit on its own; a process that hangs is stopped at the deadline and the test fails.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from tests.db import engine_of, one, scalar

DEADLINE = 60  # seconds: far more than any case needs; only a process that never exits meets it

PRELUDE = """
import asyncio
import sys

import discord
from simcord import Env

from bot import create_bot
from bot.store.database import open_store

KEPT = []  # what the program still holds when it ends: nothing is ever garbage-collected


async def a_bot_that_did_something():
    env = Env(create_bot(database_url=sys.argv[1]))
    await env.start()
    guild = env.create_guild(name="Career Circle")
    channel = guild.create_text_channel("general")
    member = guild.add_member(env.create_user("alice"))
    shown = await member.slash(channel, "tip")
    await member.click(shown.response.message, label="I tried this")
    KEPT.append(env)
    return env
"""

CASES = {
    # The program ends without closing the bot (a harness that never shuts SimCord down).
    "never closed": """
        async def main():
            await a_bot_that_did_something()

        asyncio.run(main())
        print("main returned", flush=True)
    """,
    # The program crashes before it could close the bot.
    "crash before close": """
        async def main():
            await a_bot_that_did_something()
            raise RuntimeError("crashed before close")

        asyncio.run(main())
    """,
    # The event loop is left running nothing and never closed: no task is cancelled either.
    "loop never closed": """
        loop = asyncio.new_event_loop()
        loop.run_until_complete(a_bot_that_did_something())
        KEPT.append(loop)
        print("main returned", flush=True)
    """,
    # Only the store, opened and written to, never closed.
    "store never closed": """
        async def main():
            store = await open_store(sys.argv[1])
            tried = "INSERT INTO tip_tried VALUES (1, 2, 'profile-clear-photo', '2026-01-01T00:00:00+00:00')"
            await store.write((tried, ()))
            KEPT.append(store)

        asyncio.run(main())
        print("main returned", flush=True)
    """,
}


def run_to_the_end(script: str, database_url: str) -> subprocess.CompletedProcess[str]:
    try:
        return subprocess.run(
            [sys.executable, "-c", script, database_url],
            capture_output=True,
            text=True,
            timeout=DEADLINE,
            check=False,
        )
    except subprocess.TimeoutExpired as hung:
        pytest.fail(f"the process did not exit on its own within {DEADLINE}s:\n{hung.stderr or ''}")


@pytest.mark.parametrize("case", CASES)
def test_the_process_exits_when_the_bot_is_gone(database_url, case):
    result = run_to_the_end(PRELUDE + textwrap.dedent(CASES[case]), database_url)

    if case == "crash before close":
        assert result.returncode == 1
        assert "RuntimeError: crashed before close" in result.stderr
    else:
        assert result.returncode == 0, result.stderr
        assert "main returned" in result.stdout
    # What was written before the end is in the database, and the database is sound.
    if engine_of(database_url) == "sqlite":
        assert scalar(database_url, "PRAGMA integrity_check") == "ok"
    assert one(database_url, "SELECT COUNT(*) FROM tip_tried") == (1,)
