"""``linkwise migrate``: copy every row of one Linkwise database into another (SQLite to
PostgreSQL and back, or between two of a kind), and verify the counts.

The copy is safe to retry: both databases are locked against a running bot for its duration
(the instance lock: the lock file beside a SQLite database, the advisory lock on PostgreSQL),
the target is refused unless every one of its tables is empty, and every row goes into the
target in ONE transaction, so a copy that fails leaves the target as empty as it was.

Tables are discovered from the source's schema (a feature's new table is copied the moment its
migration exists on both engines), parents before the tables that refer to them. Ids that are
never given twice (SQLite's ``AUTOINCREMENT``, PostgreSQL's identity columns) stay so: the
target's counters are moved past the highest id the source ever gave.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import AsyncIterator, Callable
from contextlib import AsyncExitStack
from dataclasses import dataclass
from typing import Any, TextIO

from . import InstanceLock, StoreError
from .database import DatabaseURL, open_store

BATCH = 2000  # rows read and written at a time


class TransferError(StoreError):
    """The copy was refused or failed; the message says why and what to do."""


@dataclass(frozen=True)
class Copied:
    table: str
    rows: int


class Progress:
    """Copy progress on a stream: a bar redrawn in place on a terminal, plain lines otherwise
    (a log file or a pipe gets one line per table, never carriage returns)."""

    WIDTH = 30

    def __init__(self, total: int, stream: TextIO | None = None, *, tty: bool | None = None) -> None:
        self.total = total
        self.done = 0
        self.stream = stream if stream is not None else sys.stderr
        self.tty = self.stream.isatty() if tty is None else tty
        self._table = ""
        self._table_rows = 0
        self._table_done = 0
        self._drawn = 0.0

    def start(self, table: str, rows: int) -> None:
        self._table, self._table_rows, self._table_done = table, rows, 0
        if not self.tty:
            print(f"copying {table}: {rows:,} row(s)", file=self.stream, flush=True)
        else:
            self._draw(force=True)

    def advance(self, rows: int) -> None:
        self.done += rows
        self._table_done += rows
        if self.tty:
            self._draw()

    def finish_table(self) -> None:
        if self.tty:
            self._draw(force=True)
            self.stream.write("\n")
            self.stream.flush()

    def _draw(self, *, force: bool = False) -> None:
        now = time.monotonic()
        if not force and now - self._drawn < 0.1:  # at most ten redraws a second
            return
        self._drawn = now
        share = self.done / self.total if self.total else 1.0
        filled = round(share * self.WIDTH)
        bar = "#" * filled + "-" * (self.WIDTH - filled)
        self.stream.write(
            f"\r[{bar}] {share:4.0%}  {self._table:<22} {self._table_done:>12,}/{self._table_rows:,} rows"
        )
        self.stream.flush()


async def copy_database(
    source: DatabaseURL,
    target: DatabaseURL,
    *,
    batch: int = BATCH,
    progress: Callable[[int], Progress] | None = None,
) -> list[Copied]:
    """Copy every row of ``source`` into ``target`` (created and migrated first); return the
    rows copied per table, each verified against the source's count."""
    if _same(source, target):
        raise TransferError(f"--from and --to are the same database ({source.display}); name two databases")
    if source.engine == "sqlite" and not (source.path and source.path.exists()):
        raise TransferError(f"there is no database at {source.display} to copy from")
    async with AsyncExitStack() as stack:
        for db, role in ((source, "source"), (target, "target")):
            await _lock(stack, db, role)
        try:
            source_store = await open_store(source)
        except StoreError as error:
            raise TransferError(f"cannot open the source: {error}") from None
        stack.push_async_callback(source_store.close)
        try:
            target_store = await open_store(target)
        except StoreError as error:
            raise TransferError(f"cannot open the target: {error}") from None
        stack.push_async_callback(target_store.close)

        tables = await source_store.tables()
        target_tables = set(await target_store.tables())
        plan: list[tuple[str, list[str]]] = []
        for table in tables:
            if table not in target_tables:
                raise TransferError(
                    f"the target {target.display} has no table {table}: its schema is older than the source's. "
                    "Upgrade Linkwise where the target is used, or copy to a database of the same version."
                )
            columns = await source_store.columns(table)
            missing = [c for c in columns if c not in set(await target_store.columns(table))]
            if missing:
                raise TransferError(
                    f"the target's table {table} has no column {', '.join(missing)}: its schema differs from "
                    "the source's. Copy between databases of the same Linkwise version."
                )
            plan.append((table, columns))
        holding = [table for table in target_tables if not await target_store.is_empty(table)]
        if holding:
            raise TransferError(
                f"the target {target.display} already holds data (in {', '.join(sorted(holding))}); "
                "linkwise migrate copies only into an empty database. Choose a new database, or empty this one."
            )

        expected = {table: await source_store.count(table) for table, _ in plan}
        meter = progress(sum(expected.values())) if progress is not None else None
        read: dict[str, int] = dict.fromkeys(expected, 0)

        async def batches() -> AsyncIterator[tuple[str, list[str], list[tuple[Any, ...]]]]:
            for table, columns in plan:
                if meter is not None:
                    meter.start(table, expected[table])
                async for rows in source_store.rows(table, columns, batch):
                    read[table] += len(rows)
                    yield table, columns, rows
                    if meter is not None:
                        meter.advance(len(rows))
                if meter is not None:
                    meter.finish_table()
                if read[table] != expected[table]:
                    raise TransferError(
                        f"{table}: read {read[table]} row(s) but the source counts {expected[table]}; "
                        "is something writing to it? Nothing was copied."
                    )

        try:
            await target_store.load(batches(), await source_store.id_counters())
        except TransferError:
            raise
        except Exception as error:  # noqa: BLE001 - reported with what to do; the target is unchanged
            raise TransferError(
                f"the copy failed and was rolled back, so the target is still empty: {type(error).__name__}: {error}"
            ) from error

        copied = []
        for table, _ in plan:
            count = await target_store.count(table)
            if count != expected[table]:
                raise TransferError(
                    f"{table}: the target holds {count} row(s), the source {expected[table]}. "
                    f"The copy in {target.display} is incomplete: empty it before trying again."
                )
            copied.append(Copied(table, count))
        return copied


def _same(a: DatabaseURL, b: DatabaseURL) -> bool:
    if a.engine != b.engine:
        return False
    if a.engine == "sqlite":
        assert a.path is not None and b.path is not None
        return os.path.realpath(a.path) == os.path.realpath(b.path)
    return a.without_password() == b.without_password()


async def _lock(stack: AsyncExitStack, db: DatabaseURL, role: str) -> None:
    """Hold ``db``'s instance lock until the copy ends: refused while a bot runs on it, and no
    bot can start on it meanwhile."""
    if db.engine == "sqlite":
        assert db.path is not None
        lock = InstanceLock(db.path)
        if not lock.acquire():
            raise TransferError(
                f"a Linkwise is running on the {role} {db.display} (lock file {lock.path}); stop it first, "
                "then run linkwise migrate again"
            )
        stack.callback(lock.release)
        return
    from .postgres import ShardLock

    shard_lock = ShardLock(db.url, display=db.display)
    try:
        held = await shard_lock.acquire()
    except StoreError as error:
        raise TransferError(f"cannot reach the {role}: {error}") from None
    if not held:
        raise TransferError(
            f"a Linkwise is running on the {role} {db.display} (it holds the instance lock); stop every "
            "process using it first, then run linkwise migrate again"
        )
    stack.push_async_callback(shard_lock.release)


__all__ = ["BATCH", "Copied", "Progress", "TransferError", "copy_database"]
