"""The store: the one SQLite connection, its transactions and its migrations.

Cogs never write SQL. They call the typed query modules beside this file (``tips``, ``members``,
...), which build *statements* and hand them to :class:`Store`. That keeps every SQL string in
``bot/store/`` and makes a second backend (PostgreSQL, later) an addition: another class with
the same four coroutines (``fetchall``, ``fetchone``, ``write``, ``close``) and its own
migrations folder; the query modules only use the ``?`` parameter style and portable SQL.

Writes go through a *group commit*: concurrent :meth:`Store.write` calls are queued, and one
writer task runs everything queued so far in a single transaction, each caller's statements
under their own savepoint. A caller resumes only after the transaction holding its statements
has committed; a failing write rolls back to its savepoint and fails alone; writes run in the
order they were queued.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import functools
import logging
import os
import sqlite3
import threading
from collections.abc import AsyncIterator, Generator, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import aiosqlite

from . import _aiosqlite_adapter, fresh
from .schema import foreign_key_order, marks, quote

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations")
BUSY_TIMEOUT_MS = 5000
# Writes committed between two checkpoints of the WAL into the database file (a progress write
# adds about five pages to the WAL: this is near SQLite's own default of 1,000 pages).
CHECKPOINT_EVERY = 200
# A batch of at most this many statements is committed on the event loop's own thread, through
# a second connection that never waits for a lock (see Store._start_batch); a larger one (the
# scheduler's claim) goes to aiosqlite's worker thread, so the loop is never held for long.
DIRECT_MAX_STATEMENTS = 100

Statement = tuple[str, Sequence[Any]]
Row = sqlite3.Row


class StoreError(Exception):
    """The database cannot be used; the message says why and what to do."""


class StoreVersionError(StoreError):
    """The database was written by a newer Linkwise than this one."""


@dataclass(frozen=True)
class Migration:
    number: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        """The file split into complete statements (``executescript`` would commit early)."""
        out: list[str] = []
        buffer = ""
        for line in self.sql.splitlines(keepends=True):
            if not buffer and (not line.strip() or line.lstrip().startswith("--")):
                continue
            buffer += line
            if sqlite3.complete_statement(buffer):
                out.append(buffer.strip())
                buffer = ""
        if buffer.strip():
            raise StoreError(f"migration {self.name}: the last statement has no closing ';'")
        return out


def load_migrations(directory: Path = MIGRATIONS_DIR) -> list[Migration]:
    """Numbered ``NNNN_name.sql`` files, in order; numbers must run 1, 2, 3, ... without gaps."""
    migrations = []
    for path in sorted(directory.glob("*.sql")):
        number = int(path.name.split("_", 1)[0])
        migrations.append(Migration(number, path.stem, path.read_text(encoding="utf-8")))
    numbers = [m.number for m in migrations]
    if numbers != list(range(1, len(numbers) + 1)):
        raise StoreError(f"migration numbers must run 1..N without gaps, found {numbers}")
    return migrations


def latest_version() -> int:
    return len(load_migrations())


def newer_version_message(
    path: str | os.PathLike[str], found: int, known: int, *, setting: str = "LINKWISE_DB_PATH"
) -> str:
    """The refusal of a database from a newer Linkwise; ``setting`` names what points at it
    (``LINKWISE_DATABASE_URL`` for PostgreSQL, whose ``path`` is its URL without password)."""
    return (
        f"The database {os.fspath(path)!s} has schema version {found}, but this Linkwise only knows "
        f"versions up to {known}: it was written by a newer Linkwise. Upgrade Linkwise "
        f"(python -m pip install -U linkwise) or point {setting} at another database."
    )


class Counts(list[int]):
    """What a write returns: each statement's row count, plus ``last_id``, the rowid of the row
    its last statement inserted (None when it inserted nothing), and ``rows``, what each
    statement returned (a ``RETURNING`` clause; empty for the others).

    ``RETURNING`` is how a write reads what it decided inside its own transaction: a statement
    like ``INSERT ... SELECT ... WHERE ... RETURNING id`` chooses and records in one step, so
    no other write can come between the choice and its record (see ``rotation.claim``)."""

    last_id: int | None = None
    rows: list[list[Row]]

    def returned(self, index: int) -> list[Row]:
        """The rows statement ``index`` returned."""
        return self.rows[index]


def _counts(results: list[tuple[int, int | None, list[Row]]]) -> Counts:
    counts = Counts([result[0] for result in results])
    counts.rows = [result[2] for result in results]
    if results and counts[-1] == 1:
        counts.last_id = results[-1][1]
    return counts


def _outcome(cursor: sqlite3.Cursor) -> tuple[int, int | None, list[Row]]:
    """A statement's (row count, new row id, rows returned). A statement that returns rows
    (``RETURNING``: the portable way to learn an inserted id, or what a write chose inside its
    own transaction) is read to its end, which is when SQLite counts its rows; its id is the
    first column of the last row returned."""
    return _outcome_of(cursor.description, cursor.fetchall() if cursor.description is not None else [], cursor)


@dataclass
class _Write:
    statements: tuple[Statement, ...]
    future: asyncio.Future[Counts] = field(repr=False)


class GroupCommit:
    """The write queue both engines share (group commit): each :meth:`write` is queued in call
    order and answered once the transaction holding it has committed; one writer task commits
    what is queued, batch by batch. An engine supplies :meth:`_drain` (how it takes a batch) and
    :meth:`_run_batch` (one transaction for a batch: each write's counts, or the error that undid
    that write alone)."""

    def __init__(self) -> None:
        self._pending: list[_Write] = []  # queued writes, in call order
        self._writer: asyncio.Task[None] | None = None  # commits them, batch by batch
        self._closed = False

    async def write(self, *statements: Statement) -> Counts:
        """Run ``statements`` as one atomic unit; return each statement's row count (and, in
        ``Counts.rows``, what each returned).

        Returns only after the transaction holding them has committed. Concurrent calls share
        one transaction (group commit) but an error in one call's statements undoes only those
        (in a savepoint of their own) and is raised only to that caller. Writes commit in the
        order they were called. The statements of one call run back to back, in order, with no
        other write between them, so a write whose later statements depend on what its earlier
        ones found (a ``WHERE`` on the rows as they are now, a ``RETURNING``) decides and records
        in one step. Cancelling the caller does not withdraw a queued write: it still commits
        (or fails) whole.
        """
        if self._closed:
            raise StoreError("the store is closed")
        if not statements:
            empty = Counts()
            empty.rows = []
            return empty
        future: asyncio.Future[Counts] = asyncio.get_running_loop().create_future()
        self._pending.append(_Write(tuple(statements), future))
        if self._writer is None or self._writer.done():
            self._writer = asyncio.create_task(self._drain(), name="linkwise-store-writer")
            self._writer.add_done_callback(self._writer_stopped)
        return await future

    def _writer_stopped(self, writer: asyncio.Task[None]) -> None:
        """A writer cancelled before it ever ran leaves its writes queued, unwritten: tell
        their callers so, rather than leave them waiting. (A writer that ran drains the queue.)"""
        if writer is not self._writer:  # a newer writer owns the queue now
            return
        left, self._pending = self._pending, []
        for item in left:
            if not item.future.done():
                item.future.set_exception(StoreError("Linkwise was stopping, so this change was not saved"))

    async def _writes_done(self) -> None:
        """Wait for the writer to commit (or fail) everything queued: closing does this first."""
        if self._writer is not None and not self._writer.done():
            await asyncio.wait([self._writer])

    async def _drain(self) -> None:
        """Commit everything queued, batch by batch, with :meth:`_commit`. Cancelled (at
        shutdown, say), the writer still finishes every write already queued and answers its
        caller, then stops: a queued write is never dropped, and no caller waits for an answer
        that will not come."""
        raise NotImplementedError

    async def _run_batch(self, work: list[tuple[Statement, ...]]) -> list[Counts | BaseException]:
        raise NotImplementedError

    def _start_batch(self, work: list[tuple[Statement, ...]]) -> asyncio.Future[list[Counts | BaseException]]:
        """:meth:`_run_batch` as a future already under way. An engine that can hand a batch
        to its database at once overrides this, so that the batch starts before the callers of
        the one before resume, not after them."""
        return asyncio.ensure_future(self._run_batch(work))

    def _wrote(self, writes: int) -> None:
        """Called after each batch with the number of its writes (for an engine's upkeep)."""

    async def _commit(self, batch: list[_Write]) -> bool:
        """Run one batch in one transaction, then resume callers; return whether this task was
        cancelled meanwhile."""
        try:
            job = self._start_batch([item.statements for item in batch])
        except Exception as error:  # noqa: BLE001 - it could not even be handed over: every caller hears it
            job = asyncio.get_running_loop().create_future()
            job.set_exception(error)
        cancelled = False
        while True:
            try:
                outcomes = await asyncio.shield(job)
                break
            except asyncio.CancelledError:
                if job.cancelled():
                    outcomes = [StoreError("the write was interrupted; nothing was written")] * len(batch)
                    break
                # The batch is already running (on its connection, or the connection's thread)
                # and cannot be stopped: wait for its outcome, however often we are cancelled
                # meanwhile (its COMMIT may already have been sent).
                cancelled = True
            except Exception as error:  # noqa: BLE001 - the whole transaction failed: every caller hears it
                outcomes = [error] * len(batch)
                break
        for item, outcome in zip(batch, outcomes, strict=True):
            if item.future.done():  # the caller was cancelled; its write still committed
                continue
            if isinstance(outcome, BaseException):
                item.future.set_exception(outcome)
            else:
                item.future.set_result(outcome)
        self._wrote(len(batch))
        return cancelled


def _connection(path: str) -> aiosqlite.Connection:
    """``aiosqlite.connect(path)``, unawaited, whose worker thread is a daemon.

    aiosqlite runs each connection on a thread of its own that ends only when the connection is
    closed, and that thread is not a daemon: a bot that was never closed (a crash before
    ``close``, a harness that never shuts it down) would keep its process alive for ever, and
    a supervisor would wait instead of restarting it. aiosqlite has no public option for this,
    but a thread inherits its daemon flag from the thread that creates it (``threading``'s
    documented rule), and aiosqlite creates the worker when the connection object is built. So
    the object is built on a short-lived daemon thread; it is awaited (connected) here as usual.

    This is safe for the data: the worker only dies with the interpreter, once the program has
    ended; a committed transaction is already in the WAL, and one in flight is rolled back by
    SQLite when the database is next opened. Closing the store still closes the connection
    cleanly, as before.
    """
    built: list[aiosqlite.Connection] = []
    builder = threading.Thread(
        target=lambda: built.append(aiosqlite.connect(path, isolation_level=None)),
        name="linkwise-store-open",
        daemon=True,
    )
    builder.start()
    builder.join()
    if not built:
        raise StoreError(f"could not open the database {path}")
    return built[0]


class Store(GroupCommit):
    """The one aiosqlite connection (WAL, ``busy_timeout``, foreign keys on)."""

    engine = "sqlite"

    def __init__(self, connection: aiosqlite.Connection, path: str, *, on_worker_thread: bool = True) -> None:
        """``on_worker_thread=False`` runs each batch through aiosqlite's public API, statement
        by statement, instead of as one call on its worker thread (see ``_aiosqlite_adapter``):
        the fallback, which the tests run too."""
        super().__init__()
        self._conn = connection
        self._on_thread = _aiosqlite_adapter.thread_runner(connection) if on_worker_thread else None
        self.path = path
        self._lock = asyncio.Lock()
        self._since_checkpoint = 0  # writes committed since the last checkpoint began
        self._checkpointer: threading.Thread | None = None
        self._direct: sqlite3.Connection | None = None  # see _start_batch

    @property
    def on_worker_thread(self) -> bool:
        """Whether each batch runs as one call on aiosqlite's worker thread (else: the public
        API, statement by statement)."""
        return self._on_thread is not None

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    async def open(cls, path: str | os.PathLike[str], *, migrate: bool = True, on_worker_thread: bool = True) -> Store:
        """Open (creating if needed) and migrate the database at ``path``. ``on_worker_thread``
        is :class:`Store`'s: whether batches run as one call on aiosqlite's thread."""
        path = os.fspath(path)
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        migrations = load_migrations() if migrate else None
        known = len(migrations) if migrations else 0
        template = fresh.template_path(MIGRATIONS_DIR, migrations) if migrations and path != ":memory:" else None
        copied = template is not None and fresh.create_from_template(path, template, known)
        conn = await _connection(path)  # its worker thread never keeps the process alive
        try:
            conn.row_factory = sqlite3.Row
            pragmas = _pragmas(BUSY_TIMEOUT_MS, file=path != ":memory:", wal=True)
            store = cls(conn, path, on_worker_thread=on_worker_thread)
            if store._on_thread is not None:  # one trip to the worker thread: pragmas and migrations
                prepare = functools.partial(
                    _prepare_on_thread, pragmas=pragmas, migrations=migrations, path=path, template=template
                )
                store._log_migrated(await store._on_thread(prepare), migrations)
            else:
                for pragma in pragmas:
                    await conn.execute_fetchall(pragma)
                if migrations is not None:
                    await store._migrate(migrations)
            if copied:
                log.info("database %s created at schema %d", path, known)
            if store._on_thread is not None and path != ":memory:":
                store._direct = _direct_connection(path)
        except BaseException:
            await conn.close()
            raise
        return store

    async def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        await self._writes_done()
        self.join_checkpoint()  # a checkpoint takes milliseconds; none starts once closed
        if self._direct is not None:
            self._direct.close()
        await self._conn.close()  # the last connection to close checkpoints what is left

    def join_checkpoint(self) -> None:
        """Wait for the checkpoint under way, if any (see :meth:`checkpoint`)."""
        if self._checkpointer is not None:
            self._checkpointer.join()

    def _wrote(self, writes: int) -> None:
        """Count committed writes; past :data:`CHECKPOINT_EVERY`, start a checkpoint."""
        self._since_checkpoint += writes
        if self._since_checkpoint >= CHECKPOINT_EVERY:
            self.checkpoint()

    def checkpoint(self) -> None:
        """Copy the WAL into the database file on a short-lived daemon thread with its own
        connection, unless one is already running (then it does the same).

        SQLite's automatic checkpoint runs inside the commit that fills the WAL past 1,000 pages,
        and it syncs the database file: that commit, and every write queued behind it, waited
        10-50 ms (benchmarks/, ``store_sustained_p99_ms``). A PASSIVE checkpoint on another
        connection never blocks a writer or a reader, and this store's writes go on meanwhile.
        A failed checkpoint changes nothing (the WAL keeps the data): it is logged and retried
        after the next :data:`CHECKPOINT_EVERY` writes."""
        if self._closed or self.path == ":memory:":
            return
        if self._checkpointer is not None and self._checkpointer.is_alive():
            return
        self._since_checkpoint = 0
        self._checkpointer = threading.Thread(
            target=_checkpoint, args=(self.path,), name="linkwise-store-checkpoint", daemon=True
        )
        self._checkpointer.start()

    def _log_migrated(self, current: int, migrations: list[Migration] | None) -> None:
        if migrations is not None and current < len(migrations):
            log.info("database %s migrated from schema %d to %d", self.path, current, len(migrations))

    async def _migrate(self, migrations: list[Migration]) -> None:
        if self._on_thread is not None:
            async with self._lock:
                prepare = functools.partial(_prepare_on_thread, pragmas=[], migrations=migrations, path=self.path)
                self._log_migrated(await self._on_thread(prepare), migrations)
            return
        current = await self.schema_version()
        known = len(migrations)
        if current > known:
            raise StoreVersionError(newer_version_message(self.path, current, known))
        pending = [m for m in migrations if m.number > current]
        if not pending:
            return
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                for migration in pending:
                    for statement in migration.statements():
                        try:
                            await self._conn.execute_fetchall(statement)
                        except sqlite3.Error as error:
                            raise StoreError(
                                f"migration {migration.name} failed ({error}); the database was left "
                                f"at schema version {current}, unchanged"
                            ) from error
                await self._conn.execute_fetchall(f"PRAGMA user_version = {known}")
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
        self._log_migrated(current, migrations)

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        return int(row[0]) if row else 0

    # ------------------------------------------------------------------ reads
    async def fetchall(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> list[Row]:
        """The rows of a query. ``small``: the caller knows it reads a few rows through an index
        (a server's settings, its own items): it is answered on the event loop's thread through
        the second connection, which in WAL mode reads the last commit without waiting for any
        writer, sparing the two thread wake-ups of a trip to aiosqlite's thread (60-70 us of
        CPU, more than the read). Should SQLite still answer busy (a connection recovering the
        WAL's index), the read takes that trip."""
        if small and self._direct is not None:
            try:
                return self._direct.execute(sql, params).fetchall()
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
        async with self._lock:
            return list(await self._conn.execute_fetchall(sql, params))

    async def fetchone(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> Row | None:
        rows = await self.fetchall(sql, params, small=small)
        return rows[0] if rows else None

    async def fetchval(self, sql: str, params: Sequence[Any] = (), default: Any = None, *, small: bool = False) -> Any:
        row = await self.fetchone(sql, params, small=small)
        return default if row is None else row[0]

    # ------------------------------------------------------------------ schema helpers
    # What code outside the engines asks of the schema, so that no ``sqlite_master`` or
    # ``PRAGMA`` is needed elsewhere; the PostgreSQL engine answers the same questions.
    @property
    def name(self) -> str:
        """How messages name the database: its file."""
        return self.path

    async def tables(self) -> list[str]:
        """The tables of Linkwise's schema, parents before the tables that refer to them."""
        names = [
            r[0]
            for r in await self.fetchall(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid"
            )
        ]
        edges = [
            (name, r["table"]) for name in names for r in await self.fetchall(f"PRAGMA foreign_key_list({quote(name)})")
        ]
        return foreign_key_order(names, edges)

    async def columns(self, table: str) -> list[str]:
        return [r["name"] for r in await self.fetchall(f"PRAGMA table_info({quote(table)})")]

    async def nullable(self, table: str) -> set[str]:
        """The columns of ``table`` that accept NULL."""
        return {r["name"] for r in await self.fetchall(f"PRAGMA table_info({quote(table)})") if not r["notnull"]}

    async def count(self, table: str) -> int:
        return int(await self.fetchval(f"SELECT COUNT(*) FROM {quote(table)}"))

    async def is_empty(self, table: str) -> bool:
        return not await self.fetchval(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")

    async def rows(self, table: str, columns: Sequence[str], batch: int) -> AsyncIterator[list[tuple[Any, ...]]]:
        """Every row of ``table`` (those columns), ``batch`` rows at a time, from one snapshot
        (a read transaction; writes wait until the last batch was read)."""
        sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"
        async with self._lock:
            await self._conn.execute("BEGIN")
            try:
                async with self._conn.execute(sql) as cursor:
                    while chunk := await cursor.fetchmany(batch):
                        yield [tuple(r) for r in chunk]
            finally:
                await self._conn.execute("COMMIT")

    async def id_counters(self) -> dict[str, int]:
        """Table -> the highest id ever given, for tables whose ids are never reused
        (``AUTOINCREMENT``)."""
        if not await self.fetchval("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'"):
            return {}
        return {r[0]: int(r[1]) for r in await self.fetchall("SELECT name, seq FROM sqlite_sequence")}

    async def load(
        self,
        batches: AsyncIterator[tuple[str, Sequence[str], list[tuple[Any, ...]]]],
        counters: Mapping[str, int],
    ) -> None:
        """Insert every batch in ONE transaction (a failure leaves the database as it was), then
        raise each ``AUTOINCREMENT`` counter to the highest id given (``counters``) so that an id
        removed before the copy is never given again."""
        async with self._lock:
            await self._conn.execute("BEGIN IMMEDIATE")
            try:
                async for table, columns, rows in batches:
                    names = ", ".join(quote(c) for c in columns)
                    values = marks(len(columns))
                    await self._conn.executemany(f"INSERT INTO {quote(table)} ({names}) VALUES ({values})", rows)
                for table, highest in counters.items():
                    if not await self._conn.execute_fetchall(
                        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ? AND sql LIKE '%AUTOINCREMENT%'",
                        (table,),
                    ):
                        continue  # its ids may be reused anyway: nothing to keep
                    cursor = await self._conn.execute(
                        "UPDATE sqlite_sequence SET seq = MAX(seq, ?) WHERE name = ?", (highest, table)
                    )
                    if cursor.rowcount == 0:
                        await self._conn.execute(
                            "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", (table, highest)
                        )
                await self._conn.execute("COMMIT")
            except BaseException:
                await self._conn.execute("ROLLBACK")
                raise
        self.checkpoint()  # a whole database was just written to the WAL

    # ------------------------------------------------------------------ writes (group commit: GroupCommit)
    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """Run one INSERT as its own write; return the new row's id (its ``RETURNING`` value, or
        its rowid without one), or None when it inserted nothing (an ``INSERT ... SELECT ...
        WHERE`` whose condition did not hold)."""
        counts = await self.write((sql, params))
        return counts.last_id if counts[0] == 1 else None

    async def _drain(self) -> None:
        """Commit everything queued, batch by batch.

        Cancelled (at shutdown, say), the writer still finishes every write already queued and
        answers its caller, then stops: a queued write is never dropped, and no caller waits for
        an answer that will not come. A batch is taken only once the lock is held, so cancelling
        the writer while it waits for a read cannot lose one.
        """
        cancelled = False
        while self._pending:
            try:
                async with self._lock:
                    batch, self._pending = self._pending, []
                    cancelled |= await self._commit(batch)
            except asyncio.CancelledError:
                cancelled = True  # while waiting for the lock: nothing was taken yet
        if cancelled:
            raise asyncio.CancelledError

    def _start_batch(self, work: list[tuple[Statement, ...]]) -> asyncio.Future[list[Counts | BaseException]]:
        """Commit a small batch here and now, on the event loop's thread; hand a large one (or
        one that finds the database locked) to the worker thread (see ``_aiosqlite_adapter``).

        Each trip to the worker thread is two wake-ups (the thread, then the loop), and on a
        busy or virtual machine a thread woken on an idle CPU can wait milliseconds: that set
        the tail of writes arriving one after another (benchmarks/, store_sustained_p99_ms).
        A batch of up to :data:`DIRECT_MAX_STATEMENTS` statements takes a fraction of a
        millisecond to commit in WAL mode (no fsync with ``synchronous = NORMAL``), so it runs
        on the loop through a second connection whose ``busy_timeout`` is 0: it never waits for
        a lock there. When another process holds the write lock, BEGIN fails at once, nothing
        was written, and the batch goes to the worker thread, whose connection waits as
        before. The other connection sees each commit as soon as it is made (WAL)."""
        if self._on_thread is None:
            return super()._start_batch(work)
        if self._direct is not None and sum(len(statements) for statements in work) <= DIRECT_MAX_STATEMENTS:
            try:
                outcomes = _drive_on_thread(self._direct, work=work)
            except sqlite3.OperationalError as error:
                if not _busy(error):
                    raise
            else:
                done: asyncio.Future[list[Counts | BaseException]] = asyncio.get_running_loop().create_future()
                done.set_result(outcomes)
                return done
        return self._on_thread(functools.partial(_drive_on_thread, work=work))

    async def _run_batch(self, work: list[tuple[Statement, ...]]) -> list[Counts | BaseException]:
        """Drive :func:`_batch_steps` by awaiting each statement through aiosqlite's public API:
        the fallback when the adapter offers no worker-thread runner (:meth:`_start_batch`
        otherwise runs the batch in one call). Same steps, same outcomes."""
        conn = self._conn
        steps = _batch_steps(work)
        try:
            step = next(steps)
            while True:
                if step is None:
                    if conn.in_transaction:
                        await conn.execute("ROLLBACK")
                    step = steps.send(_NOTHING)
                    continue
                try:
                    outcomes = []
                    for statement in step:
                        cursor = await conn.execute(*statement)
                        rows = list(await cursor.fetchall()) if cursor.description is not None else []
                        outcomes.append(_outcome_of(cursor.description, rows, cursor))
                except Exception as error:  # noqa: BLE001 - the batch decides what it undoes
                    step = steps.throw(error)
                else:
                    step = steps.send(outcomes)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        except BaseException:
            with contextlib.suppress(Exception):
                if conn.in_transaction:
                    await conn.execute("ROLLBACK")
            raise


Outcome = tuple[int, int | None, list[Row]]
_NOTHING: list[Outcome] = []
# What a batch asks its driver for: run these statements back to back (a whole write, or one
# control statement) and send back their outcomes, or (None) roll back the transaction if one is
# open. A statement that fails is thrown back into the batch; the ones after it are not run.
# One step per write, not per statement: a write of a thousand statements (the dispatcher's
# claim) crosses the generator once.
Step = tuple[Statement, ...] | None


def _outcome_of(description: Any, rows: list[Row], cursor: sqlite3.Cursor | aiosqlite.Cursor) -> Outcome:
    if description is not None:
        return len(rows), (rows[-1][0] if rows else None), rows
    return cursor.rowcount, cursor.lastrowid, []


def _busy(error: sqlite3.OperationalError) -> bool:
    """SQLite answered that another connection holds what it needs (nothing was done)."""
    return error.sqlite_errorcode & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)


def _pragmas(busy_timeout_ms: int, *, file: bool, wal: bool = False) -> list[str]:
    """What each of the store's connections sets on itself, in order; ``wal``: also put the
    file in WAL mode (the file keeps it: the first connection sets it, after its busy timeout)."""
    pragmas = [f"PRAGMA busy_timeout = {busy_timeout_ms}"]
    if wal:
        pragmas.append("PRAGMA journal_mode = WAL")
    pragmas += ["PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"]
    if file:
        # Checkpoints run on a thread of their own (see _checkpoint), not inside the commit
        # that happens to fill the WAL, where they held every write behind it.
        pragmas.append("PRAGMA wal_autocheckpoint = 0")
    return pragmas


def _direct_connection(path: str) -> sqlite3.Connection:
    """The store's second connection, for batches committed on the event loop's thread: the
    store's pragmas, but it never waits for a lock (``busy_timeout`` 0)."""
    conn = sqlite3.connect(path, isolation_level=None)
    conn.row_factory = sqlite3.Row
    try:
        _run_pragmas(conn, pragmas=_pragmas(0, file=True))
    except BaseException:
        conn.close()
        raise
    return conn


def _run_pragmas(conn: sqlite3.Connection, *, pragmas: list[str]) -> None:
    for pragma in pragmas:
        conn.execute(pragma).fetchall()


def _prepare_on_thread(
    conn: sqlite3.Connection,
    *,
    pragmas: list[str],
    migrations: list[Migration] | None,
    path: str,
    template: Path | None = None,
) -> int:
    """On the connection's own thread, in one call: set ``pragmas``, then (``migrations``
    given) refuse a database of a newer Linkwise and apply the pending migrations in one
    transaction; a database migrated from nothing is kept as the ``template`` of the next new
    ones (:mod:`bot.store.fresh`). Returns the schema version found."""
    _run_pragmas(conn, pragmas=pragmas)
    if migrations is None:
        return 0
    current = int(conn.execute("PRAGMA user_version").fetchone()[0])
    known = len(migrations)
    if current > known:
        raise StoreVersionError(newer_version_message(path, current, known))
    pending = [m for m in migrations if m.number > current]
    if pending:
        _migrate_on_thread(conn, pending=pending, current=current, known=known)
        if current == 0 and template is not None:
            fresh.save_template(conn, template)
    return current


def _migrate_on_thread(conn: sqlite3.Connection, *, pending: list[Migration], current: int, known: int) -> None:
    """Apply ``pending`` and set the schema version to ``known`` in one transaction, on the
    connection's own thread; on any failure nothing is kept (a :class:`StoreError` names it)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        for migration in pending:
            for statement in migration.statements():
                try:
                    conn.execute(statement)
                except sqlite3.Error as error:
                    raise StoreError(
                        f"migration {migration.name} failed ({error}); the database was left "
                        f"at schema version {current}, unchanged"
                    ) from error
        conn.execute(f"PRAGMA user_version = {known}")
        conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _drive_on_thread(conn: sqlite3.Connection, *, work: list[tuple[Statement, ...]]) -> list[Counts | BaseException]:
    """Drive :func:`_batch_steps` on ``conn``, in one call, on the thread that uses it (the
    event loop's for the second connection, aiosqlite's worker for the first)."""
    steps = _batch_steps(work)
    cursor = conn.cursor()  # one for the batch: a cursor per statement cost about a tenth more
    try:
        step = next(steps)
        while True:
            if step is None:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                step = steps.send(_NOTHING)
                continue
            try:
                outcomes = [_outcome(cursor.execute(sql, params)) for sql, params in step]
            except Exception as error:  # noqa: BLE001 - the batch decides what it undoes
                step = steps.throw(error)
            else:
                step = steps.send(outcomes)
    except StopIteration as done:
        return done.value  # type: ignore[no-any-return]
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def _batch_steps(
    work: list[tuple[Statement, ...]],
) -> Generator[Step, list[Outcome], list[Counts | BaseException]]:
    """The one batch runner, as the steps it asks a driver to take: one transaction for the
    whole batch. Returns each write's row counts, or the error that undid it.

    Optimistic: the batch first runs without savepoints (the common case, and the cheapest).
    If any statement fails, the whole transaction is rolled back and the batch runs again with
    a savepoint per write, so the failing write is undone alone and the others commit.
    """
    if len(work) > 1:
        try:
            return (yield from _transaction_steps(work, isolated=False))
        except Exception:  # noqa: BLE001 - rolled back; retried below write by write
            yield None
    return (yield from _transaction_steps(work, isolated=len(work) > 1))


_BEGIN: tuple[Statement, ...] = (("BEGIN IMMEDIATE", ()),)
_COMMIT: tuple[Statement, ...] = (("COMMIT", ()),)
_SAVEPOINT: tuple[Statement, ...] = (("SAVEPOINT linkwise_write", ()),)
_RELEASE: tuple[Statement, ...] = (("RELEASE linkwise_write", ()),)
_UNDO: tuple[Statement, ...] = (("ROLLBACK TO linkwise_write", ()), ("RELEASE linkwise_write", ()))


def _transaction_steps(
    work: list[tuple[Statement, ...]], *, isolated: bool
) -> Generator[Step, list[Outcome], list[Counts | BaseException]]:
    outcomes: list[Counts | BaseException] = []
    yield _BEGIN
    for statements in work:
        if isolated:
            yield _SAVEPOINT
        try:
            counts = _counts((yield statements))
        except Exception as error:  # noqa: BLE001 - handed to the caller who wrote it
            if not isolated:
                raise
            yield _UNDO
            outcomes.append(error)
            continue
        if isolated:
            yield _RELEASE
        outcomes.append(counts)
    yield _COMMIT
    return outcomes


def _checkpoint(path: str) -> None:
    """One PASSIVE checkpoint of the database at ``path``, on a connection of its own."""
    try:
        with contextlib.closing(sqlite3.connect(path, timeout=BUSY_TIMEOUT_MS / 1000)) as conn:
            conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()
    except sqlite3.Error:
        log.warning("checkpoint of %s failed; the WAL keeps the data until the next one", path, exc_info=True)


# ---------------------------------------------------------------------- operator helpers
def inspect_database(path: str | os.PathLike[str], *, check: bool = True) -> tuple[int, str]:
    """(schema version, ``PRAGMA quick_check`` result) of an existing database, read-only.
    With ``check=False`` only the version is read (instant, whatever the size): the result is ""."""
    uri = Path(path).resolve().as_uri() + "?mode=ro"
    with contextlib.closing(sqlite3.connect(uri, uri=True)) as conn:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        result = conn.execute("PRAGMA quick_check").fetchone()[0] if check else ""
    return int(version), str(result)


def backup_database(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> str:
    """Copy ``source`` to ``target`` with SQLite's online backup API; return the copy's
    ``PRAGMA integrity_check`` result (``"ok"`` when sound). Safe while the bot is running."""
    Path(target).parent.mkdir(parents=True, exist_ok=True)
    with contextlib.closing(sqlite3.connect(os.fspath(source), timeout=BUSY_TIMEOUT_MS / 1000)) as src:
        with contextlib.closing(sqlite3.connect(os.fspath(target))) as dst:
            src.backup(dst)
            return str(dst.execute("PRAGMA integrity_check").fetchone()[0])


class InstanceLock:
    """An exclusive lock beside the database so that two bots never share one database.

    The lock file sits beside the real file, symbolic links resolved, so that two names for
    one database (a link, ``./``, another working directory) take the same lock."""

    def __init__(self, db_path: str | os.PathLike[str]) -> None:
        self.path = Path(os.path.realpath(db_path) + ".lock")
        self._fd: int | None = None

    def acquire(self) -> bool:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
