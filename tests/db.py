"""What a test reads from, or writes straight into, the bot's database: on either engine.

Every helper takes ``where``: the bot itself (its database, whichever engine), a database URL
(``sqlite:///...`` or ``postgresql://...``, as the ``database_url`` fixture gives), or the path of
a SQLite file. SQL is written once with ``?`` placeholders; on PostgreSQL it is converted and run
on a connection with the engine's own type codecs (:mod:`bot.store.postgres`), so values come
back as the bot's code sees them on SQLite (instants as ISO 8601 UTC text, whole numbers as
``int``). Rows are plain tuples.

The helpers are synchronous, so they can be called anywhere in a test (the PostgreSQL work runs
on its own event loop in a helper thread). A write commits before the helper returns.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from bot.store.database import DatabaseURL
from tests.backends import in_thread


def database_of(where: Any) -> DatabaseURL:
    """The database ``where`` names: a bot, a URL, a path or a :class:`DatabaseURL`."""
    if isinstance(where, DatabaseURL):
        return where
    settings = getattr(where, "settings", None)
    if settings is not None:
        return settings.database
    if isinstance(where, Path):
        return DatabaseURL.for_path(where)
    return DatabaseURL.parse(os.fspath(where))


def engine_of(where: Any) -> str:
    """``"sqlite"`` or ``"postgresql"``."""
    return database_of(where).engine


# ---------------------------------------------------------------------- running statements
def _sqlite(path: Path, work):
    with contextlib.closing(sqlite3.connect(path)) as conn:
        with conn:  # commits a write, rolls back on error
            return work(conn)


def _postgres(url: str, work):
    from bot.store.postgres import connect

    async def run():
        conn = await connect(url, "the test database")
        try:
            async with conn.transaction():
                return await work(conn)
        finally:
            await conn.close()

    return in_thread(run)


def _sql(sql: str) -> str:
    from bot.store.postgres import convert

    return convert(sql)[0]


def rows(where: Any, sql: str, params: Sequence[Any] = ()) -> list[tuple]:
    """Every row ``sql`` returns, as tuples."""
    db = database_of(where)
    if db.engine == "sqlite":
        return _sqlite(db.path, lambda conn: [tuple(r) for r in conn.execute(sql, tuple(params)).fetchall()])

    async def fetch(conn):
        return [tuple(r) for r in await conn.fetch(_sql(sql), *params)]

    return _postgres(db.url, fetch)


def one(where: Any, sql: str, params: Sequence[Any] = ()) -> tuple | None:
    """The first row ``sql`` returns, or None."""
    found = rows(where, sql, params)
    return found[0] if found else None


def scalar(where: Any, sql: str, params: Sequence[Any] = ()) -> Any:
    """The first column of the first row (None when there is no row)."""
    row = one(where, sql, params)
    return None if row is None else row[0]


def execute(where: Any, sql: str, params: Sequence[Any] = ()) -> None:
    """Run one statement and commit it."""
    executemany(where, sql, [params])


def executemany(where: Any, sql: str, many: Iterable[Sequence[Any]]) -> None:
    """Run one statement for each set of parameters, all in one committed transaction."""
    batch = [tuple(p) for p in many]
    db = database_of(where)
    if db.engine == "sqlite":
        _sqlite(db.path, lambda conn: conn.executemany(sql, batch))
        return

    async def run(conn):
        await conn.executemany(_sql(sql), batch)

    _postgres(db.url, run)


# ---------------------------------------------------------------------- the schema
def tables(where: Any) -> list[str]:
    """Linkwise's tables (not the engine's own, nor the schema-version table)."""
    db = database_of(where)
    if db.engine == "sqlite":
        return [
            name
            for (name,) in rows(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
    from bot.store.postgres import VERSION_TABLE

    sql = "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename <> ? ORDER BY tablename"
    return [name for (name,) in rows(db, sql, (VERSION_TABLE,))]


def columns(where: Any, table: str) -> list[str]:
    """The columns of ``table``, in order."""
    db = database_of(where)
    if db.engine == "sqlite":
        return [r[1] for r in rows(db, f'PRAGMA table_info("{table}")')]
    return [
        name
        for (name,) in rows(
            db,
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND table_name = ? ORDER BY ordinal_position",
            (table,),
        )
    ]


def counts(where: Any) -> dict[str, int]:
    """Table -> how many rows it holds, for every Linkwise table."""
    return {table: scalar(where, f'SELECT COUNT(*) FROM "{table}"') for table in tables(where)}


def contents(where: Any) -> dict[str, list[str]]:
    """Table -> its rows (each ``repr``'d, sorted): to compare a whole database before and after."""
    return {table: sorted(map(repr, rows(where, f'SELECT * FROM "{table}"'))) for table in tables(where)}


def user_tables(where: Any) -> list[str]:
    """The tables with a ``user_id`` column: where a member's data is kept."""
    return [table for table in tables(where) if "user_id" in columns(where, table)]
