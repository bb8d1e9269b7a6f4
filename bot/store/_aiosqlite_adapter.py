"""The one place Linkwise reaches into aiosqlite: running a function on its worker thread.

aiosqlite has no public way to run a function on its worker thread; this is the one place that
does. The store uses it to run a whole batch of writes as a single call there: one thread hop
per batch instead of one per statement, which is what makes group commit cheaper than SQLite's
own commit-per-row (measured in benchmarks/). When the private method is not there (a future
aiosqlite), :func:`thread_runner` says so by returning None and the store awaits each statement
through aiosqlite's public API instead: same semantics, slower.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

ThreadRunner = Callable[[Callable[[sqlite3.Connection], T]], Awaitable[T]]


def thread_runner(conn: aiosqlite.Connection) -> ThreadRunner[Any] | None:
    """A coroutine function that runs ``fn(sqlite3_connection)`` on ``conn``'s worker thread,
    queued behind the statements already sent to it; or None when this aiosqlite offers no
    such method (the caller then falls back to the public API)."""
    execute = getattr(conn, "_execute", None)  # private: aiosqlite's queue-a-function coroutine
    if not callable(execute):
        return None

    async def run(fn: Callable[[sqlite3.Connection], Any]) -> Any:
        raw = getattr(conn, "_conn", None)  # private: the sqlite3 connection, set once connected
        if not isinstance(raw, sqlite3.Connection):
            raise RuntimeError("the aiosqlite connection is not open")
        return await execute(fn, raw)

    return run
