"""The store on a real SQLite file: pragmas, migrations, version refusal, group commit, backup."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.store import (
    BUSY_TIMEOUT_MS,
    CHECKPOINT_EVERY,
    InstanceLock,
    Store,
    StoreError,
    StoreVersionError,
    backup_database,
    inspect_database,
    latest_version,
    load_migrations,
)

FOUNDATION_TABLES = {"meta", "members", "member_weeks", "tip_seen", "tip_tried"}


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "linkwise.db"


@pytest.fixture(params=[True, False], ids=["worker-thread", "public-api"])
async def store(path: Path, request: pytest.FixtureRequest):
    """Every store test runs on both batch drivers: one call on aiosqlite's worker thread, and
    the fallback that awaits each statement through aiosqlite's public API."""
    opened = await Store.open(path, on_worker_thread=request.param)
    assert opened.on_worker_thread is request.param  # the driver this run means to test
    # A scratch table for write tests: no unique key, so a write applied twice would show.
    await opened.write(("CREATE TABLE t (n INTEGER NOT NULL, label TEXT)", ()))
    try:
        yield opened
    finally:
        await opened.close()


def raw(path: Path) -> contextlib.closing[sqlite3.Connection]:
    """A second, independent connection: it sees only what was committed."""
    return contextlib.closing(sqlite3.connect(path))


def tables(path: Path) -> set[str]:
    with raw(path) as conn:
        return {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def user_version(path: Path) -> int:
    with raw(path) as conn:
        return conn.execute("PRAGMA user_version").fetchone()[0]


def numbers(path: Path) -> list[int]:
    with raw(path) as conn:
        return sorted(r[0] for r in conn.execute("SELECT n FROM t"))


def insert(n: int, label: str | None = None) -> tuple[str, tuple]:
    return ("INSERT INTO t (n, label) VALUES (?, ?)", (n, label))


# ---------------------------------------------------------------------- connection and schema
async def test_open_creates_the_file_and_its_folder(path):
    assert not path.parent.exists()
    store = await Store.open(path)
    await store.close()
    assert path.is_file()


async def test_connection_uses_wal_foreign_keys_and_busy_timeout(store, path):
    assert (await store.fetchval("PRAGMA journal_mode")).lower() == "wal"
    assert await store.fetchval("PRAGMA foreign_keys") == 1
    assert await store.fetchval("PRAGMA busy_timeout") == BUSY_TIMEOUT_MS > 0
    # WAL is a property of the file: another connection sees it too.
    with raw(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"


async def test_foreign_keys_are_enforced(store, path):
    await store.write(
        ("CREATE TABLE parent (id INTEGER PRIMARY KEY)", ()),
        ("CREATE TABLE child (id INTEGER PRIMARY KEY, parent_id INTEGER NOT NULL REFERENCES parent(id))", ()),
    )
    with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
        await store.write(("INSERT INTO child (id, parent_id) VALUES (1, 42)", ()))
    assert await store.fetchval("SELECT COUNT(*) FROM child") == 0


async def test_migrations_bring_a_new_database_to_the_latest_version(store, path):
    assert latest_version() == len(load_migrations()) >= 1
    assert await store.schema_version() == latest_version()
    assert user_version(path) == latest_version()
    assert FOUNDATION_TABLES <= tables(path)


async def test_migrations_are_numbered_from_one_without_gaps():
    migrations = load_migrations()
    assert [m.number for m in migrations] == list(range(1, len(migrations) + 1))
    for migration in migrations:
        assert migration.statements(), migration.name


async def test_reopening_is_idempotent_and_keeps_the_data(path):
    store = await Store.open(path)
    await store.write(("INSERT INTO meta (key, value) VALUES ('k', 'v')", ()))
    await store.close()
    with raw(path) as conn:
        schema_before = conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall()

    for _ in range(2):
        store = await Store.open(path)
        assert await store.schema_version() == latest_version()
        assert await store.fetchval("SELECT value FROM meta WHERE key = 'k'") == "v"
        await store.close()
    with raw(path) as conn:
        assert conn.execute("SELECT name, sql FROM sqlite_master ORDER BY name").fetchall() == schema_before


async def test_a_database_from_a_newer_linkwise_is_refused(path):
    store = await Store.open(path)
    await store.write(("INSERT INTO meta (key, value) VALUES ('k', 'v')", ()))
    await store.close()
    with raw(path) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.commit()

    with pytest.raises(StoreVersionError) as caught:
        await Store.open(path)
    message = str(caught.value)
    assert "newer" in message
    assert "999" in message
    assert f"up to {latest_version()}" in message
    assert str(path) in message
    assert isinstance(caught.value, StoreError)
    # Nothing was changed, and the refused connection was closed (the file is not locked).
    assert user_version(path) == 999
    with raw(path) as conn:
        conn.execute("BEGIN EXCLUSIVE")
        assert conn.execute("SELECT value FROM meta WHERE key = 'k'").fetchone() == ("v",)
        conn.rollback()


def write_migrations(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir()
    for name, sql in files.items():
        (directory / name).write_text(sql, encoding="utf-8")
    return directory


GOOD_0001 = """
-- 0001: one table
CREATE TABLE a (id INTEGER PRIMARY KEY, value TEXT NOT NULL);
CREATE INDEX a_value ON a (value);
"""
BROKEN_0002 = """
-- 0002: a table, a change to a's data, then a statement that fails
CREATE TABLE b (id INTEGER PRIMARY KEY);
UPDATE a SET value = 'changed by 0002';
INSERT INTO no_such_table VALUES (1);
"""


async def test_a_migration_failing_midway_leaves_the_previous_version_intact(tmp_path, path):
    first = write_migrations(tmp_path / "v1", {"0001_a.sql": GOOD_0001})
    second = write_migrations(tmp_path / "v2", {"0001_a.sql": GOOD_0001, "0002_b.sql": BROKEN_0002})

    store = await Store.open(path, migrate=False)
    try:
        await store._migrate(load_migrations(first))
        await store.write(("INSERT INTO a (id, value) VALUES (1, 'kept')", ()))
        assert await store.schema_version() == 1

        with pytest.raises(StoreError) as caught:
            await store._migrate(load_migrations(second))
        message = str(caught.value)
        assert "0002_b" in message
        assert "schema version 1" in message
        assert "no_such_table" in message

        # The same connection is still usable and sees version 1 exactly as it was.
        assert await store.schema_version() == 1
        assert await store.fetchval("SELECT value FROM a WHERE id = 1") == "kept"
        await store.write(("INSERT INTO a (id, value) VALUES (2, 'after')", ()))
    finally:
        await store.close()

    assert user_version(path) == 1
    assert tables(path) == {"a"}
    with raw(path) as conn:
        assert conn.execute("SELECT id, value FROM a ORDER BY id").fetchall() == [(1, "kept"), (2, "after")]
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


async def test_pending_migrations_are_applied_all_or_nothing(tmp_path, path):
    both = write_migrations(tmp_path / "v2", {"0001_a.sql": GOOD_0001, "0002_b.sql": BROKEN_0002})
    store = await Store.open(path, migrate=False)
    try:
        with pytest.raises(StoreError, match="schema version 0"):
            await store._migrate(load_migrations(both))
        assert await store.schema_version() == 0
    finally:
        await store.close()
    assert tables(path) == set()  # 0001 was rolled back with 0002: they share one transaction


def test_migration_numbers_with_a_gap_are_refused(tmp_path):
    gap = write_migrations(tmp_path / "gap", {"0001_a.sql": GOOD_0001, "0003_c.sql": "SELECT 1;"})
    with pytest.raises(StoreError, match="without gaps"):
        load_migrations(gap)


# ---------------------------------------------------------------------- writes
async def test_write_returns_row_counts_and_commits(store, path):
    assert await store.write(insert(1), insert(2), ("UPDATE t SET label = 'x'", ())) == [1, 1, 2]
    # Visible to an independent connection as soon as write() returns: it committed.
    assert numbers(path) == [1, 2]
    rows = await store.fetchall("SELECT n, label FROM t ORDER BY n")
    assert [tuple(r) for r in rows] == [(1, "x"), (2, "x")]


def main_file_numbers(path: Path, tmp: Path) -> list[int]:
    """What the database file itself holds, without its WAL: a copy of the file alone."""
    alone = tmp / "alone.db"
    alone.write_bytes(path.read_bytes())
    return numbers(alone)


async def test_the_wal_is_checkpointed_into_the_database_file_as_writes_go_on(store, path, tmp_path):
    writes = 2 * CHECKPOINT_EVERY
    for n in range(writes):  # one at a time: a write per commit, as members' clicks come
        await store.write(insert(n))
    store.join_checkpoint()

    # The writes committed before the first checkpoint began (the table, then 199 rows) are in
    # the file itself, not only in the WAL: the store checkpoints as it goes, on its own thread
    # (SQLite's own checkpoint, which would run inside a commit, is off on its connection).
    assert len(main_file_numbers(path, tmp_path)) >= CHECKPOINT_EVERY - 1
    assert numbers(path) == list(range(writes))  # and nothing is lost or doubled meanwhile
    with raw(path) as conn:
        assert conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 1000  # other connections: SQLite's default


async def test_closing_the_store_leaves_everything_in_the_database_file(path, tmp_path):
    store = await Store.open(path)
    await store.write(("CREATE TABLE t (n INTEGER NOT NULL, label TEXT)", ()))
    await asyncio.gather(*(store.write(insert(n)) for n in range(CHECKPOINT_EVERY + 7)))
    await store.close()

    assert main_file_numbers(path, tmp_path) == list(range(CHECKPOINT_EVERY + 7))


async def test_write_with_no_statements_does_nothing(store):
    assert await store.write() == []


async def test_a_write_is_atomic(store, path):
    await store.write(insert(1))
    with pytest.raises(sqlite3.IntegrityError):
        await store.write(insert(2), ("UPDATE t SET label = 'changed'", ()), insert(None))  # NOT NULL
    assert numbers(path) == [1]
    assert await store.fetchval("SELECT label FROM t WHERE n = 1") is None
    # And the store carries on.
    await store.write(insert(3))
    assert numbers(path) == [1, 3]


async def test_group_commit_lands_every_write_exactly_once_and_a_failure_fails_alone(store, path):
    failing = 137

    async def one(i: int) -> list[int]:
        if i == failing:
            # Its first statement succeeds, its second fails: neither may survive.
            return await store.write(insert(-1, "from the failing write"), insert(None))
        return await store.write(insert(i), ("UPDATE t SET label = ? WHERE n = ?", (f"w{i}", i)))

    results = await asyncio.gather(*(one(i) for i in range(200)), return_exceptions=True)

    errors = {i: r for i, r in enumerate(results) if isinstance(r, BaseException)}
    assert list(errors) == [failing]
    assert isinstance(errors[failing], sqlite3.IntegrityError)
    assert all(results[i] == [1, 1] for i in range(200) if i != failing)

    expected = [i for i in range(200) if i != failing]
    assert numbers(path) == expected  # each exactly once, the failing write's first row undone
    rows = await store.fetchall("SELECT n, label FROM t ORDER BY n")
    assert [(r[0], r[1]) for r in rows] == [(i, f"w{i}") for i in expected]


async def test_concurrent_failures_each_reach_only_their_own_caller(store, path):
    async def one(i: int):
        return await store.write(insert(None if i % 10 == 0 else i))

    results = await asyncio.gather(*(one(i) for i in range(50)), return_exceptions=True)
    failed = [i for i, r in enumerate(results) if isinstance(r, sqlite3.IntegrityError)]
    assert failed == list(range(0, 50, 10))
    assert numbers(path) == [i for i in range(50) if i % 10]


async def test_each_write_in_a_group_gets_its_own_returned_rows_and_last_id(store, path):
    """Writes sharing one transaction, one of them failing (so the batch is retried with a
    savepoint per write): every other caller still gets what its own statements returned."""
    await store.write(("CREATE TABLE r (id INTEGER PRIMARY KEY, n INTEGER NOT NULL)", ()))

    async def one(i: int):
        if i == 7:
            return await store.write(("INSERT INTO r (n) VALUES (?) RETURNING id, n", (None,)))
        return await store.write(
            ("INSERT INTO r (n) VALUES (?) RETURNING id, n", (i,)),
            ("INSERT INTO t (n, label) VALUES (?, 'plain')", (i,)),
        )

    results = await asyncio.gather(*(one(i) for i in range(20)), return_exceptions=True)
    assert isinstance(results[7], sqlite3.IntegrityError)
    ids = {n: i for i, n in await store.fetchall("SELECT id, n FROM r")}
    assert sorted(ids) == [i for i in range(20) if i != 7]
    for i, counts in enumerate(results):
        if i == 7:
            continue
        assert counts == [1, 1]
        assert [tuple(row) for row in counts.returned(0)] == [(ids[i], i)] and counts.returned(1) == []
        # last_id is the rowid of the last statement's insert: the row in t.
        assert counts.last_id == await store.fetchval("SELECT rowid FROM t WHERE n = ?", (i,))
    assert numbers(path) == [i for i in range(20) if i != 7]


def test_without_aiosqlite_private_method_the_adapter_offers_no_fast_path():
    from bot.store._aiosqlite_adapter import thread_runner

    class PublicOnly:  # a connection offering only aiosqlite's public API
        async def execute(self, sql: str, params: tuple = ()) -> None: ...

    assert thread_runner(PublicOnly()) is None  # type: ignore[arg-type]


async def test_writes_run_in_the_order_they_were_queued(store):
    await store.write(("CREATE TABLE kv (k TEXT PRIMARY KEY, v INTEGER NOT NULL)", ()))
    upsert = "INSERT INTO kv (k, v) VALUES ('x', ?) ON CONFLICT (k) DO UPDATE SET v = excluded.v"
    await asyncio.gather(*(store.write((upsert, (i,))) for i in range(100)))
    assert await store.fetchval("SELECT v FROM kv WHERE k = 'x'") == 99


async def test_insert_or_ignore_is_idempotent(store):
    tried = (
        "INSERT OR IGNORE INTO tip_tried (guild_id, user_id, tip_id, tried_at) VALUES (?, ?, ?, ?)",
        (1, 2, "profile-clear-photo", "2026-01-05T10:00:00+00:00"),
    )
    assert await store.write(tried) == [1]
    assert await store.write(tried) == [0]
    again = (tried[0], (1, 2, "profile-clear-photo", "2026-02-01T09:00:00+00:00"))
    counts = await asyncio.gather(*(store.write(again) for _ in range(20)))
    assert counts == [[0]] * 20
    rows = await store.fetchall("SELECT tried_at FROM tip_tried WHERE guild_id = 1 AND user_id = 2")
    assert [r[0] for r in rows] == ["2026-01-05T10:00:00+00:00"]  # the first record is kept


async def test_reads_see_committed_writes(store, path):
    for i in range(5):
        await store.write(insert(i))
        assert await store.fetchval("SELECT COUNT(*) FROM t") == i + 1
    row = await store.fetchone("SELECT n FROM t WHERE n = ?", (4,))
    assert row is not None and row["n"] == 4
    assert await store.fetchone("SELECT n FROM t WHERE n = ?", (99,)) is None
    assert await store.fetchval("SELECT n FROM t WHERE n = 99", default="none") == "none"
    # A write made by another connection (for example `linkwise forget`) is seen too.
    with raw(path) as conn:
        conn.execute("DELETE FROM t WHERE n = 0")
        conn.commit()
    assert await store.fetchval("SELECT COUNT(*) FROM t") == 4


async def test_reads_interleaved_with_writes_never_see_half_a_write(store):
    async def writer(i: int) -> None:
        await store.write(insert(i), insert(i))

    async def reader() -> list[int]:
        seen = []
        for _ in range(30):
            seen.append(await store.fetchval("SELECT COUNT(*) FROM t"))
            await asyncio.sleep(0)
        return seen

    *_, counts = await asyncio.gather(*(writer(i) for i in range(60)), reader())
    assert all(c % 2 == 0 for c in counts)
    assert await store.fetchval("SELECT COUNT(*) FROM t") == 120


async def test_a_cancelled_caller_leaves_the_store_usable_and_consistent(store, path):
    async def pair(i: int) -> None:
        await store.write(insert(i), insert(i))

    tasks = [asyncio.create_task(pair(i)) for i in range(60)]
    await asyncio.sleep(0)  # every task has queued its write
    for task in tasks[::3]:
        task.cancel()
    for _ in range(3):
        await asyncio.sleep(0)
    for task in tasks[1::3]:  # some cancelled later, while the writer is busy
        task.cancel()
    results = await asyncio.gather(*tasks, return_exceptions=True)
    cancelled = [r for r in results if isinstance(r, asyncio.CancelledError)]
    assert len(cancelled) == 40, "the test cancels two tasks in three"

    # Usable: a new write and a read work.
    await store.write(insert(1000))
    assert await store.fetchval("SELECT COUNT(*) FROM t WHERE n = 1000") == 1

    # Consistent: each write landed whole or not at all; writes that were not cancelled landed.
    with raw(path) as conn:
        counts = dict(conn.execute("SELECT n, COUNT(*) FROM t GROUP BY n").fetchall())
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    for i, result in enumerate(results):
        if isinstance(result, asyncio.CancelledError):
            assert counts.get(i, 0) in (0, 2)
        else:
            assert result is None
            assert counts[i] == 2


async def test_a_caller_cancelled_before_the_writer_runs_does_not_block_others(store):
    first = asyncio.create_task(store.write(insert(1)))
    await asyncio.sleep(0)
    first.cancel()
    second = await asyncio.wait_for(store.write(insert(2)), timeout=5)
    assert second == [1]
    with pytest.raises(asyncio.CancelledError):
        await first
    assert await store.fetchval("SELECT COUNT(*) FROM t WHERE n = 2") == 1


async def test_a_closed_store_refuses_writes(path):
    store = await Store.open(path)
    await store.close()
    await store.close()  # closing twice is harmless
    with pytest.raises(StoreError, match="closed"):
        await store.write(("INSERT INTO meta (key, value) VALUES ('k', 'v')", ()))


async def test_close_waits_for_queued_writes(path):
    store = await Store.open(path)
    writes = [
        asyncio.create_task(store.write((f"INSERT INTO meta VALUES ('k{i}', 'v')", ()))) for i in range(20)
    ]
    await asyncio.sleep(0)
    await store.close()
    await asyncio.gather(*writes)
    with raw(path) as conn:
        assert conn.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 20


# ---------------------------------------------------------------------- operator helpers
async def test_backup_copy_passes_integrity_check_and_holds_the_rows(store, path, tmp_path):
    await store.write(*(insert(i, f"row {i}") for i in range(25)))
    target = tmp_path / "backups" / "copy.db"

    assert backup_database(path, target) == "ok"  # taken while the store is open

    with raw(target) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert copy.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert copy.execute("SELECT COUNT(*), SUM(n) FROM t").fetchone() == (25, sum(range(25)))
        names = {r[0] for r in copy.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert FOUNDATION_TABLES | {"t"} <= names
    # The source carries on after the backup.
    await store.write(insert(99))
    assert numbers(path)[-1] == 99


async def test_inspect_database_reports_version_and_check(store, path):
    await store.close()
    assert inspect_database(path) == (latest_version(), "ok")


def test_instance_lock_is_exclusive_until_released(tmp_path):
    db = tmp_path / "linkwise.db"
    first, second = InstanceLock(db), InstanceLock(db)
    assert first.path == tmp_path / "linkwise.db.lock"

    assert first.acquire()
    try:
        assert not second.acquire()
        assert not second.acquire()  # asking again does not succeed by accident
    finally:
        first.release()

    assert second.acquire()
    try:
        assert not InstanceLock(db).acquire()
    finally:
        second.release()
    second.release()  # releasing twice is harmless


def test_instance_locks_on_different_databases_are_independent(tmp_path):
    a, b = InstanceLock(tmp_path / "a.db"), InstanceLock(tmp_path / "b.db")
    assert a.acquire()
    try:
        assert b.acquire()
        b.release()
    finally:
        a.release()


async def test_a_write_waits_for_another_process_holding_the_lock_and_the_bot_goes_on(store, path):
    """Another process (``linkwise forget``, say) holds the write lock: the write waits for it
    (up to the busy timeout) instead of failing, and meanwhile the bot keeps serving."""
    with raw(path) as other:
        other.isolation_level = None
        other.execute("BEGIN IMMEDIATE")
        other.execute("INSERT INTO t (n, label) VALUES (1, 'other process')")
        write = asyncio.ensure_future(store.write(("INSERT INTO t (n, label) VALUES (2, 'bot')", ())))
        ticks = 0
        for _ in range(10):  # the event loop is not held while the write waits
            await asyncio.sleep(0.01)
            ticks += 1
        assert ticks == 10 and not write.done()
        other.execute("COMMIT")
    assert list(await write) == [1]
    assert [tuple(r) for r in await store.fetchall("SELECT n, label FROM t ORDER BY n")] == [
        (1, "other process"),
        (2, "bot"),
    ]
