"""`linkwise migrate --from URL --to URL`: every row of every table, SQLite to PostgreSQL and
back, counts verified; a non-empty target, a source a running bot holds, and a copy that fails
midway leave the target as it was."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path

import asyncpg
import pytest
from simcord import Env

from bot import create_bot
from bot.store import InstanceLock, Store
from bot.store.database import DatabaseURL, open_store
from bot.store.postgres import ShardLock
from bot.store.transfer import Progress, TransferError, copy_database
from tests import db
from tests.shell import linkwise

G1, G2 = 900_000_000_000_000_001, 2**63 - 1  # the largest snowflake fits
ALICE, BOB = 111_111_111_111_111_111, 222_222_222_222_222_222
T0, T1 = "2026-01-05T10:00:00+00:00", "2026-03-08T07:30:00+00:00"

# A row in every table, with NULLs, large ids, non-ASCII text and instants.
ROWS: dict[str, list[tuple]] = {
    "meta": [("command_tree_hash:global", "abc123"), ("note", "é ✓ 'quoted' \"double\" ?")],
    "members": [(G1, ALICE, "Alice ✓", T0, T1, 0), (G1, BOB, "Bob", T0, T0, 1), (G2, ALICE, "Alice", T1, T1, 0)],
    "member_weeks": [(G1, ALICE, "2026-W02"), (G1, ALICE, "2026-W10"), (G2, ALICE, "2026-W10")],
    "tip_seen": [(G1, ALICE, "all", "profile-clear-photo", T0), (G1, BOB, "profile", "profile-headline", T1)],
    "tip_tried": [(G1, ALICE, "profile-clear-photo", T1), (G1, ALICE, "custom-tip-1", T1)],
    "guild_settings": [(G1, 333_333_333_333_333_333, "Europe/Paris", "fr"), (G2, None, None, None)],
    "rotation": [(G1, "tip", "profile-headline", T0, None), (G1, "prompt", "intro-yourself", T1, "claim-token")],
    "checklist_done": [(G1, ALICE, "profile-basics", "photo", T0), (G1, ALICE, "profile-basics", "headline", T1)],
    "checklist_celebrated": [(G1, ALICE, "profile-basics", T1)],
    "checklist_undone": [(G1, ALICE, "profile-basics", "about", T0, T1)],
    "suggestions": [
        (1, G1, ALICE, "tip", "profile", "Title ✓", "Body ?", "approved", None, 1, BOB, T1, T0),
        (2, G1, BOB, "prompt", None, None, "Q?", "declined", "Not now ✓", None, ALICE, T1, T0),
        (3, G2, ALICE, "prompt", None, None, "Pending?", "pending", None, None, None, None, T1),
    ],
    "prompt_shares": [(1, G1, ALICE, "intro-yourself", 444, 555, 666, T1), (7, G1, BOB, "p2", 4, 5, 6, T0)],
    "prompt_requests": [(G1, ALICE, T1)],
    "prompt_share_turns": [(G1, ALICE, 444, T1)],
    "schedules": [
        (1, G1, 777, "tip", None, "09:00", "mon,wed,fri", "Europe/Paris", T1, None, ALICE, T0, None, None, 4, 3),
        (
            2,
            G1,
            777,
            "prompt",
            "profile",
            "18:30",
            "daily",
            "America/New_York",
            T1,
            "paused by a counsellor",
            BOB,
            T0,
            ALICE,
            T1,
            1,
            0,
        ),
    ],
    "schedule_slots": [(1, T0, "posted", T0, 888), (1, T1, "claimed", None, None), (2, T0, "skipped", None, None)],
    "custom_content": [
        (1, G1, "tip", "profile", "Title ✓", "Body with 'quotes'", ALICE, T0, BOB),
        (2, G1, "prompt", None, None, "Q?", BOB, T1, None),
    ],
}


async def seed(path: Path) -> None:
    store = await Store.open(path)
    try:
        assert set(await store.tables()) == set(ROWS), "give the round trip a row in every table"
        statements = []
        for table, rows in ROWS.items():
            marks = ", ".join("?" for _ in rows[0])
            statements += [(f"INSERT INTO {table} VALUES ({marks})", row) for row in rows]
        # Ids removed before the copy are never given again after it.
        statements += [
            (
                "INSERT INTO schedules VALUES "
                "(3, ?, 1, 'tip', NULL, '09:00', 'mon', 'UTC', ?, NULL, 1, ?, NULL, NULL, 1, 0)",
                (G1, T0, T0),
            ),
            ("DELETE FROM schedules WHERE id = 3", ()),
            ("INSERT INTO custom_content VALUES (9, ?, 'tip', NULL, NULL, 'gone', 1, ?, NULL)", (G1, T0)),
            ("DELETE FROM custom_content WHERE id = 9", ()),
        ]
        await store.write(*statements)
    finally:
        await store.close()


async def dump(target) -> dict[str, list[tuple]]:
    store = await open_store(target)
    try:
        out = {}
        for table in await store.tables():
            columns = await store.columns(table)
            out[table] = sorted([row async for batch in store.rows(table, columns, 1000) for row in batch], key=repr)
        return out
    finally:
        await store.close()


async def next_ids(target) -> tuple[int | None, int | None]:
    store = await open_store(target)
    try:
        schedule = await store.insert(
            "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
            "paused_reason, created_by, created_at) VALUES (1, 1, 'tip', NULL, '09:00', 'mon', 'UTC', ?, NULL, 1, ?)",
            (T0, T0),
        )
        content = await store.insert(
            "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at) "
            "VALUES (1, 'tip', NULL, NULL, 'new', 1, ?)",
            (T0,),
        )
        return schedule, content
    finally:
        await store.close()


def url_of(path: Path) -> DatabaseURL:
    return DatabaseURL.parse(f"sqlite:///{path}")


@pytest.mark.postgres
async def test_sqlite_to_postgresql_and_back_keeps_every_row(tmp_path, pg_url):
    source, back = tmp_path / "group.db", tmp_path / "back.db"
    await seed(source)
    expected = {t: sorted(rows, key=repr) for t, rows in ROWS.items()}
    assert await dump(source) == expected

    copied = await copy_database(url_of(source), DatabaseURL.parse(pg_url), batch=2)
    assert {c.table: c.rows for c in copied} == {t: len(rows) for t, rows in ROWS.items()}
    assert await dump(pg_url) == expected

    copied_back = await copy_database(DatabaseURL.parse(pg_url), url_of(back), batch=3)
    assert [c.table for c in copied_back] == [c.table for c in copied]
    assert await dump(back) == expected

    # Ids never given twice stay so on both sides: 3 and 9 were used (then removed) at the start.
    assert await next_ids(pg_url) == (4, 10)
    assert await next_ids(back) == (4, 10)


@pytest.mark.postgres
async def test_text_holding_a_nul_moves_to_postgresql_as_the_replacement_character(tmp_path, pg_url):
    """SQLite keeps U+0000 in text; PostgreSQL's text cannot hold it: the copy keeps U+FFFD."""
    source = tmp_path / "group.db"
    store = await Store.open(source)
    await store.write(("INSERT INTO meta (key, value) VALUES ('note', ?)", ("typed\x00here",)))
    await store.close()

    copied = await copy_database(url_of(source), DatabaseURL.parse(pg_url))

    assert {c.table: c.rows for c in copied}["meta"] == 1
    assert db.rows(pg_url, "SELECT value FROM meta WHERE key = 'note'") == [("typed\ufffdhere",)]


@pytest.mark.postgres
async def test_the_bot_serves_a_group_moved_to_postgresql(tmp_path, pg_url):
    """The group's bot ran on SQLite; its database moves to PostgreSQL; the bot starts there
    on the same data and does not sync its commands again (the tree's hash moved too)."""
    source = tmp_path / "group.db"
    env = Env(create_bot(db_path=source))
    await env.start()
    guild = env.create_guild(name="Career Circle")
    channel = guild.create_text_channel("general")
    alice = guild.add_member(env.create_user("alice", global_name="Alice"))
    assert (await alice.slash(channel, "help")).ephemeral
    assert env.bot.synced
    await env.shutdown()

    await copy_database(url_of(source), DatabaseURL.parse(pg_url))

    # A fresh simulated Discord does not know the commands the first one synced; the real one
    # does, so let it register them as they are.
    moved = Env(create_bot(database_url=pg_url), strict_sync=False)
    await moved.start()
    try:
        assert moved.bot.store.engine == "postgresql"
        assert not moved.bot.synced  # same commands, already synced: the hash came along
        guild = moved.create_guild(name="Career Circle")
        channel = guild.create_text_channel("general")
        bob = guild.add_member(moved.create_user("bob", global_name="Bob"))
        result = await bob.slash(channel, "help")
        assert result.ephemeral and "LinkedIn" in result.response.embeds[0].description
    finally:
        await moved.shutdown()


@pytest.mark.postgres
async def test_a_target_holding_data_is_refused_and_left_as_it_was(tmp_path, pg_url):
    source = tmp_path / "group.db"
    await seed(source)
    target = await open_store(pg_url)
    await target.write(("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
        "VALUES (1, 2, 'Someone', ?, ?)", (T0, T0)))
    await target.close()

    with pytest.raises(TransferError, match=r"already holds data \(in members\)"):
        await copy_database(url_of(source), DatabaseURL.parse(pg_url))
    assert (await dump(pg_url))["members"] == [(1, 2, "Someone", T0, T0, 0)]
    assert sum(len(rows) for rows in (await dump(pg_url)).values()) == 1


@pytest.mark.postgres
async def test_a_source_held_by_a_running_bot_is_refused(tmp_path, pg_url, pg_server):
    source = tmp_path / "group.db"
    await seed(source)
    lock = InstanceLock(source)
    assert lock.acquire()
    try:
        with pytest.raises(TransferError, match="a Linkwise is running on the source"):
            await copy_database(url_of(source), DatabaseURL.parse(pg_url))
    finally:
        lock.release()
    conn = await asyncpg.connect(pg_url)
    try:  # refused before anything was created
        assert await conn.fetchval("SELECT COUNT(*) FROM pg_tables WHERE schemaname = current_schema()") == 0
    finally:
        await conn.close()

    await copy_database(url_of(source), DatabaseURL.parse(pg_url))
    running = ShardLock(pg_url)
    assert await running.acquire()
    try:
        with pytest.raises(TransferError, match="a Linkwise is running on the source"):
            await copy_database(DatabaseURL.parse(pg_url), url_of(tmp_path / "back.db"))
        with pytest.raises(TransferError, match="a Linkwise is running on the target"):
            await copy_database(url_of(source), DatabaseURL.parse(pg_url))
    finally:
        await running.release()
    assert not (tmp_path / "back.db").exists()


@pytest.mark.postgres
async def test_a_copy_failing_midway_leaves_the_target_empty(tmp_path, pg_url):
    source = tmp_path / "group.db"
    await seed(source)
    store = await Store.open(source)
    await store.write(("INSERT INTO tip_tried VALUES (1, 2, 'late', 'not an instant')", ()))  # SQLite takes any text
    await store.close()

    with pytest.raises(TransferError, match="rolled back, so the target is still empty") as caught:
        await copy_database(url_of(source), DatabaseURL.parse(pg_url), batch=1)
    assert "not an instant" in str(caught.value)
    assert all(rows == [] for rows in (await dump(pg_url)).values())


@pytest.mark.postgres
async def test_the_same_database_twice_and_a_missing_source_are_refused(tmp_path, pg_url):
    with pytest.raises(TransferError, match="the same database"):
        await copy_database(DatabaseURL.parse(pg_url), DatabaseURL.parse(pg_url.replace("postgres@", "postgres:x@")))
    with pytest.raises(TransferError, match="there is no database at"):
        await copy_database(url_of(tmp_path / "none.db"), DatabaseURL.parse(pg_url))
    assert not (tmp_path / "none.db").exists()


def test_progress_is_a_bar_on_a_terminal_and_plain_lines_elsewhere():
    plain = io.StringIO()
    meter = Progress(30, plain, tty=False)
    meter.start("members", 30)
    meter.advance(10)
    meter.advance(20)
    meter.finish_table()
    assert plain.getvalue() == "copying members: 30 row(s)\n"

    bar = io.StringIO()
    meter = Progress(30, bar, tty=True)
    meter.start("members", 30)
    meter.advance(30)
    meter.finish_table()
    drawn = bar.getvalue()
    assert "\r[" in drawn and "100%" in drawn and "30/30 rows" in drawn and drawn.endswith("\n")


def run(cwd: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return linkwise(cwd, *args, timeout=120)  # a large copy may take a while


@pytest.mark.postgres
async def test_the_command_copies_reports_counts_and_never_shows_the_password(tmp_path, pg_url):
    await seed(tmp_path / "group.db")
    with_password = pg_url.replace("postgres@", "postgres:Sup3r-S3cret@")  # trust: any password is accepted
    result = run(tmp_path, "migrate", "--from", "sqlite:///group.db", "--to", with_password)
    assert result.returncode == 0, result.stderr
    assert "Sup3r-S3cret" not in result.stdout + result.stderr
    assert "postgres:***@" in result.stdout
    total = sum(len(rows) for rows in ROWS.values())
    assert f"copied {total} row(s) in {len(ROWS)} tables; every count matches the source" in result.stdout
    assert "copying schedule_slots: 3 row(s)" in result.stderr  # plain lines: stderr is not a terminal
    assert "\r" not in result.stderr

    again = run(tmp_path, "migrate", "--from", "group.db", "--to", with_password)
    assert again.returncode == 1
    assert "already holds data" in again.stderr and "Sup3r-S3cret" not in again.stdout + again.stderr
    assert "Traceback" not in again.stdout + again.stderr

    bad = run(tmp_path, "migrate", "--from", "mysql://u:pw@h/db", "--to", "x.db")
    assert bad.returncode == 2 and "postgresql://" in bad.stderr and ":pw@" not in bad.stderr
