"""The PostgreSQL engine: the same API as the SQLite :class:`bot.store.Store`, on asyncpg.

Queries are written once, in portable SQL with ``?`` placeholders. This engine converts them
to PostgreSQL's ``$1, $2, ...`` (never touching a ``?`` inside a string literal, a quoted name,
a comment or a dollar-quoted string) and asyncpg prepares and caches each statement per
connection. Types are adapted here so that the code above sees what it sees on SQLite:

* instants are ``timestamptz`` columns, but they go in and come out as the ISO 8601 UTC text of
  :func:`bot.clock.iso` (``2026-03-08T07:00:00+00:00``), through a text codec;
* ``numeric`` values (``SUM`` of integers gives one) come back as ``int`` when whole, else
  ``float``, as SQLite returns them;
* ``jsonb`` goes in and comes out as its JSON text (asyncpg's default), like a JSON ``TEXT``
  column on SQLite;
* text cannot hold the NUL character on PostgreSQL (SQLite keeps it): a NUL in text going in
  (a member typed one, or a SQLite database being moved here holds one) becomes U+FFFD, the
  replacement character, instead of failing the write;
* rows are asyncpg ``Record`` objects: ``row[0]``, ``row["name"]``, ``dict(row)`` and
  ``tuple(row)`` work as on ``sqlite3.Row``.

Writes: group commit, as on SQLite. Each :meth:`PostgresStore.write` call is queued in call
order; one writer task takes everything queued (up to ``BATCH_CAP`` writes) and runs it on the
writer's connection (psycopg, in pipeline mode: see ``_batch``) in ONE transaction at
SERIALIZABLE isolation, so a statement that checks
and changes in one go (a limit per server, a cooldown, the at-most-once claim of a schedule
slot) behaves exactly as under SQLite's single writer, even with several processes on one
database. The batch commits once and every caller gets its own row counts. Several statements
of one call are atomic, and an error fails only the call that wrote it: a batch first runs
without savepoints (the cheapest: the whole batch in one round trip), and if a write's statement fails
(a constraint, bad data) it is rolled back and run again with a savepoint per write, so the
failing write is undone alone, its caller gets the error and the others commit. A batch that
lost a serialization conflict or a deadlock (with another process's writes) was rolled back
whole by PostgreSQL and is run again whole, with a backoff, up to ``RETRIES`` attempts (its
statements are plain SQL with fixed parameters, so running them again is the same write);
after the last, every caller of the batch gets the error. Within one process the writes thus
commit in the order they were called, as SQLite's single writer commits them: two writes sent
at once by the same member (a selection, then a change of mind) end with the second, which
concurrent transactions would not promise (SERIALIZABLE may abort and retry the first after the
second committed). Reads run in parallel on asyncpg's pool; several processes' writes run
concurrently, kept correct by SERIALIZABLE. Closing the store commits (or fails) every write
already queued before it closes its connections. Errors of a write are psycopg's
(``psycopg.errors.UniqueViolation``, ...), those of a read asyncpg's.

Schema: numbered files in ``migrations_pg/`` (twins of the SQLite ones, table for table and
column for column), applied in one transaction under an advisory lock, the version kept in
the table ``linkwise_migrations``.
"""

from __future__ import annotations

import asyncio
import functools
import logging
import random
import re
import select
import time
import zlib
from collections.abc import AsyncIterator, Callable, Collection, Mapping, Sequence
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeAlias

import asyncpg
import psycopg
import psycopg.pq
from psycopg.abc import Buffer
from psycopg.types.string import StrDumperUnknown

from . import (
    Counts,
    GroupCommit,
    Migration,
    Statement,
    StoreError,
    StoreVersionError,
    load_migrations,
    newer_version_message,
)
from . import _counts as counts_of  # the engines' one way to build a write's Counts
from .schema import foreign_key_order, quote

log = logging.getLogger(__name__)

MIGRATIONS_DIR = Path(__file__).with_name("migrations_pg")
VERSION_TABLE = "linkwise_migrations"
SETTING = "LINKWISE_DATABASE_URL"

# Advisory locks are taken with two int4 keys: Linkwise's namespace and a key inside it.
LOCK_NAMESPACE = zlib.crc32(b"linkwise") - 2**31  # a fixed int4, the same in every process
ALL_SHARDS_KEY = -1  # held exclusively by a process running every shard, shared by one running some
MIGRATION_KEY = -2  # held (for one transaction) while migrating
STARTING_KEY = -3  # held for a moment by a process taking its shards
COUNT_KEY_BASE = -1000  # COUNT_KEY_BASE - N: held shared by every process running some of N shards
MAX_COUNT_KEYS = 100_000
WATCH_INTERVAL = 86400.0  # seconds between checks that the lock's connection is alive
# The server probes the lock's connection when it is idle, so a process whose machine vanished
# (no FIN, no RST) loses its shards within about two minutes and another process may take them.
LOCK_KEEPALIVES = {"tcp_keepalives_idle": "60", "tcp_keepalives_interval": "10", "tcp_keepalives_count": "6"}

BATCH_CAP = 500  # writes committed together in one transaction, at most
RETRIES = 30  # attempts of one batch that keeps losing serialization conflicts or deadlocks
RETRY_SQLSTATES = frozenset({"40001", "40P01"})  # serialization_failure, deadlock_detected
COMMAND_TIMEOUT = 60.0  # seconds: a statement running longer than this fails
POOL_MIN, POOL_MAX = 1, 10
STATEMENT_CACHE = 512  # prepared statements kept per connection (asyncpg's cache)
SERVER_SETTINGS = {"application_name": "linkwise", "TimeZone": "UTC", "DateStyle": "ISO"}

Row: TypeAlias = asyncpg.Record


# ---------------------------------------------------------------------- SQL conversion
def convert(sql: str) -> tuple[str, bool]:
    """``sql`` with ``?`` placeholders numbered ``$1..$n`` for PostgreSQL (asyncpg's style),
    and whether the statement returns rows (a query, or a change with ``RETURNING``).

    A ``?`` inside '...' or E'...' literals, "quoted names", -- and /* */ comments, or
    $tag$...$tag$ strings is text, not a placeholder. (PostgreSQL's jsonb operators ``?``,
    ``?|`` and ``?&`` cannot be written with this style: use ``jsonb_exists`` and friends.)
    """
    return _translate(sql, numbered=True)


def convert_for_writer(sql: str) -> tuple[str, bool]:
    """:func:`convert` in psycopg's style, for the writer's connection: each ``?`` placeholder
    becomes ``%s`` and every other ``%`` (in a ``LIKE`` pattern, a literal, a comment: psycopg
    reads the whole text) is doubled, ``%%``, which psycopg sends as one ``%``."""
    return _translate(sql, numbered=False)


@functools.lru_cache(maxsize=4096)
def _translate(sql: str, *, numbered: bool) -> tuple[str, bool]:
    out: list[str] = []
    code: list[str] = []  # the SQL without literals and comments, to find keywords in
    n = 0
    i = 0
    length = len(sql)

    def text(piece: str) -> str:
        return piece if numbered else piece.replace("%", "%%")

    while i < length:
        char = sql[i]
        if char == "?":
            n += 1
            out.append(f"${n}" if numbered else "%s")
            code.append(" ")
            i += 1
        elif char == "'":
            escapes = i > 0 and sql[i - 1] in "eE" and (i < 2 or not (sql[i - 2].isalnum() or sql[i - 2] == "_"))
            end = _end_of_quoted(sql, i, "'", backslash=escapes)
            out.append(text(sql[i:end]))
            code.append(" ")
            i = end
        elif char == '"':
            end = _end_of_quoted(sql, i, '"', backslash=False)
            out.append(text(sql[i:end]))
            code.append(" ")
            i = end
        elif sql.startswith("--", i):
            end = sql.find("\n", i)
            end = length if end < 0 else end
            out.append(text(sql[i:end]))
            i = end
        elif sql.startswith("/*", i):
            end = _end_of_block_comment(sql, i)
            out.append(text(sql[i:end]))
            code.append(" ")
            i = end
        elif char == "$" and (tag := _DOLLAR_TAG.match(sql, i)) is not None and not _in_word(sql, i):
            close = sql.find(tag.group(0), tag.end())
            end = length if close < 0 else close + len(tag.group(0))
            out.append(text(sql[i:end]))
            code.append(" ")
            i = end
        else:
            out.append(text(char))
            code.append(char)
            i += 1
    bare = "".join(code)
    return "".join(out), bool(_RETURNS_ROWS.search(bare) or _QUERY.match(bare))


_DOLLAR_TAG = re.compile(r"\$(?:[A-Za-z_][A-Za-z0-9_]*)?\$")
_RETURNS_ROWS = re.compile(r"\bRETURNING\b", re.IGNORECASE)
_QUERY = re.compile(r"\s*\(*\s*(SELECT|VALUES|TABLE|SHOW|EXPLAIN)\b", re.IGNORECASE)
_INSERT = re.compile(r"\s*INSERT\b", re.IGNORECASE)


def _in_word(sql: str, i: int) -> bool:
    """Whether the ``$`` at ``i`` continues an identifier (``a$b``) or a parameter (``$1``)."""
    return i > 0 and (sql[i - 1].isalnum() or sql[i - 1] in "_$")


def _end_of_quoted(sql: str, start: int, quote: str, *, backslash: bool) -> int:
    i = start + 1
    while i < len(sql):
        char = sql[i]
        if backslash and char == "\\":
            i += 2
            continue
        if char == quote:
            if i + 1 < len(sql) and sql[i + 1] == quote:  # a doubled quote is a quote
                i += 2
                continue
            return i + 1
        i += 1
    return len(sql)


def _end_of_block_comment(sql: str, start: int) -> int:
    depth, i = 0, start
    while i < len(sql):
        if sql.startswith("/*", i):
            depth += 1
            i += 2
        elif sql.startswith("*/", i):
            depth -= 1
            i += 2
            if depth == 0:
                return i
        else:
            i += 1
    return len(sql)


# ---------------------------------------------------------------------- type adaptation
def encode_instant(value: Any) -> str:
    """What the code passes for an instant (the ISO text of ``bot.clock.iso``, or a datetime)
    as PostgreSQL's input text."""
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat() if value.tzinfo is not None else value.isoformat()
    return str(value)


def decode_instant(text: str) -> str:
    """PostgreSQL's ``timestamptz`` output (``2026-03-08 07:00:00+00``) as the code stores it:
    ``2026-03-08T07:00:00+00:00`` (microseconds only when there are any)."""
    try:
        return datetime.fromisoformat(text).astimezone(UTC).isoformat()
    except ValueError:  # 'infinity' and '-infinity'
        return text


NUL_STANDIN = "\ufffd"  # what a NUL in text becomes: PostgreSQL's text cannot hold U+0000


def encode_text(value: Any) -> str:
    """Text going in, with any NUL (which PostgreSQL refuses) replaced by U+FFFD."""
    text = value if isinstance(value, str) else str(value)
    return text.replace("\x00", NUL_STANDIN) if "\x00" in text else text


def decode_text(text: str) -> str:
    return text


def encode_number(value: Any) -> str:
    return str(value)


def decode_number(text: str) -> int | float:
    number = Decimal(text)
    if number.is_finite() and number == number.to_integral_value():
        return int(number)
    return float(number)


async def _prepare_connection(conn: asyncpg.Connection) -> None:
    await conn.set_type_codec(
        "timestamptz", schema="pg_catalog", encoder=encode_instant, decoder=decode_instant, format="text"
    )
    await conn.set_type_codec(
        "numeric", schema="pg_catalog", encoder=encode_number, decoder=decode_number, format="text"
    )
    for name in ("text", "varchar"):
        await conn.set_type_codec(name, schema="pg_catalog", encoder=encode_text, decoder=decode_text, format="text")


def connect_kwargs() -> dict[str, Any]:
    return {"server_settings": dict(SERVER_SETTINGS), "command_timeout": COMMAND_TIMEOUT}


async def connect(dsn: str, display: str, *, settings: Mapping[str, str] | None = None) -> asyncpg.Connection:
    """One connection (not from a pool) with Linkwise's settings (and ``settings``) and codecs."""
    kwargs = connect_kwargs()
    kwargs["server_settings"].update(settings or {})
    try:
        conn = await asyncpg.connect(dsn, **kwargs)
    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
        raise StoreError(unreachable_message(display, error)) from None
    await _prepare_connection(conn)
    return conn


def unreachable_message(display: str, error: BaseException) -> str:
    if isinstance(error, asyncpg.InvalidPasswordError):
        why = "the server refused the user name or password"
    elif isinstance(error, asyncpg.InvalidCatalogNameError):
        why = "that database does not exist (create it first: see the README's PostgreSQL section)"
    elif isinstance(error, asyncpg.InvalidAuthorizationSpecificationError):
        why = f"the server refused the connection ({error})"
    elif isinstance(error, OSError | asyncio.TimeoutError):
        why = f"no PostgreSQL server answered ({type(error).__name__}: {error})"
    else:
        why = f"{type(error).__name__}: {error}"
    return f"cannot connect to the database {display}: {why}. Check {SETTING}."


def latest_version() -> int:
    return len(load_migrations(MIGRATIONS_DIR))


# ---------------------------------------------------------------------- the engine
class PostgresStore(GroupCommit):
    """A pool of asyncpg connections to one PostgreSQL database."""

    engine = "postgresql"

    def __init__(self, pool: asyncpg.Pool, display: str, dsn: str) -> None:
        super().__init__()
        self._pool = pool
        self._dsn = dsn
        self._writes: psycopg.AsyncConnection[Any] | None = None  # the writer's (see _batch)
        self.name = display  # the URL with its password hidden: safe to print and log

    @property
    def path(self) -> str:
        """What messages name the database by (the SQLite store's is its file)."""
        return self.name

    # ------------------------------------------------------------------ lifecycle
    @classmethod
    async def open(
        cls,
        dsn: str,
        *,
        display: str | None = None,
        migrate: bool = True,
        migrations: Sequence[Migration] | None = None,
        min_size: int = POOL_MIN,
        max_size: int = POOL_MAX,
    ) -> PostgresStore:
        """Connect to the database at ``dsn`` (``postgresql://user:password@host:port/name``)
        and migrate it. ``display`` is how messages name it (never with its password)."""
        if display is None:
            from .database import redact

            display = redact(dsn)
        try:
            pool = await asyncpg.create_pool(
                dsn,
                min_size=min_size,
                max_size=max_size,
                init=_prepare_connection,
                statement_cache_size=STATEMENT_CACHE,
                **connect_kwargs(),
            )
        except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError) as error:
            raise StoreError(unreachable_message(display, error)) from None
        store = cls(pool, display, dsn)
        try:
            if migrate:
                await store._migrate(list(migrations) if migrations is not None else load_migrations(MIGRATIONS_DIR))
            store._writes = await connect_writer(dsn, display)
        except BaseException:
            await pool.close()
            raise
        return store

    async def close(self) -> None:
        """Wait for the writes under way (each commits or fails whole), then close the pool."""
        if self._closed:
            return
        self._closed = True
        await self._writes_done()
        if self._writes is not None:
            await self._writes.close()
        try:
            await asyncio.wait_for(self._pool.close(), timeout=COMMAND_TIMEOUT)
        except TimeoutError:
            self._pool.terminate()

    async def _migrate(self, migrations: list[Migration]) -> None:
        known = len(migrations)
        async with self._pool.acquire() as conn:
            async with conn.transaction():
                # Two processes starting at once: the second waits here, then finds nothing to do.
                await conn.execute("SELECT pg_advisory_xact_lock($1, $2)", LOCK_NAMESPACE, MIGRATION_KEY)
                await conn.execute(
                    f"CREATE TABLE IF NOT EXISTS {VERSION_TABLE} ("
                    "version integer PRIMARY KEY, name text NOT NULL, "
                    "applied_at timestamptz NOT NULL DEFAULT now())"
                )
                current = int(await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}"))
                if current > known:
                    raise StoreVersionError(newer_version_message(self.name, current, known, setting=SETTING))
                pending = [m for m in migrations if m.number > current]
                for migration in pending:
                    try:
                        await conn.execute(migration.sql)
                    except asyncpg.PostgresError as error:
                        raise StoreError(
                            f"migration {migration.name} failed ({error}); the database was left "
                            f"at schema version {current}, unchanged"
                        ) from error
                    await conn.execute(
                        f"INSERT INTO {VERSION_TABLE} (version, name) VALUES ($1, $2)", migration.number, migration.name
                    )
        if pending:
            log.info("database %s migrated from schema %d to %d", self.name, current, known)

    async def schema_version(self) -> int:
        async with self._pool.acquire() as conn:
            return await schema_version(conn)

    # ------------------------------------------------------------------ reads
    # ``small`` (a few rows through an index) is SQLite's hint for where to read; every read
    # here is one round trip on a pooled connection.
    async def fetchall(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> list[Row]:
        query, _ = convert(sql)
        return list(await self._pool.fetch(query, *params))

    async def fetchone(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> Row | None:
        query, _ = convert(sql)
        row: Row | None = await self._pool.fetchrow(query, *params)
        return row

    async def fetchval(self, sql: str, params: Sequence[Any] = (), default: Any = None, *, small: bool = False) -> Any:
        row = await self.fetchone(sql, params)
        return default if row is None else row[0]

    # ------------------------------------------------------------------ writes
    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int | None:
        """Run one INSERT as its own write; return the new row's ``id``, or None when it
        inserted nothing. Without a ``RETURNING`` clause, ``RETURNING id`` is added."""
        _, returns = convert(sql)
        if not returns and _INSERT.match(sql):
            sql = sql.rstrip().rstrip(";") + " RETURNING id"
        counts = await self.write((sql, params))
        return counts.last_id if counts[0] == 1 else None

    async def _drain(self) -> None:
        """Commit everything queued, batch by batch (at most ``BATCH_CAP`` writes each), in
        call order.

        Cancelled (at shutdown, say), the writer still finishes every write already queued and
        answers its caller, then stops: a queued write is never dropped, and no caller waits
        for an answer that will not come.
        """
        cancelled = False
        while self._pending:
            batch, self._pending = self._pending[:BATCH_CAP], self._pending[BATCH_CAP:]
            cancelled |= await self._commit(batch)
        if cancelled:
            raise asyncio.CancelledError

    async def _run_batch(self, work: list[tuple[Statement, ...]]) -> list[Counts | BaseException]:
        """One SERIALIZABLE transaction for the whole batch, run again whole when it loses a
        serialization conflict or a deadlock (up to ``RETRIES`` attempts).

        Optimistic, as on SQLite: a batch of several writes first runs without savepoints (the
        common case, and the cheapest: no extra round trips). If a write's statement fails
        for any other reason, the transaction is rolled back and the batch runs again with a
        savepoint per write, so the failing write is undone alone and the others commit.
        """
        isolated = False  # (a lone write never needs a savepoint: its error is its own)
        attempt = 0
        while True:
            attempt += 1
            try:
                conn = await self._writer_connection()
                async with asyncio.timeout(COMMAND_TIMEOUT):  # as asyncpg's command_timeout for reads
                    return await _batch(conn, work, isolated=isolated)
            except _WriteFailed:
                isolated = True  # rolled back; run again, write by write
                attempt -= 1  # not a conflict: does not count against the cap
            except psycopg.Error as error:
                if error.sqlstate not in RETRY_SQLSTATES or attempt >= RETRIES:
                    raise
                # Lost a conflict with a concurrent write: PostgreSQL rolled the batch back whole.
                await asyncio.sleep(random.uniform(0, min(0.2, 0.005 * 2**attempt)))

    async def _writer_connection(self) -> psycopg.AsyncConnection[Any]:
        """The writer's connection, replaced by a new one when it was closed or the server ended
        it while idle (a restart, an idle timeout): the batch then goes to the new one, rather
        than fail on a connection that was gone before it was sent."""
        conn = self._writes
        if conn is not None and not (conn.closed or conn.broken) and _has_spoken(conn):
            try:  # something arrived while idle: a farewell, or only a notice?
                await conn.execute("SELECT 1")
            except (psycopg.Error, OSError):
                await conn.close()
        if conn is None or conn.closed or conn.broken:
            conn = self._writes = await connect_writer(self._dsn, self.name)
        return conn

    # ------------------------------------------------------------------ schema helpers
    async def tables(self) -> list[str]:
        """The tables of Linkwise's schema, parents before the tables that refer to them."""
        async with self._pool.acquire() as conn:
            names = [r[0] for r in await conn.fetch(_TABLES_SQL, VERSION_TABLE)]
            edges = await conn.fetch(_FOREIGN_KEYS_SQL)
        return foreign_key_order(names, [(r[0], r[1]) for r in edges])

    async def columns(self, table: str) -> list[str]:
        rows = await self._pool.fetch(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
            table,
        )
        return [r[0] for r in rows]

    async def nullable(self, table: str) -> set[str]:
        """The columns of ``table`` that accept NULL."""
        rows = await self._pool.fetch(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = $1 AND is_nullable = 'YES'",
            table,
        )
        return {r[0] for r in rows}

    async def count(self, table: str) -> int:
        return int(await self._pool.fetchval(f"SELECT COUNT(*) FROM {quote(table)}"))

    async def is_empty(self, table: str) -> bool:
        return not await self._pool.fetchval(f"SELECT EXISTS (SELECT 1 FROM {quote(table)})")

    async def rows(self, table: str, columns: Sequence[str], batch: int) -> AsyncIterator[list[tuple[Any, ...]]]:
        """Every row of ``table`` (those columns), ``batch`` rows at a time, from one snapshot."""
        sql = f"SELECT {', '.join(quote(c) for c in columns)} FROM {quote(table)}"
        async with self._pool.acquire() as conn:
            async with conn.transaction(isolation="repeatable_read", readonly=True):
                cursor = await conn.cursor(sql)
                while chunk := await cursor.fetch(batch):
                    yield [tuple(r) for r in chunk]

    async def id_counters(self) -> dict[str, int]:
        """Table -> the highest id its identity column ever gave (ids are never reused)."""
        out: dict[str, int] = {}
        async with self._pool.acquire() as conn:
            for table, column in await conn.fetch(_IDENTITY_SQL):
                sequence = await conn.fetchval("SELECT pg_get_serial_sequence($1, $2)", quote(table), column)
                given = await conn.fetchrow(f"SELECT last_value, is_called FROM {sequence}")
                highest = await conn.fetchval(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
                out[table] = max(int(given[0]) if given[1] else 0, int(highest or 0))
        return out

    async def load(
        self,
        batches: AsyncIterator[tuple[str, Sequence[str], list[tuple[Any, ...]]]],
        counters: Mapping[str, int],
    ) -> None:
        """Insert every batch in ONE transaction (a failure leaves the database as it was), then
        move each identity sequence past the highest id given (``counters``, or the table's own)."""
        async with self._pool.acquire() as conn:
            async with conn.transaction():
                async for table, columns, rows in batches:
                    marks = ", ".join(f"${i}" for i in range(1, len(columns) + 1))
                    names = ", ".join(quote(c) for c in columns)
                    await conn.executemany(
                        f"INSERT INTO {quote(table)} ({names}) OVERRIDING SYSTEM VALUE VALUES ({marks})", rows
                    )
                for table, column in await conn.fetch(_IDENTITY_SQL):
                    highest = await conn.fetchval(f"SELECT MAX({quote(column)}) FROM {quote(table)}")
                    top = max(int(highest or 0), int(counters.get(table, 0)))
                    # The next id given is top + 1 (or 1 in a table that never had a row).
                    await conn.execute(
                        "SELECT setval(pg_get_serial_sequence($1, $2), $3, $4)",
                        quote(table), column, max(top, 1), top > 0,
                    )


# ---------------------------------------------------------------------- the writer's connection
# The writes go through psycopg (3), not asyncpg: psycopg's pipeline mode (public and documented;
# asyncpg has none) sends a whole batch, BEGIN to COMMIT, and reads every answer after, so a
# batch of 500 writes of three statements costs one round trip to the server instead of 1,502.
# Reads, locks and copies stay on asyncpg's pool. The connection never prepares statements
# (``prepare_threshold=None``): a statement that psycopg marks prepared in a segment the server
# then skips (after an error earlier in the pipeline) would be missing on the server later; the
# server parses each statement instead, which costs far less than the round trip saved.
class WrittenRow(tuple[Any, ...]):
    """A row a write returned (``RETURNING``): by position and by column name, and ``dict(row)``,
    as the asyncpg ``Record`` a read returns."""

    names: tuple[str, ...]

    def __new__(cls, values: Sequence[Any], names: tuple[str, ...]) -> WrittenRow:
        row = super().__new__(cls, values)
        row.names = names
        return row

    def __getitem__(self, key: Any) -> Any:  # also by column name
        if isinstance(key, str):
            try:
                key = self.names.index(key)
            except ValueError:
                raise KeyError(key) from None
        return super().__getitem__(key)

    def keys(self) -> tuple[str, ...]:
        return self.names

    def values(self) -> tuple[Any, ...]:
        return tuple(self)

    def items(self) -> list[tuple[str, Any]]:
        return list(zip(self.names, self, strict=True))

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self.names else default


def _written_rows(cursor: psycopg.AsyncCursor[Any]) -> Callable[[Sequence[Any]], WrittenRow]:
    names = tuple(column.name for column in cursor.description or ())
    return lambda values: WrittenRow(values, names)


class _InstantLoader(psycopg.adapt.Loader):
    def load(self, data: Buffer) -> str:
        return decode_instant(bytes(data).decode())


class _NumberLoader(psycopg.adapt.Loader):
    def load(self, data: Buffer) -> int | float:
        return decode_number(bytes(data).decode())


class _JsonTextLoader(psycopg.adapt.Loader):
    def load(self, data: Buffer) -> str:
        return bytes(data).decode()


class _TextDumper(StrDumperUnknown):
    """Text going in, as psycopg sends it (of no declared type: the server reads it as the
    column's type, as it would a literal), with any NUL replaced as :func:`encode_text` does."""

    def dump(self, obj: str) -> Buffer | None:
        return super().dump(encode_text(obj))


@functools.cache
def _writer_adapters() -> psycopg.adapt.AdaptersMap:
    """The same types in and out as on the read side (see the module's docstring)."""
    adapters = psycopg.adapt.AdaptersMap(psycopg.adapters)
    adapters.register_loader("timestamptz", _InstantLoader)
    adapters.register_loader("numeric", _NumberLoader)
    adapters.register_loader("json", _JsonTextLoader)
    adapters.register_loader("jsonb", _JsonTextLoader)
    adapters.register_dumper(str, _TextDumper)
    return adapters


async def connect_writer(dsn: str, display: str) -> psycopg.AsyncConnection[Any]:
    """The writer's connection: autocommit (each batch says BEGIN and COMMIT itself), Linkwise's
    session settings, no prepared statements, TCP keepalives."""
    options = " ".join(f"-c {name}={value}" for name, value in SERVER_SETTINGS.items() if name != "application_name")
    try:
        conn = await psycopg.AsyncConnection.connect(
            dsn,
            autocommit=True,
            prepare_threshold=None,
            context=_writer_adapters(),
            row_factory=_written_rows,
            application_name=SERVER_SETTINGS["application_name"],
            options=f"{options} -c statement_timeout={int(COMMAND_TIMEOUT * 1000)}",
            connect_timeout=int(COMMAND_TIMEOUT),
            keepalives_idle=int(LOCK_KEEPALIVES["tcp_keepalives_idle"]),
            keepalives_interval=int(LOCK_KEEPALIVES["tcp_keepalives_interval"]),
            keepalives_count=int(LOCK_KEEPALIVES["tcp_keepalives_count"]),
        )
    except (TimeoutError, OSError, psycopg.Error) as error:
        raise StoreError(unreachable_message(display, error)) from None
    return conn


def _has_spoken(conn: psycopg.AsyncConnection[Any]) -> bool:
    """Whether an idle writer's connection has something to say (a server that ended the
    session, a restart, an idle timeout, sends its farewell or closes the socket; an idle
    connection is otherwise silent): then it is checked before a batch is trusted to it."""
    try:
        readable, _, _ = select.select([conn.fileno()], [], [], 0)
    except (OSError, ValueError, psycopg.Error):
        return True
    return bool(readable)


class _WriteFailed(Exception):
    """A write of an optimistic batch (no savepoints) failed: the batch must run again with one."""


def _retryable(error: BaseException) -> bool:
    return getattr(error, "sqlstate", None) in RETRY_SQLSTATES


async def _counts(cursors: list[tuple[psycopg.AsyncCursor[Any], bool]]) -> Counts:
    """A write's row counts and returned rows, once its statements' answers have come (psycopg
    counts -1 for a statement that has no count, as ``sqlite3`` does)."""
    results: list[tuple[int, int | None, list[Any]]] = []
    for cursor, returns in cursors:
        rows = await cursor.fetchall() if returns and cursor.description is not None else []
        results.append((len(rows) if returns else cursor.rowcount, rows[-1][0] if rows else None, rows))
    return counts_of(results)


async def _send(
    conn: psycopg.AsyncConnection[Any], statements: tuple[Statement, ...]
) -> list[tuple[psycopg.AsyncCursor[Any], bool]]:
    """Send a write's statements down the pipeline; each one's cursor (its answer comes at the
    next sync) and whether it returns rows."""
    sent = []
    for sql, params in statements:
        query, returns = convert_for_writer(sql)
        sent.append((await conn.execute(query, params), returns))
    return sent


async def _batch(
    conn: psycopg.AsyncConnection[Any], work: list[tuple[Statement, ...]], *, isolated: bool
) -> list[Counts | BaseException]:
    """Run every write of ``work`` in one SERIALIZABLE transaction on ``conn`` (the writer's, in
    pipeline mode) and commit it; each write's row counts, or the error that undid it.

    Optimistic (``isolated`` false): the whole batch, BEGIN to COMMIT, goes down the pipeline
    and is answered at one sync. A failing write raises :class:`_WriteFailed` (a lone write:
    its own error), once everything is rolled back. ``isolated``: each write of several runs in
    its own savepoint, synced on its own (one round trip a write), so one whose statement fails
    is rolled back alone (its error is its outcome). A serialization failure or deadlock always
    rolls back the whole batch and is raised."""
    savepoints = isolated and len(work) > 1
    async with conn.pipeline() as pipeline:
        try:
            await conn.execute("BEGIN ISOLATION LEVEL SERIALIZABLE")
            if not savepoints:
                try:
                    sent = [await _send(conn, statements) for statements in work]
                    await conn.execute("COMMIT")
                    await pipeline.sync()
                except Exception as error:  # noqa: BLE001 - a constraint, bad data (server or client side)
                    if _retryable(error) or len(work) == 1:
                        raise
                    raise _WriteFailed from error
                return [await _counts(cursors) for cursors in sent]
            outcomes: list[Counts | BaseException] = []
            for statements in work:
                try:
                    await conn.execute("SAVEPOINT write")
                    cursors = await _send(conn, statements)
                    await conn.execute("RELEASE SAVEPOINT write")
                    await pipeline.sync()
                except Exception as error:  # noqa: BLE001 - a constraint, bad data (server or client side)
                    if _retryable(error):
                        raise
                    await _quiet_sync(pipeline)  # (a client-side error raised before the sync)
                    await conn.execute("ROLLBACK TO SAVEPOINT write")
                    await conn.execute("RELEASE SAVEPOINT write")
                    await pipeline.sync()
                    outcomes.append(error)  # undone alone; handed to the caller who wrote it
                    continue
                outcomes.append(await _counts(cursors))
            await conn.execute("COMMIT")
            await pipeline.sync()
            return outcomes
        except asyncio.CancelledError:
            # Cut off mid-batch (the time limit): its state is unknown, so the connection goes
            # (the server rolls back a transaction left open) and the next batch gets a new one.
            await conn.close()
            raise
        except BaseException:
            await _abandon(conn, pipeline)
            raise


async def _quiet_sync(pipeline: psycopg.AsyncPipeline) -> None:
    """End the pipeline's segment, whatever it answers (its error is already known)."""
    try:
        await pipeline.sync()
    except psycopg.Error:
        pass


async def _abandon(conn: psycopg.AsyncConnection[Any], pipeline: psycopg.AsyncPipeline) -> None:
    """Roll back what a failed batch left open, so the connection is ready for the next one
    (a broken connection is replaced instead)."""
    if conn.closed or conn.broken:
        return
    try:
        await _quiet_sync(pipeline)
        if conn.info.transaction_status != psycopg.pq.TransactionStatus.IDLE:
            await conn.execute("ROLLBACK")
            await pipeline.sync()
    except (psycopg.Error, OSError):
        await conn.close()


async def schema_version(conn: asyncpg.Connection) -> int:
    if await conn.fetchval("SELECT to_regclass($1)", VERSION_TABLE) is None:
        return 0
    return int(await conn.fetchval(f"SELECT COALESCE(MAX(version), 0) FROM {VERSION_TABLE}"))


_TABLES_SQL = (
    "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
    "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname <> $1 ORDER BY c.oid"
)
_FOREIGN_KEYS_SQL = (
    "SELECT child.relname, parent.relname FROM pg_constraint k "
    "JOIN pg_class child ON child.oid = k.conrelid JOIN pg_class parent ON parent.oid = k.confrelid "
    "WHERE k.contype = 'f' AND k.connamespace = current_schema()::regnamespace"
)
_IDENTITY_SQL = (
    "SELECT table_name, column_name FROM information_schema.columns "
    "WHERE table_schema = current_schema() AND is_identity = 'YES' ORDER BY table_name"
)


# ---------------------------------------------------------------------- instance safety
class ShardLock:
    """The single-instance rule on PostgreSQL: session advisory locks on a dedicated connection,
    held for the life of the process and released with its connection when it ends, even by a
    crash.

    A process running every shard (``shards=None``, the default) holds the "all shards" key
    exclusively; a process running some shards holds it shared and each of its shards
    exclusively. So two processes refuse each other exactly when they would run a shard twice.
    Processes running some shards also hold their shard count's key shared: a process started
    with another count is refused while any runs (Discord needs every shard of a bot identified
    with one count, and the schedules are keyed by it).
    """

    def __init__(self, dsn: str, *, display: str | None = None) -> None:
        if display is None:
            from .database import redact

            display = redact(dsn)
        self._dsn = dsn
        self.display = display
        self._conn: asyncpg.Connection | None = None
        self.shards: tuple[int, ...] | None = None
        self.refused_shard: int | None = None  # the shard another process holds, after a refusal
        self.refused_count: int | None = None  # the shard count other processes run with, after a refusal
        self._watch: asyncio.Task[None] | None = None

    @property
    def held(self) -> bool:
        return self._conn is not None and not self._conn.is_closed()

    async def acquire(self, shards: Collection[int] | None = None, *, shard_count: int | None = None) -> bool:
        """Take the locks for ``shards`` (None: every shard) of ``shard_count``. False, holding
        nothing, when another process holds any of them (``refused_shard`` says which; None for
        "all"), or runs with another shard count (``refused_count``)."""
        if self.held:
            raise RuntimeError("this lock is already held")
        conn = await connect(self._dsn, self.display, settings=LOCK_KEEPALIVES)
        self.refused_shard = self.refused_count = None
        try:
            if shards is None:
                ok = await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_NAMESPACE, ALL_SHARDS_KEY)
                if not ok:  # name a shard another process runs, if it runs some rather than all
                    self.refused_shard = min((key for key in await _held_keys(conn) if key >= 0), default=None)
            else:
                # One process at a time checks the counts and takes its keys (a few milliseconds).
                await conn.execute("SELECT pg_advisory_lock($1, $2)", LOCK_NAMESPACE, STARTING_KEY)
                try:
                    ok = await self._take_some(conn, sorted(set(shards)), shard_count)
                finally:
                    await conn.execute("SELECT pg_advisory_unlock($1, $2)", LOCK_NAMESPACE, STARTING_KEY)
        except BaseException:
            await conn.close()
            raise
        if not ok:
            await conn.close()  # releases whatever was taken
            return False
        self._conn = conn
        self.shards = None if shards is None else tuple(sorted(set(shards)))
        return True

    async def _take_some(self, conn: asyncpg.Connection, shards: list[int], shard_count: int | None) -> bool:
        if not await conn.fetchval("SELECT pg_try_advisory_lock_shared($1, $2)", LOCK_NAMESPACE, ALL_SHARDS_KEY):
            return False
        if shard_count is not None:
            for key in await _held_keys(conn):
                count = COUNT_KEY_BASE - key
                if 0 < count <= MAX_COUNT_KEYS and count != shard_count:
                    self.refused_count = count
                    return False
            await conn.execute(
                "SELECT pg_advisory_lock_shared($1, $2)", LOCK_NAMESPACE, COUNT_KEY_BASE - shard_count
            )
        for shard in shards:
            if not await conn.fetchval("SELECT pg_try_advisory_lock($1, $2)", LOCK_NAMESPACE, shard):
                self.refused_shard = shard
                return False
        return True

    def watch(self, on_lost: Callable[[], Any], *, interval: float = WATCH_INTERVAL) -> None:
        """Call ``on_lost`` once if the lock's connection ends (the server restarted, the
        network dropped): the locks went with it, so another process may now start.

        A closed connection is noticed at once; a silent one by a query every ``interval``
        seconds. The watching task owns the locks: if it is cancelled while they are held (the
        event loop is shutting down, or the bot's work was torn down without closing it), it
        releases them, so a process whose bot is gone never keeps its shards."""
        conn = self._conn
        if conn is None:
            raise RuntimeError("the lock is not held")
        told = False

        def lost() -> None:
            nonlocal told
            if not told and self._conn is conn:
                told = True
                log.critical("the connection holding the instance lock on %s was lost", self.display)
                on_lost()

        conn.add_termination_listener(lambda _conn: lost())

        async def watching() -> None:
            # Paced by the real clock, not the event loop's: a connection's health is a matter
            # of real time, and a simulated loop (the tests') may run days in seconds.
            checked = time.monotonic()
            try:
                while not conn.is_closed():
                    await asyncio.sleep(interval)
                    if time.monotonic() - checked < interval:
                        continue
                    try:
                        await conn.fetchval("SELECT 1", timeout=min(interval, COMMAND_TIMEOUT))
                    except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                        break
                    checked = time.monotonic()
                lost()
            except asyncio.CancelledError:
                if self._conn is conn:
                    await self.release()
                raise

        self._watch = asyncio.create_task(watching(), name="linkwise-instance-lock")

    async def release(self) -> None:
        """Give the locks back (at once: explicitly, then with the connection)."""
        conn, self._conn = self._conn, None
        watch, self._watch = self._watch, None
        if watch is not None and watch is not asyncio.current_task():
            watch.cancel()
        if conn is not None and not conn.is_closed():
            try:
                await conn.execute("SELECT pg_advisory_unlock_all()", timeout=COMMAND_TIMEOUT)
            except (TimeoutError, OSError, asyncpg.PostgresError, asyncpg.InterfaceError):
                pass  # the connection is going anyway, and its locks with it
            finally:
                await conn.close()


async def _held_keys(conn: asyncpg.Connection) -> list[int]:
    """The second keys (as int4) of every Linkwise advisory lock held on this database."""
    rows = await conn.fetch(
        "SELECT DISTINCT objid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::oid "
        "AND objsubid = 2 AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        LOCK_NAMESPACE % 2**32,
    )
    return [int(r[0]) - 2**32 if int(r[0]) >= 2**31 else int(r[0]) for r in rows]


async def lock_holders(conn: asyncpg.Connection) -> list[int]:
    """Process ids of the server backends (other than ``conn``'s) holding a Linkwise instance
    lock on ``conn``'s database: a running bot, or a running ``linkwise migrate``."""
    rows = await conn.fetch(
        "SELECT DISTINCT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1::oid "
        "AND objsubid = 2 AND pid <> pg_backend_pid() "
        "AND database = (SELECT oid FROM pg_database WHERE datname = current_database())",
        LOCK_NAMESPACE % 2**32,
    )
    return [int(r[0]) for r in rows]


# ---------------------------------------------------------------------- operator helpers
async def inspect(dsn: str, display: str) -> tuple[int, list[str]]:
    """(schema version, Linkwise tables found) of the database, without changing anything.
    Runs a query on every table, so a table that cannot be read is reported."""
    conn = await connect(dsn, display)
    try:
        async with conn.transaction(readonly=True):
            version = await schema_version(conn)
            names = [r[0] for r in await conn.fetch(_TABLES_SQL, VERSION_TABLE)]
            for name in names:
                await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {quote(name)})")
        return version, names
    finally:
        await conn.close()


__all__ = [
    "ALL_SHARDS_KEY",
    "LOCK_NAMESPACE",
    "MIGRATIONS_DIR",
    "PostgresStore",
    "ShardLock",
    "convert",
    "decode_instant",
    "encode_instant",
    "foreign_key_order",
    "inspect",
    "latest_version",
    "lock_holders",
]
