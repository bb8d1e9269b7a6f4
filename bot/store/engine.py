"""What every engine offers: the one transaction API the query modules use, and the schema
helpers the operator commands use. :class:`bot.store.Store` (SQLite) and
:class:`bot.store.postgres.PostgresStore` both satisfy it; code that works on either should
take an :class:`Engine`."""

from __future__ import annotations

from collections.abc import AsyncIterator, Mapping, Sequence
from typing import Any, Protocol

from . import Counts, Statement


class Engine(Protocol):
    engine: str  # "sqlite" or "postgresql"

    @property
    def name(self) -> str:
        """How messages name the database (a file, or a URL without its password)."""
        ...

    async def close(self) -> None: ...

    async def schema_version(self) -> int: ...

    # The transaction API. Rows support row[0], row["column"], dict(row) and tuple(row).
    # ``small``: the read is of a few rows through an index (an engine may answer it where
    # that is cheapest: SQLite on the event loop's thread).
    async def fetchall(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> list[Any]: ...

    async def fetchone(self, sql: str, params: Sequence[Any] = (), *, small: bool = False) -> Any | None: ...

    async def fetchval(
        self, sql: str, params: Sequence[Any] = (), default: Any = None, *, small: bool = False
    ) -> Any: ...

    async def write(self, *statements: Statement) -> Counts | list[int]: ...

    async def insert(self, sql: str, params: Sequence[Any] = ()) -> int | None: ...

    # Schema helpers: no sqlite_master, PRAGMA or information_schema outside the engines.
    async def tables(self) -> list[str]: ...

    async def columns(self, table: str) -> list[str]: ...

    async def nullable(self, table: str) -> set[str]: ...

    async def count(self, table: str) -> int: ...

    async def is_empty(self, table: str) -> bool: ...

    def rows(self, table: str, columns: Sequence[str], batch: int) -> AsyncIterator[list[tuple[Any, ...]]]: ...

    async def id_counters(self) -> dict[str, int]: ...

    async def load(
        self,
        batches: AsyncIterator[tuple[str, Sequence[str], list[tuple[Any, ...]]]],
        counters: Mapping[str, int],
    ) -> None: ...
