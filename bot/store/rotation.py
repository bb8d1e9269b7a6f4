"""No-repeat rotations, chosen and recorded in one step.

Two rotations share the mechanism here:

* per server, the items posted publicly there (``rotation``: scheduled tips, prompts from
  ``/prompt`` and schedules), so a server sees every item of a pool before any comes back;
* per member, the tips they were shown (``tip_seen``, see :mod:`cogs.tips.queries`).

Choosing the next item and recording it is **one statement** (:func:`take`): ``INSERT ...
SELECT`` the first item of a random order of the pool that is not recorded, ``RETURNING`` it.
Only when it returns nothing (every item of the pool is recorded) does a second write run, of
two statements back to back in the writer's transaction:

1. *restart*: if every item of the pool is still recorded, forget the pool's records (only
   that pool's: a topic running out does not make the other topics repeat early);
2. *choose and record* again.

Two members, schedules or processes asking at the same instant are serialised by the database,
not by the bot: the second sees the first's record and takes another item, and of several that
found the pool used up, exactly one restarts the cycle (its restart changed rows: that is how
the reply knows to say so); the others find it restarted and take the next items. The order
is a random permutation (drawn in Python, :func:`random_order`), so the item chosen is uniform
among those left; the SQL only takes the first one left in that order.

The SQL is portable (``VALUES`` lists, ``INSERT ... SELECT``, ``RETURNING``): the pool's ids
travel as parameters, and the positions are integer literals written by this module. The
common case sends the pool once; the restart, once a cycle, sends it twice more.
"""

from __future__ import annotations

import functools
import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, TypeVar

from bot.clock import iso

from . import Statement, Store


class _HasId(Protocol):
    @property
    def id(self) -> str: ...


T = TypeVar("T", bound=_HasId)


def one_per_id(pool: Sequence[T]) -> list[T]:
    """``pool`` in its order, keeping the first item of each id."""
    return list({item.id: item for item in reversed(pool)}.values())[::-1]


def random_order(pool: Sequence[T]) -> list[T]:
    """``pool`` in a uniformly random order, one item per id (a pool listing an id twice keeps
    its first): the first of them still unused is then a uniform choice among the unused ones.
    Sorted by a random key each (:func:`random.random`, drawn in C), which for the 146 tips of
    ``/tip`` costs a quarter of :func:`random.shuffle`'s Python loop."""
    unique = one_per_id(pool)
    keys = [random.random() for _ in unique]
    return [unique[i] for i in sorted(range(len(unique)), key=keys.__getitem__)]


def _values(count: int, *, positions: bool) -> str:
    """A ``VALUES`` list of ``count`` parameters (``column1``), with each one's position as an
    integer literal (``column2``) when asked."""
    if positions:
        return ", ".join(f"(?, {n})" for n in range(count))
    return ", ".join("(?)" for _ in range(count))


@functools.lru_cache(maxsize=256)
def _restart_sql(table: str, scope: tuple[str, ...], item_column: str, count: int, whole_scope: bool) -> str:
    where = " AND ".join(f"{column} = ?" for column in scope)
    listed = _values(count, positions=False)
    only_pool = "" if whole_scope else f" AND {item_column} IN (SELECT column1 FROM (VALUES {listed}) AS pool)"
    return (
        f"DELETE FROM {table} WHERE {where}{only_pool} "
        f"AND NOT EXISTS (SELECT 1 FROM (VALUES {listed}) AS pool WHERE pool.column1 NOT IN "
        f"(SELECT {item_column} FROM {table} WHERE {where}))"
    )


@functools.lru_cache(maxsize=256)
def _choose_sql(table: str, scope: tuple[str, ...], item_column: str, count: int, extra: tuple[str, ...]) -> str:
    where = " AND ".join(f"{column} = ?" for column in scope)
    columns = ", ".join((*scope, item_column, *extra))
    selected = ", ".join(("?",) * len(scope) + ("pool.column1",) + ("?",) * len(extra))
    return (
        f"INSERT INTO {table} ({columns}) "
        f"SELECT {selected} FROM (VALUES {_values(count, positions=True)}) AS pool "
        f"WHERE pool.column1 NOT IN (SELECT {item_column} FROM {table} WHERE {where}) "
        f"ORDER BY pool.column2 LIMIT 1 RETURNING {item_column}"
    )


def restart_statement(
    table: str, scope: Sequence[tuple[str, object]], item_column: str, pool: Sequence[str], *, whole_scope: bool
) -> Statement:
    """Forget the records of ``pool`` in ``scope`` when every item of it is recorded (a no-op
    otherwise). ``whole_scope``: forget every record of the scope, not just the pool's."""
    columns = tuple(column for column, _ in scope)
    values = [value for _, value in scope]
    sql = _restart_sql(table, columns, item_column, len(pool), whole_scope)
    return sql, (*values, *([] if whole_scope else pool), *pool, *values)


def choose_statement(
    table: str,
    scope: Sequence[tuple[str, object]],
    item_column: str,
    order: Sequence[str],
    extra: Sequence[tuple[str, object]],
) -> Statement:
    """Record the first item of ``order`` not recorded in ``scope`` (with the ``extra``
    columns), returning its id; nothing when every item is recorded."""
    columns = tuple(column for column, _ in scope)
    values = [value for _, value in scope]
    sql = _choose_sql(table, columns, item_column, len(order), tuple(column for column, _ in extra))
    return sql, (*values, *(value for _, value in extra), *order, *values)


@dataclass(frozen=True)
class Claim:
    """An item a server's post took from the rotation (recorded before it is sent)."""

    guild_id: int
    kind: str
    item_id: str
    token: str
    restarted: bool  # every item of the pool had been posted here: this claim started a new cycle

    def release(self) -> Statement:
        """Give the item back (the post did not go out). Removes this claim's row only: if a
        later post took the same item since (after a restart), its row stays."""
        return (
            "DELETE FROM rotation WHERE guild_id = ? AND kind = ? AND item_id = ? AND claim = ?",
            (self.guild_id, self.kind, self.item_id, self.token),
        )


class PoolEmpty(ValueError):
    """There is nothing to choose from."""


async def take(
    store: Store,
    table: str,
    scope: Sequence[tuple[str, object]],
    item_column: str,
    order: Sequence[str],
    extra: Sequence[tuple[str, object]],
    *,
    whole_scope: bool,
    also: Sequence[Statement] = (),
) -> tuple[str, bool]:
    """Record the first item of ``order`` (the pool's ids, in order of preference) not yet
    recorded in ``scope`` (with the ``extra`` columns) and return it, with whether this call
    restarted the cycle. ``also``: statements written with the choice, in the same write.

    One statement, in one write; when the pool is used up, a second write restarts the cycle
    if it is still used up (``whole_scope``: forgetting every record of the scope, not only
    the pool's) and chooses again."""
    if not order:
        raise PoolEmpty("the pool is empty")
    choose = choose_statement(table, scope, item_column, order, extra)
    chosen = (await store.write(choose, *also)).returned(0)
    if chosen:
        return chosen[0][0], False
    counts = await store.write(restart_statement(table, scope, item_column, order, whole_scope=whole_scope), choose)
    chosen = counts.returned(1)
    if not chosen:  # cannot happen: the restart left the pool with an unused item
        raise RuntimeError(f"the {table} rotation of {dict(scope)} chose nothing")
    return chosen[0][0], counts[0] > 0


async def claim(store: Store, guild_id: int, kind: str, order: Sequence[str], at: datetime) -> Claim:
    """Take the server's next item and record it (:func:`take`): the first id of ``order``
    (the pool's ids, in order of preference: :func:`random_order`) not used in this server yet.

    Call it just before posting; give the item back with :meth:`Claim.release` if the post
    does not go out."""
    token = uuid.uuid4().hex
    item_id, restarted = await take(
        store,
        "rotation",
        (("guild_id", guild_id), ("kind", kind)),
        "item_id",
        order,
        (("used_at", iso(at)), ("claim", token)),
        whole_scope=False,
    )
    return Claim(guild_id, kind, item_id, token, restarted=restarted)


async def used(store: Store, guild_id: int, kind: str) -> set[str]:
    rows = await store.fetchall("SELECT item_id FROM rotation WHERE guild_id = ? AND kind = ?", (guild_id, kind))
    return {r[0] for r in rows}
