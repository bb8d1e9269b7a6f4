"""Small helpers about a schema that both engines share (no database access here)."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence


def quote(name: str) -> str:
    """A table or column name as a quoted identifier (names come from the schema itself)."""
    return '"' + name.replace('"', '""') + '"'


@functools.lru_cache(maxsize=128)
def marks(count: int) -> str:
    """``count`` parameter marks for a list: ``?, ?, ?`` (``IN (...)``, ``VALUES (...)``)."""
    return ", ".join("?" for _ in range(count))


def foreign_key_order(names: Sequence[str], edges: Iterable[tuple[str, str]]) -> list[str]:
    """``names`` with every table after the tables it refers to (``(child, parent)`` edges),
    otherwise in the given order. A cycle (there is none in Linkwise's schema) keeps the given
    order for the tables in it."""
    parents: dict[str, set[str]] = {name: set() for name in names}
    for child, parent in edges:
        if child in parents and parent in parents and child != parent:
            parents[child].add(parent)
    ordered: list[str] = []
    placed: set[str] = set()
    while len(ordered) < len(names):
        ready = [n for n in names if n not in placed and parents[n] <= placed]
        if not ready:  # a cycle: take the rest as given
            ready = [n for n in names if n not in placed]
        ordered.append(ready[0])
        placed.add(ready[0])
    return ordered
