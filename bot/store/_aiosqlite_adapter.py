"""The one place Linkwise reaches into aiosqlite: running a function on its worker thread.

aiosqlite has no public way to run a function on its worker thread; this is the one place that
does. The store uses it to run a whole batch of writes as a single call there: one thread hop
per batch instead of one per statement, which is what makes group commit cheaper than SQLite's
own commit-per-row (measured in benchmarks/). The function is handed to the thread at once,
not when the event loop next gets round to a task: the store's next batch then runs while the
loop answers the callers of the one before. When the private parts are not there (a future
aiosqlite), :func:`thread_runner` says so by returning None and the store awaits each statement
through aiosqlite's public API instead: same semantics, slower.
"""

from __future__ import annotations

import asyncio
import functools
import sqlite3
from collections.abc import Callable
from typing import Any, TypeVar

import aiosqlite

T = TypeVar("T")

ThreadRunner = Callable[[Callable[[sqlite3.Connection], T]], "asyncio.Future[T]"]


def thread_runner(conn: aiosqlite.Connection) -> ThreadRunner[Any] | None:
    """A function that queues ``fn(sqlite3_connection)`` on ``conn``'s worker thread now,
    behind the statements already sent to it, and returns the future of its result; or None
    when this aiosqlite offers no such queue (the caller then falls back to the public API)."""
    queue = getattr(conn, "_tx", None)  # private: the worker's queue of (future, function), as _execute fills it
    if not callable(getattr(queue, "put_nowait", None)):
        return None

    def run(fn: Callable[[sqlite3.Connection], Any]) -> asyncio.Future[Any]:
        raw = getattr(conn, "_conn", None)  # private: the sqlite3 connection, set once connected
        if not isinstance(raw, sqlite3.Connection):
            raise RuntimeError("the aiosqlite connection is not open")
        future: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        queue.put_nowait((future, functools.partial(fn, raw)))  # type: ignore[union-attr]
        return future

    return run
