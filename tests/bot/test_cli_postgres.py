"""The operator's commands on PostgreSQL: `linkwise run` refuses a second instance, `check`
connects and reports, `backup` runs pg_dump (or says how), and no password is ever shown."""

from __future__ import annotations

import asyncio
import shutil
import stat
import subprocess
from pathlib import Path

import asyncpg
import pytest

from bot.store import postgres as pg
from bot.store.postgres import ShardLock
from tests.db import rows
from tests.shell import FAKE_TOKEN, linkwise, output

pytestmark = pytest.mark.postgres

PASSWORD = "Sup3r-S3cret"


@pytest.fixture
def url(pg_url) -> str:
    """The test's database, with a password in its URL (the server trusts: any is accepted)."""
    return pg_url.replace("postgres@", f"postgres:{PASSWORD}@")


@pytest.fixture
async def migrated(url) -> str:
    store = await pg.PostgresStore.open(url)
    await store.write(
        ("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
            "VALUES (1, 2, 'Alice', '2026-01-05T10:00:00+00:00', '2026-01-05T10:00:00+00:00')", ())
    )
    await store.close()
    return url


# ---------------------------------------------------------------------- run
async def test_a_second_instance_on_the_same_database_refuses(tmp_path, migrated):
    lock = ShardLock(migrated)
    assert await lock.acquire()
    try:
        result = await asyncio.to_thread(
            linkwise, tmp_path, "run", DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DATABASE_URL=migrated
        )
    finally:
        await lock.release()
    assert result.returncode == 3, output(result)
    assert "another Linkwise is already running on postgresql://postgres:***@" in result.stderr
    assert "LINKWISE_DATABASE_URL" in result.stderr
    assert PASSWORD not in output(result) and FAKE_TOKEN not in output(result)
    assert "Traceback" not in output(result)


async def test_run_refuses_a_database_from_a_newer_linkwise_before_connecting(tmp_path, migrated):
    conn = await asyncpg.connect(migrated)
    await conn.execute("INSERT INTO linkwise_migrations (version, name) VALUES (999, '0999_future')")
    await conn.close()
    result = await asyncio.to_thread(
        linkwise, tmp_path, "run", DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DATABASE_URL=migrated
    )
    assert result.returncode == 2, output(result)
    assert "newer Linkwise" in result.stderr and "999" in result.stderr
    assert "could not connect to Discord" not in result.stderr
    assert PASSWORD not in output(result) and "Traceback" not in output(result)


def test_run_on_an_unreachable_server_says_so_without_the_password(tmp_path):
    url = f"postgresql://linkwise:{PASSWORD}@127.0.0.1:1/linkwise"
    result = linkwise(tmp_path, "run", DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DATABASE_URL=url)
    assert result.returncode == 2, output(result)
    assert "no PostgreSQL server answered" in result.stderr and "LINKWISE_DATABASE_URL" in result.stderr
    assert PASSWORD not in output(result) and "Traceback" not in output(result)


async def test_run_releases_the_lock_when_it_stops_and_logs_no_password(tmp_path, migrated):
    """No network here: the login fails and the bot stops; its lock goes with it. Logged at
    DEBUG, nothing shows the password or the token."""
    result = await asyncio.to_thread(
        linkwise,
        tmp_path,
        "run",
        DISCORD_TOKEN=FAKE_TOKEN,
        LINKWISE_DATABASE_URL=migrated,
        LINKWISE_LOG_LEVEL="DEBUG",
    )
    assert result.returncode != 0 and "linkwise:" in result.stderr
    assert PASSWORD not in output(result) and FAKE_TOKEN not in output(result)
    lock = ShardLock(migrated)
    assert await lock.acquire()
    await lock.release()


# ---------------------------------------------------------------------- check
async def test_check_connects_and_reports_the_schema(tmp_path, migrated):
    result = await asyncio.to_thread(linkwise, tmp_path, "check", LINKWISE_DATABASE_URL=migrated)
    assert result.returncode == 0, output(result)
    tables = sum(m.sql.count("CREATE TABLE") for m in pg.load_migrations(pg.MIGRATIONS_DIR))
    assert f"PostgreSQL, schema {pg.latest_version()}, {tables} tables" in result.stdout
    assert "postgres:***@" in result.stdout and PASSWORD not in output(result)

    lock = ShardLock(migrated)
    assert await lock.acquire()
    try:
        busy = await asyncio.to_thread(linkwise, tmp_path, "check", "--db", migrated)
    finally:
        await lock.release()
    assert busy.returncode == 0 and "1 Linkwise process(es) connected" in busy.stdout


def test_check_on_an_empty_database_says_it_will_be_created(tmp_path, url):
    result = linkwise(tmp_path, "check", "--db", url)
    assert result.returncode == 0, output(result)
    assert "empty: Linkwise creates its tables on first run" in result.stdout


async def test_check_refuses_a_newer_schema_and_an_unreachable_server(tmp_path, migrated):
    conn = await asyncpg.connect(migrated)
    await conn.execute("INSERT INTO linkwise_migrations (version, name) VALUES (999, '0999_future')")
    await conn.close()
    newer = await asyncio.to_thread(linkwise, tmp_path, "check", LINKWISE_DATABASE_URL=migrated)
    assert newer.returncode == 1 and "newer Linkwise" in newer.stdout and "LINKWISE_DATABASE_URL" in newer.stdout

    missing = linkwise(tmp_path, "check", "--db", migrated.rsplit("/", 1)[0] + "/lwt_no_such_database")
    assert missing.returncode == 1 and "that database does not exist" in missing.stdout
    for result in (newer, missing):
        assert PASSWORD not in output(result) and "Traceback" not in output(result)


# ---------------------------------------------------------------------- backup
async def test_backup_runs_pg_dump_and_the_copy_restores(tmp_path, migrated, pg_server):
    if shutil.which("pg_dump") is None or shutil.which("pg_restore") is None:
        pytest.skip("pg_dump and pg_restore are not installed here")
    target = tmp_path / "backups" / "group.dump"
    result = await asyncio.to_thread(linkwise, tmp_path, "backup", str(target), LINKWISE_DATABASE_URL=migrated)
    assert result.returncode == 0, output(result)
    assert "with pg_dump" in result.stdout and "readable by pg_restore" in result.stdout
    assert PASSWORD not in output(result)
    refused = await asyncio.to_thread(linkwise, tmp_path, "backup", str(target), LINKWISE_DATABASE_URL=migrated)
    assert refused.returncode == 1 and "--force" in refused.stderr

    restored = pg_server.create("restored")
    try:
        await asyncio.to_thread(
            subprocess.run, ["pg_restore", "--dbname", restored, str(target)], check=True, capture_output=True
        )
        conn = await asyncpg.connect(restored)
        try:
            assert await conn.fetchval("SELECT display_name FROM members") == "Alice"
            assert await conn.fetchval("SELECT MAX(version) FROM linkwise_migrations") == pg.latest_version()
        finally:
            await conn.close()
    finally:
        pg_server.drop(restored)


def fake_tool(directory: Path, name: str) -> Path:
    """A stand-in for a PostgreSQL client tool that records how it was called."""
    directory.mkdir(exist_ok=True)
    tool = directory / name
    tool.write_text(
        "#!/bin/sh\n"
        f'printf "%s\\n" "$@" > "{directory}/{name}.argv"\n'
        f'printf "%s" "$PGPASSWORD" > "{directory}/{name}.password"\n'
        'while [ $# -gt 0 ]; do if [ "$1" = --file ]; then shift; echo dump > "$1"; fi; shift; done\n'
    )
    tool.chmod(tool.stat().st_mode | stat.S_IEXEC)
    return tool


def test_backup_hands_the_password_over_in_the_environment_not_the_command_line(tmp_path, url):
    tools = tmp_path / "bin"
    fake_tool(tools, "pg_dump")
    result = linkwise(tmp_path, "backup", "copy.dump", path=str(tools), LINKWISE_DATABASE_URL=url)
    assert result.returncode == 0, output(result)
    argv = (tools / "pg_dump.argv").read_text()
    assert PASSWORD not in argv and "--format=custom" in argv and "postgres@127.0.0.1" in argv
    assert (tools / "pg_dump.password").read_text() == PASSWORD
    assert PASSWORD not in output(result)


def test_backup_without_pg_dump_explains_how_to_make_one(tmp_path, url):
    empty = tmp_path / "nothing-here"
    empty.mkdir()
    result = linkwise(tmp_path, "backup", "copy.dump", path=str(empty), LINKWISE_DATABASE_URL=url)
    assert result.returncode == 1
    assert "pg_dump is not installed here, so no backup was made" in result.stderr
    assert "PGPASSWORD=... pg_dump --format=custom --file copy.dump" in result.stderr
    assert "pg_restore" in result.stderr
    assert PASSWORD not in output(result) and not (tmp_path / "copy.dump").exists()


# ---------------------------------------------------------------------- forget
async def test_forget_removes_the_user_in_every_server_and_shows_no_password(tmp_path, migrated):
    store = await pg.PostgresStore.open(migrated)
    for guild in (1, 3):
        for user, name in ((2, "Alice"), (4, "Bob")):
            await store.write(
                ("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) VALUES "
                    "(?, ?, ?, '2026-01-05T10:00:00+00:00', '2026-01-05T10:00:00+00:00') ON CONFLICT DO NOTHING",
                    (guild, user, name)),
                ("INSERT INTO tip_tried VALUES (?, ?, 'profile-clear-photo', '2026-01-05T10:00:00+00:00')",
                    (guild, user)),
            )
    await store.close()

    result = linkwise(tmp_path, "forget", "2", "--db", migrated)

    assert result.returncode == 0, output(result)
    assert "removed 4 row(s) about user 2 in every server" in result.stdout
    assert PASSWORD not in output(result)
    assert rows(migrated, "SELECT user_id, COUNT(*) FROM members GROUP BY user_id") == [(4, 2)]
    assert rows(migrated, "SELECT user_id, COUNT(*) FROM tip_tried GROUP BY user_id") == [(4, 2)]
    again = linkwise(tmp_path, "forget", "2", "--db", migrated)
    assert again.returncode == 0 and "nothing was stored" in again.stdout, output(again)
