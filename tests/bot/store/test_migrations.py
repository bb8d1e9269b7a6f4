"""Migrations through the bot's own start paths (issue 10, case 17): a migration failing
midway leaves the previous version intact and the bot does not start; a database from a newer
Linkwise is refused, by the bot and by `linkwise run`, before anything changes.

Covered at the store level and not repeated here (tests/bot/store/test_store.py): a broken migration
rolled back as a whole, all pending migrations applied in one transaction, the version refusal's
message; and `linkwise check` on a newer database (tests/bot/test_cli.py).
"""

from __future__ import annotations

import contextlib
import re
import sqlite3
import time

import pytest
from simcord import Env

from bot import create_bot
from bot.store import Store, StoreError, StoreVersionError, latest_version, load_migrations
from tests.backends import sqlite_only

pytestmark = sqlite_only(
    "SQLite files as older versions left them; PostgreSQL's migrations (all or nothing, a newer schema "
    "refused) are tests/bot/store/test_postgres.py and tests/bot/test_cli_postgres.py"
)


def connect(path):
    return contextlib.closing(sqlite3.connect(path))


def schema(path) -> list[tuple]:
    with connect(path) as conn:
        return conn.execute("SELECT type, name, sql FROM sqlite_master ORDER BY name").fetchall()


def version(path) -> int:
    with connect(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


async def database_at(path, number: int) -> None:
    """A database migrated up to ``number``, with a member in it."""
    store = await Store.open(path, migrate=False)
    try:
        await store._migrate(load_migrations()[:number])
        await store.write(
            ("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
                "VALUES (1, 2, 'Alice', '2026-01-05T10:00:00+00:00', '2026-01-05T10:00:00+00:00')", ())
        )
    finally:
        await store.close()


async def start_bot(path) -> Env:
    env = Env(create_bot(db_path=path))
    await env.start()
    return env


async def test_a_migration_failing_midway_leaves_the_previous_version_and_the_bot_does_not_start(db_path):
    # The latest migration that creates a table or index (a later one may only move data): an
    # object in the way of its last CREATE makes it fail after its earlier statements succeeded,
    # so the failure really comes midway.
    creates = re.compile(r"CREATE\s+(?:UNIQUE\s+)?(?:TABLE|INDEX)\s+(\w+)", re.IGNORECASE)
    latest = [m for m in load_migrations() if creates.search(m.sql)][-1]
    previous = latest.number - 1
    await database_at(db_path, previous)
    blocked = creates.findall(latest.sql)[-1]
    with connect(db_path) as conn:
        conn.execute(f"CREATE TABLE {blocked} (x)")
        conn.commit()
    before = schema(db_path)

    with pytest.raises(StoreError) as refused:
        await start_bot(db_path)

    assert latest.name in str(refused.value)
    assert f"schema version {previous}" in str(refused.value)
    assert version(db_path) == previous
    assert schema(db_path) == before  # nothing of the failed migration remains
    with connect(db_path) as conn:
        assert conn.execute("SELECT display_name FROM members").fetchall() == [("Alice",)]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"

    # The operator removes the obstacle: the next start completes the upgrade, data kept.
    with connect(db_path) as conn:
        conn.execute(f"DROP TABLE {blocked}")
        conn.commit()
    env = await start_bot(db_path)
    try:
        assert version(db_path) == latest_version()
    finally:
        await env.shutdown()
    with connect(db_path) as conn:
        assert conn.execute("SELECT display_name FROM members").fetchall() == [("Alice",)]


async def test_the_bot_refuses_a_database_from_a_newer_linkwise_and_leaves_it_untouched(db_path):
    await database_at(db_path, latest_version())
    with connect(db_path) as conn:
        conn.execute(f"PRAGMA user_version = {latest_version() + 1}")
        conn.commit()
    before = schema(db_path)

    with pytest.raises(StoreVersionError, match="newer Linkwise"):
        await start_bot(db_path)

    assert version(db_path) == latest_version() + 1
    assert schema(db_path) == before


def test_linkwise_run_refuses_a_newer_database_before_connecting(tmp_path, linkwise, fake_token):
    db = tmp_path / "group.db"
    with connect(db) as conn:
        conn.execute("CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        conn.execute("PRAGMA user_version = 999")
        conn.commit()

    started = time.monotonic()
    result = linkwise(tmp_path, "run", DISCORD_TOKEN=fake_token, LINKWISE_DB_PATH=str(db))

    assert time.monotonic() - started < 15
    assert result.returncode == 2
    assert "newer Linkwise" in result.stderr and "999" in result.stderr
    assert "could not connect" not in result.stderr  # refused before trying Discord
    assert "Traceback" not in result.stdout + result.stderr
    assert version(db) == 999


def test_linkwise_run_refuses_a_file_that_is_not_a_database(tmp_path, linkwise, fake_token):
    db = tmp_path / "group.db"
    db.write_bytes(b"not a database at all " * 200)

    result = linkwise(tmp_path, "run", DISCORD_TOKEN=fake_token, LINKWISE_DB_PATH=str(db))

    assert result.returncode == 2
    assert "cannot be read as a Linkwise database" in result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert db.read_bytes() == b"not a database at all " * 200


async def test_old_pause_reasons_keep_who_paused_as_an_id_and_lose_the_name(db_path):
    """Pauses written before who paused was kept as an id read "paused by NAME on DATE"."""
    authorship = next(m for m in load_migrations() if m.name.endswith("_authorship"))
    store = await Store.open(db_path, migrate=False)
    try:
        await store._migrate(load_migrations()[: authorship.number - 1])
        guild, other = 900, 901
        long_name = "Alexandra " * 5  # 50 characters: the old reason kept 40 of them
        members = [(guild, 10, "Quillon"), (guild, 11, "Sam"), (guild, 12, "Sam"), (other, 13, "Quillon")]
        members.append((guild, 14, long_name))
        reasons = [
            "paused by Quillon on 2026-01-05",  # one member of that server by that name
            "paused by Sam on 2026-02-01",  # two: nobody can tell which
            "paused by Nobody Known on 2026-02-02",  # no such member
            "Linkwise cannot post in #news (Discord said 403 Missing Access)",  # Linkwise's own pause
            None,  # running
            f"paused by {long_name[:40]} on 2026-03-03",
        ]
        await store.write(
            *[
                ("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
                    "VALUES (?, ?, ?, '2026-01-01T00:00:00+00:00', '2026-01-01T00:00:00+00:00')", m)
                for m in members
            ],
            *[
                (
                    "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
                    "paused_reason, created_by, created_at) VALUES (?, 5, 'tip', NULL, '09:00', 'daily', 'UTC', "
                    "'2026-01-01T09:00:00+00:00', ?, 10, '2026-01-01T00:00:00+00:00')",
                    (guild, reason),
                )
                for reason in reasons
            ],
        )
    finally:
        await store.close()

    upgraded = await Store.open(db_path)
    await upgraded.close()

    with connect(db_path) as conn:
        got = conn.execute("SELECT paused_reason, paused_by, paused_at FROM schedules ORDER BY id").fetchall()
    assert got == [
        ("paused by a counsellor on 2026-01-05", 10, "2026-01-05T00:00:00+00:00"),
        ("paused by a counsellor on 2026-02-01", None, "2026-02-01T00:00:00+00:00"),
        ("paused by a counsellor on 2026-02-02", None, "2026-02-02T00:00:00+00:00"),
        ("Linkwise cannot post in #news (Discord said 403 Missing Access)", None, None),
        (None, None, None),
        ("paused by a counsellor on 2026-03-03", 14, "2026-03-03T00:00:00+00:00"),
    ]
    assert version(db_path) == latest_version()
