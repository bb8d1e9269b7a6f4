"""The PostgreSQL engine's own parts: placeholder conversion, type adaptation, migrations under
an advisory lock, the due-schedule plan, and the instance lock (session advisory locks)."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import textwrap
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import asyncpg
import psycopg
import pytest

from bot.clock import iso
from bot.store import StoreError, load_migrations
from bot.store import postgres as pg
from bot.store.postgres import ShardLock, convert, decode_instant, encode_instant
from cogs.schedules.queries import DUE_SQL, EARLIEST_SQL


# ---------------------------------------------------------------------- placeholders (no server)
@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ? , ?", "SELECT $1 , $2"),
        ("INSERT INTO t VALUES (?, 'a?b', ?)", "INSERT INTO t VALUES ($1, 'a?b', $2)"),
        ("SELECT 'it''s?', ?", "SELECT 'it''s?', $1"),
        ('SELECT "odd?name" FROM t WHERE x = ?', 'SELECT "odd?name" FROM t WHERE x = $1'),
        ("SELECT ? -- why?\n, ?", "SELECT $1 -- why?\n, $2"),
        ("SELECT /* a? /* nested? */ b? */ ?", "SELECT /* a? /* nested? */ b? */ $1"),
        ("SELECT $$dollar?$$, $q$x?y$q$, ?", "SELECT $$dollar?$$, $q$x?y$q$, $1"),
        ("SELECT E'back\\'slash?', ?", "SELECT E'back\\'slash?', $1"),
        ("SELECT 'no escapes\\', ?", "SELECT 'no escapes\\', $1"),
        ("SELECT 1", "SELECT 1"),
    ],
)
def test_question_marks_become_numbered_parameters_outside_text(sql, expected):
    assert convert(sql)[0] == expected


@pytest.mark.parametrize(
    ("sql", "expected"),
    [
        ("SELECT ? , ?", "SELECT %s , %s"),
        ("SELECT * FROM t WHERE label LIKE '50%' AND n = ?", "SELECT * FROM t WHERE label LIKE '50%%' AND n = %s"),
        ("UPDATE t SET n = n % 7 WHERE k = ?", "UPDATE t SET n = n %% 7 WHERE k = %s"),
        ("SELECT 'a?b%', \"odd%?\", ? -- 100%?\n", "SELECT 'a?b%%', \"odd%%?\", %s -- 100%%?\n"),
        ("SELECT $$%s?$$, ?", "SELECT $$%%s?$$, %s"),
    ],
)
def test_the_writers_style_marks_parameters_with_percent_s_and_doubles_every_other_percent(sql, expected):
    assert pg.convert_for_writer(sql)[0] == expected
    assert pg.convert_for_writer(sql)[1] is convert(sql)[1]


@pytest.mark.parametrize(
    ("sql", "returns"),
    [
        ("SELECT 1", True),
        ("  (SELECT 1) UNION (SELECT 2)", True),
        ("VALUES (1)", True),
        ("INSERT INTO t VALUES (?) RETURNING id", True),
        ("insert into t values (?) returning id", True),
        ("INSERT INTO t (label) VALUES ('RETURNING')", False),
        ("UPDATE t SET n = 1", False),
        ("DELETE FROM t -- RETURNING\n", False),
        ("WITH x AS (SELECT 1) DELETE FROM t", False),
    ],
)
def test_statements_that_return_rows_are_recognised(sql, returns):
    assert convert(sql)[1] is returns


# ---------------------------------------------------------------------- instants (no server)
def test_instants_decode_to_the_text_bot_clock_iso_writes():
    moment = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
    assert decode_instant("2026-03-08 07:00:00+00") == iso(moment) == "2026-03-08T07:00:00+00:00"
    assert decode_instant("2026-03-08 08:00:00+01") == iso(moment)  # whatever the session's zone
    assert decode_instant("2026-03-08 07:00:00.250000+00") == "2026-03-08T07:00:00.250000+00:00"
    assert decode_instant("infinity") == "infinity"


def test_instants_encode_from_text_or_datetime():
    moment = datetime(2026, 3, 8, 9, 0, tzinfo=UTC) + timedelta(hours=-2)
    assert encode_instant(iso(moment)) == "2026-03-08T07:00:00+00:00"
    assert encode_instant(moment) == "2026-03-08T07:00:00+00:00"


# ---------------------------------------------------------------------- migrations
GOOD_0001 = "CREATE TABLE a (id bigint PRIMARY KEY, value text NOT NULL);\nCREATE INDEX a_value ON a (value);\n"
BROKEN_0002 = (
    "CREATE TABLE b (id bigint PRIMARY KEY);\n"
    "UPDATE a SET value = 'changed by 0002';\n"
    "INSERT INTO no_such_table VALUES (1);\n"
)


def migrations_in(directory: Path, files: dict[str, str]) -> list:
    directory.mkdir()
    for name, sql in files.items():
        (directory / name).write_text(sql, encoding="utf-8")
    return load_migrations(directory)


async def tables_of(url: str) -> set[str]:
    conn = await asyncpg.connect(url)
    try:
        rows = await conn.fetch("SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")
        return {r[0] for r in rows}
    finally:
        await conn.close()


@pytest.mark.postgres
async def test_a_migration_failing_midway_leaves_the_previous_version_intact(pg_url, tmp_path):
    first = migrations_in(tmp_path / "v1", {"0001_a.sql": GOOD_0001})
    both = migrations_in(tmp_path / "v2", {"0001_a.sql": GOOD_0001, "0002_b.sql": BROKEN_0002})
    store = await pg.PostgresStore.open(pg_url, migrations=first)
    await store.write(("INSERT INTO a (id, value) VALUES (1, 'kept')", ()))
    await store.close()

    with pytest.raises(StoreError) as caught:
        await pg.PostgresStore.open(pg_url, migrations=both)
    message = str(caught.value)
    assert "0002_b" in message and "schema version 1" in message and "no_such_table" in message

    store = await pg.PostgresStore.open(pg_url, migrations=first)
    try:
        assert await store.schema_version() == 1
        assert await store.fetchval("SELECT value FROM a WHERE id = 1") == "kept"
    finally:
        await store.close()
    assert await tables_of(pg_url) == {"a", "linkwise_migrations"}


@pytest.mark.postgres
async def test_pending_migrations_are_applied_all_or_nothing(pg_url, tmp_path):
    both = migrations_in(tmp_path / "v2", {"0001_a.sql": GOOD_0001, "0002_b.sql": BROKEN_0002})
    with pytest.raises(StoreError, match="schema version 0"):
        await pg.PostgresStore.open(pg_url, migrations=both)
    assert await tables_of(pg_url) == set()  # 0001 went with 0002, and so did the version table


@pytest.mark.postgres
async def test_processes_migrating_at_once_migrate_once(pg_url):
    stores = await asyncio.gather(*(pg.PostgresStore.open(pg_url) for _ in range(4)))
    try:
        assert {await s.schema_version() for s in stores} == {pg.latest_version()}
        rows = await stores[0].fetchall("SELECT version FROM linkwise_migrations ORDER BY version")
        assert [r[0] for r in rows] == list(range(1, pg.latest_version() + 1))
    finally:
        for store in stores:
            await store.close()


@pytest.mark.postgres
async def test_an_unreachable_or_missing_database_is_a_clear_error_without_the_password(pg_url):
    missing = pg_url.rsplit("/", 1)[0].replace("postgres@", "postgres:s3cret-pw@") + "/lwt_does_not_exist"
    with pytest.raises(StoreError) as caught:
        await pg.PostgresStore.open(missing)
    assert "does not exist" in str(caught.value) and "LINKWISE_DATABASE_URL" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value) and "***" in str(caught.value)
    with pytest.raises(StoreError, match="no PostgreSQL server answered"):
        await pg.PostgresStore.open("postgresql://postgres:s3cret-pw@127.0.0.1:1/none")


# ---------------------------------------------------------------------- the dispatcher's queries
@pytest.mark.postgres
async def test_the_due_schedule_query_walks_the_partial_index(pg_url):
    """Its cost follows the schedules due, not the number of schedules: with thousands of
    schedules in the future or paused, the plan reads the partial index schedules_due."""
    store = await pg.PostgresStore.open(pg_url)
    try:
        now = datetime(2026, 3, 8, 7, 0, tzinfo=UTC)
        rows = [
            (
                900_000_000_000_000_000 + i % 50, 1, iso(now + timedelta(minutes=i)),
                "paused" if i % 3 == 0 else None, 7, iso(now),
            )
            for i in range(6000)
        ]
        sql = (
            "INSERT INTO schedules (guild_id, channel_id, kind, topic, local_time, days, timezone, next_run, "
            "paused_reason, created_by, created_at) VALUES (?, ?, 'tip', NULL, '09:00', 'mon', 'UTC', ?, ?, ?, ?)"
        )
        await store.write(*((sql, row) for row in rows))
        await store.write(("ANALYZE schedules", ()))
        for query, params in ((DUE_SQL, (iso(now + timedelta(minutes=5)), 100)), (EARLIEST_SQL, ())):
            plan = "\n".join(r[0] for r in await store.fetchall("EXPLAIN " + query, params))
            assert "schedules_due" in plan, plan
            assert "Seq Scan" not in plan, plan
        due = await store.fetchall(DUE_SQL, (iso(now + timedelta(minutes=5)), 100))
        assert [r["next_run"] for r in due] == [iso(now + timedelta(minutes=m)) for m in (1, 2, 4, 5)]
    finally:
        await store.close()


# ---------------------------------------------------------------------- instance lock
@pytest.mark.postgres
async def test_one_process_holds_every_shard_at_a_time(pg_url):
    first, second = ShardLock(pg_url), ShardLock(pg_url)
    assert await first.acquire()
    try:
        assert not await second.acquire()
        assert not await second.acquire([0])  # a process for one shard is refused too
        assert second.refused_shard is None
    finally:
        await first.release()
    assert await second.acquire()
    await second.release()
    await second.release()  # releasing twice is harmless


@pytest.mark.postgres
async def test_shards_are_held_one_process_each(pg_url):
    """Ready for sharding: processes for different shards share the database; the same shard
    twice is refused, naming it; every shard is refused while any shard is held."""
    a, b, c, everything = ShardLock(pg_url), ShardLock(pg_url), ShardLock(pg_url), ShardLock(pg_url)
    assert await a.acquire([0, 1])
    try:
        assert await b.acquire([2])
        assert not await c.acquire([2, 3])
        assert c.refused_shard == 2
        assert not await everything.acquire()
        await b.release()
        assert await c.acquire([2, 3])  # what was refused held nothing: shard 3 was not kept
        await c.release()
    finally:
        await a.release()
    assert await everything.acquire()
    await everything.release()


@pytest.mark.postgres
async def test_locks_on_different_databases_are_independent(pg_server, pg_url):
    other = pg_server.create("independent")
    try:
        a, b = ShardLock(pg_url), ShardLock(other)
        assert await a.acquire() and await b.acquire()
        await a.release()
        await b.release()
    finally:
        pg_server.drop(other)


HOLDER = textwrap.dedent(
    """
    import asyncio, sys
    from bot.store.postgres import ShardLock

    async def main():
        lock = ShardLock(sys.argv[1])
        assert await lock.acquire()
        print("held", flush=True)
        await asyncio.sleep(3600)

    asyncio.run(main())
    """
)


@pytest.mark.postgres
async def test_a_crashed_process_releases_its_lock_with_its_connection(pg_url):
    holder = await asyncio.create_subprocess_exec(sys.executable, "-c", HOLDER, pg_url, stdout=subprocess.PIPE)
    try:
        assert (await holder.stdout.readline()).strip() == b"held"
        lock = ShardLock(pg_url)
        assert not await lock.acquire()
        conn = await asyncpg.connect(pg_url)
        try:
            assert len(await pg.lock_holders(conn)) == 1
        finally:
            await conn.close()
    finally:
        holder.kill()  # SIGKILL: no cleanup of any kind
        await holder.wait()
    for _ in range(200):  # the server notices the closed connection at once; allow it a moment
        if await lock.acquire():
            break
        await asyncio.sleep(0.05)
    assert lock.held
    await lock.release()


@pytest.mark.postgres
async def test_losing_the_lock_connection_is_noticed(pg_url):
    lock = ShardLock(pg_url)
    assert await lock.acquire()
    lost = asyncio.Event()
    lock.watch(lost.set, interval=0.2)
    admin = await asyncpg.connect(pg_url)
    try:
        (holder,) = await pg.lock_holders(admin)
        await admin.execute("SELECT pg_terminate_backend($1)", holder)
    finally:
        await admin.close()
    await asyncio.wait_for(lost.wait(), timeout=30)
    await lock.release()
    again = ShardLock(pg_url)
    assert await again.acquire()  # the lock went with the connection
    await again.release()


@pytest.mark.postgres
async def test_nothing_logged_shows_the_password(pg_url, caplog):
    caplog.set_level("DEBUG")
    url = pg_url.replace("postgres@", "postgres:n0t-in-logs@")
    store = await pg.PostgresStore.open(url)
    try:
        await store.write(("INSERT INTO meta (key, value) VALUES (?, ?)", ("k", "v")))
        lock = ShardLock(url)
        assert await lock.acquire()
        await lock.release()
    finally:
        await store.close()
    with pytest.raises(StoreError):
        await pg.PostgresStore.open(url.rsplit("/", 1)[0] + "/lwt_missing")
    assert "migrated from schema 0" in caplog.text and "postgres:***@" in caplog.text
    assert "n0t-in-logs" not in caplog.text


# ---------------------------------------------------------------------- group commit
BATCH_0001 = (
    # tx: the (top-level) transaction that wrote the row, even from inside a savepoint
    "CREATE TABLE t (n integer PRIMARY KEY, label text NOT NULL, tx text NOT NULL DEFAULT pg_current_xact_id());\n"
    "CREATE TABLE counter (k text PRIMARY KEY, n integer NOT NULL);\n"
    "INSERT INTO counter (k, n) VALUES ('gate', 0);\n"
)
BUMP = ("UPDATE counter SET n = n + 1 WHERE k = 'gate'", ())


def put(n: Any, label: Any = "ok") -> tuple[str, tuple[Any, ...]]:
    return ("INSERT INTO t (n, label) VALUES (?, ?)", (n, label))


@pytest.fixture
async def batch_store(pg_url, tmp_path):
    store = await pg.PostgresStore.open(pg_url, migrations=migrations_in(tmp_path / "m", {"0001_t.sql": BATCH_0001}))
    try:
        yield store
    finally:
        await store.close()


async def hold_the_gate(url: str) -> asyncpg.Connection:
    """Another process's transaction, open, holding the gate row's lock (it added 100)."""
    conn = await asyncpg.connect(url)
    await conn.execute("BEGIN")
    await conn.execute("UPDATE counter SET n = n + 100 WHERE k = 'gate'")
    return conn


async def until_a_write_waits_for(holder: asyncpg.Connection) -> None:
    """Until some backend waits for a lock ``holder`` holds (the store's batch, blocked)."""
    pid = holder.get_server_pid()
    waiting = "SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE $1 = ANY(pg_blocking_pids(pid)))"
    while not await holder.fetchval(waiting, pid):  # noqa: ASYNC110 - the server's state: no event to wait on
        await asyncio.sleep(0.01)


def counting_batches(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Record the size of every transaction the store runs (each attempt of each batch)."""
    sizes: list[int] = []
    real = pg._batch

    async def batch(conn: psycopg.AsyncConnection, work: list, *, isolated: bool) -> list:
        sizes.append(len(work))
        return await real(conn, work, isolated=isolated)

    monkeypatch.setattr(pg, "_batch", batch)
    return sizes


async def transactions(store: pg.PostgresStore) -> dict[int, str]:
    """Row -> the transaction that wrote it."""
    return {r[0]: r[1] for r in await store.fetchall("SELECT n, tx FROM t")}


@pytest.mark.postgres
async def test_a_failing_write_in_a_batch_fails_alone_and_its_batch_mates_commit_together(batch_store, pg_url):
    holder = await hold_the_gate(pg_url)
    try:
        first = asyncio.create_task(batch_store.write(BUMP))  # a batch of its own, blocked at the gate
        await until_a_write_waits_for(holder)
        # Queued meanwhile, so committed together in the next batch: failures of every kind among them.
        writes = [
            batch_store.write(put(1), put(2)),
            batch_store.write(put(3), put(1)),  # 3 goes in, then 1 is a duplicate: neither may survive
            batch_store.write(put(4)),
            batch_store.write(put(5, None)),  # NOT NULL
            batch_store.write(put("six")),  # not an integer: refused before it reaches the server
            batch_store.write(put(6), put(7)),
        ]
        queued = asyncio.gather(*writes, return_exceptions=True)
        await asyncio.sleep(0.05)
        await holder.execute("ROLLBACK")
        assert await first == [1]
        results = await queued
    finally:
        await holder.close()
    assert results[0] == [1, 1] and results[2] == [1] and results[5] == [1, 1]
    assert isinstance(results[1], psycopg.errors.UniqueViolation)
    assert isinstance(results[3], psycopg.errors.NotNullViolation)
    assert isinstance(results[4], psycopg.DataError)
    written = await transactions(batch_store)
    assert sorted(written) == [1, 2, 4, 6, 7]
    assert len(set(written.values())) == 1, "the batch-mates commit in one transaction"
    assert await batch_store.fetchval("SELECT n FROM counter WHERE k = 'gate'") == 1


@pytest.mark.postgres
async def test_a_batch_losing_a_conflict_to_another_process_is_run_again_whole(batch_store, pg_url, monkeypatch):
    sizes = counting_batches(monkeypatch)
    holder = await hold_the_gate(pg_url)
    try:
        # All sent in one instant: one batch, each bumping the gate row the other process holds.
        writes = asyncio.gather(*(batch_store.write(put(i), BUMP) for i in range(20)))
        await until_a_write_waits_for(holder)
        await holder.execute("COMMIT")  # the batch read the row before this: it cannot serialize
        results = await writes
    finally:
        await holder.close()
    assert results == [[1, 1]] * 20
    assert sizes[:2] == [20, 20], "the whole batch lost the conflict and ran again, whole"
    assert await batch_store.fetchval("SELECT n FROM counter WHERE k = 'gate'") == 120  # no update lost
    written = await transactions(batch_store)
    assert sorted(written) == list(range(20)) and len(set(written.values())) == 1


@pytest.mark.postgres
async def test_a_batch_that_keeps_losing_conflicts_fails_every_caller_and_writes_nothing(
    batch_store, pg_url, monkeypatch
):
    monkeypatch.setattr(pg, "RETRIES", 1)
    holder = await hold_the_gate(pg_url)
    try:
        writes = asyncio.gather(*(batch_store.write(put(i), BUMP) for i in range(5)), return_exceptions=True)
        await until_a_write_waits_for(holder)
        await holder.execute("COMMIT")
        results = await writes
    finally:
        await holder.close()
    assert all(isinstance(r, psycopg.errors.SerializationFailure) for r in results), results
    assert await batch_store.count("t") == 0
    assert await batch_store.fetchval("SELECT n FROM counter WHERE k = 'gate'") == 100
    assert await batch_store.write(put(9), BUMP) == [1, 1]  # the store goes on writing


@pytest.mark.postgres
async def test_closing_the_store_commits_every_queued_write_then_refuses_more(batch_store, pg_url):
    holder = await hold_the_gate(pg_url)
    try:
        first = asyncio.create_task(batch_store.write(BUMP))
        await until_a_write_waits_for(holder)
        queued = [asyncio.create_task(batch_store.write(put(i))) for i in range(10)]
        await asyncio.sleep(0)
        closing = asyncio.create_task(batch_store.close())
        await asyncio.sleep(0.05)
        assert not closing.done(), "close waits for the writes queued"
        with pytest.raises(StoreError, match="closed"):
            await batch_store.write(put(99))
        await holder.execute("ROLLBACK")
        await closing
    finally:
        await holder.close()
    assert await first == [1]
    assert [await task for task in queued] == [[1]] * 10
    conn = await asyncpg.connect(pg_url)
    try:
        assert await conn.fetchval("SELECT COUNT(*) FROM t") == 10
    finally:
        await conn.close()


TYPED_0001 = (
    "CREATE TABLE typed (id integer GENERATED ALWAYS AS IDENTITY PRIMARY KEY, at timestamptz NOT NULL, "
    "total numeric NOT NULL, share numeric NOT NULL, doc jsonb NOT NULL, label text NOT NULL, ok boolean NOT NULL);\n"
)


@pytest.mark.postgres
async def test_what_a_write_returns_reads_as_what_a_read_returns(pg_url, tmp_path):
    store = await pg.PostgresStore.open(pg_url, migrations=migrations_in(tmp_path / "m", {"0001_t.sql": TYPED_0001}))
    try:
        counts = await store.write(
            (
                "INSERT INTO typed (at, total, share, doc, label, ok) VALUES (?, ?, ?, ?, ?, ?) "
                "RETURNING id, at, total, share, doc, label, ok",
                ("2026-03-08T07:00:00+00:00", 12, 0.25, '{"tips": [1, 2]}', "50% off\x00 today", True),
            ),
            ("UPDATE typed SET label = label || ' (100%)' WHERE label LIKE '50%'", ()),
        )
        written = counts.returned(0)[0]
        read = await store.fetchone("SELECT id, at, total, share, doc, label, ok FROM typed")
    finally:
        await store.close()
    assert list(counts) == [1, 1] and counts.returned(1) == []
    assert written["at"] == "2026-03-08T07:00:00+00:00" and written[1] == written["at"]
    assert written["total"] == 12 and isinstance(written["total"], int) and written["share"] == 0.25
    assert written["doc"] == '{"tips": [1, 2]}'  # JSON as its text, as a read gives it
    assert written["label"] == "50% off\ufffd today" and written["ok"] is True
    assert dict(written) == dict(read) | {"label": written["label"]}
    assert read["label"] == "50% off\ufffd today (100%)"  # a % in the SQL is a % in the data
    assert counts.last_id is None  # the last statement returned nothing


@pytest.mark.postgres
async def test_a_writer_connection_the_server_ended_while_idle_is_replaced_before_the_next_batch(batch_store, pg_url):
    """A server restart or an idle timeout ends the writer's session between batches: the next
    writes go to a new connection and commit, instead of failing on the one that is gone."""
    assert await batch_store.write(put(1)) == [1]
    old = batch_store._writes.info.backend_pid  # noqa: SLF001 - the store's own connection, to end it
    admin = await asyncpg.connect(pg_url)
    try:
        assert await admin.fetchval("SELECT pg_terminate_backend($1)", old)
        while await admin.fetchval("SELECT EXISTS (SELECT 1 FROM pg_stat_activity WHERE pid = $1)", old):  # noqa: ASYNC110
            await asyncio.sleep(0.01)
    finally:
        await admin.close()
    results = await asyncio.gather(batch_store.write(put(2)), batch_store.write(put(3), put(4)))
    assert results == [[1], [1, 1]]
    assert sorted(await transactions(batch_store)) == [1, 2, 3, 4]
    assert batch_store._writes.info.backend_pid != old  # noqa: SLF001


@pytest.mark.postgres
async def test_a_batch_that_outlasts_the_time_limit_fails_its_callers_and_writes_nothing(
    batch_store, pg_url, monkeypatch
):
    monkeypatch.setattr(pg, "COMMAND_TIMEOUT", 0.3)  # (the server's own limit stays at a minute)
    holder = await hold_the_gate(pg_url)
    try:
        writing = asyncio.gather(batch_store.write(put(1), BUMP), return_exceptions=True)
        results = await asyncio.wait_for(writing, timeout=10)  # (a store that waits for ever fails here)
    finally:
        await holder.execute("ROLLBACK")
        await holder.close()
    assert isinstance(results[0], TimeoutError)
    assert await batch_store.write(put(2), BUMP) == [1, 1]  # on a new connection
    assert sorted(await transactions(batch_store)) == [2]
    assert await batch_store.fetchval("SELECT n FROM counter WHERE k = 'gate'") == 1
