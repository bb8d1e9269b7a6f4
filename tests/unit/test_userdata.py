"""Export and deletion cover every table that holds rows about a member.

The schema is read independently here (not through ``userdata.user_tables``), every such table
gets one row for each of two members in two servers, and the checks say which table failed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.store import Store, userdata

GUILD, OTHER_GUILD = 111, 222
GONE, KEPT = 1001, 1002


def schema(path: Path) -> dict[str, list[tuple[str, str, bool]]]:
    """table -> [(column, declared type, part of an INTEGER PRIMARY KEY alias)] for every table."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        names = [
            r[0]
            for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        ]
        out = {}
        for name in names:
            info = conn.execute(f"PRAGMA table_info({name})").fetchall()
            keys = [c for c in info if c[5]]
            out[name] = [
                (c[1], c[2].upper(), len(keys) == 1 and c[5] == 1 and c[2].upper() == "INTEGER") for c in info
            ]
        return out


def user_tables_in(path: Path) -> list[str]:
    return sorted(t for t, columns in schema(path).items() if any(c == "user_id" for c, _, _ in columns))


def seed(path: Path, table: str, user_id: int, guild_id: int) -> None:
    """One row about ``user_id`` in ``table``, whatever its other columns are."""
    columns = [(c, t) for c, t, rowid in schema(path)[table] if not rowid]
    values = []
    for column, declared in columns:
        if column == "user_id":
            values.append(user_id)
        elif column == "guild_id":
            values.append(guild_id)
        elif "INT" in declared:
            values.append(7)
        else:
            values.append(f"{table}-{column}")
    sql = f"INSERT INTO {table} ({', '.join(c for c, _ in columns)}) VALUES ({', '.join('?' for _ in columns)})"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(sql, values)


def rows_about(path: Path, table: str, user_id: int, guild_id: int | None = None) -> int:
    sql, params = f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", [user_id]
    if guild_id is not None:
        sql += " AND guild_id = ?"
        params.append(guild_id)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
async def store(tmp_path: Path):
    opened = await Store.open(tmp_path / "linkwise.db")
    try:
        yield opened
    finally:
        await opened.close()


@pytest.fixture
def seeded(store: Store) -> Path:
    path = Path(store.path)
    for table in user_tables_in(path):
        for user_id in (GONE, KEPT):
            for guild_id in (GUILD, OTHER_GUILD):
                seed(path, table, user_id, guild_id)
    return path


async def test_discovery_finds_every_table_with_a_user_column(store: Store):
    found = await userdata.user_tables(store)
    assert sorted(found) == user_tables_in(Path(store.path))
    # The foundation's tables are among them, so the discovery is not trivially empty.
    assert {"members", "member_weeks", "tip_seen", "tip_tried", "checklist_done"} <= set(found)


async def test_every_user_table_has_a_description_for_members(store: Store):
    missing = [t for t in user_tables_in(Path(store.path)) if not userdata.DESCRIPTIONS.get(t)]
    assert missing == [], f"add these to userdata.DESCRIPTIONS: {missing}"


async def test_people_columns_are_user_id_or_created_by(store: Store):
    """Data about a member is in ``user_id``; a counsellor who made something is ``created_by``.
    Any other column naming a person would escape export and deletion."""
    suspicious = [
        f"{table}.{column}"
        for table, columns in schema(Path(store.path)).items()
        for column, _, _ in columns
        if column not in ("user_id", "created_by")
        and (column.endswith("_by") or "user" in column or column in ("member_id", "author_id", "owner_id"))
    ]
    assert suspicious == []


async def test_export_has_the_members_rows_in_every_table_and_only_theirs(store: Store, seeded: Path):
    exported = await userdata.export_user(store, GONE, GUILD)

    assert sorted(exported) == user_tables_in(seeded)
    for table, rows in exported.items():
        assert len(rows) == 1, table
        assert (rows[0]["user_id"], rows[0]["guild_id"]) == (GONE, GUILD), table


async def test_delete_in_one_server_removes_every_row_there_and_nothing_else(store: Store, seeded: Path):
    counts = await userdata.delete_user(store, GONE, GUILD)

    tables = user_tables_in(seeded)
    assert counts == dict.fromkeys(counts, 1) and sorted(counts) == tables
    for table in tables:
        assert rows_about(seeded, table, GONE, GUILD) == 0, table
        assert rows_about(seeded, table, GONE, OTHER_GUILD) == 1, table
        assert rows_about(seeded, table, KEPT) == 2, table
    exported = await userdata.export_user(store, GONE, GUILD)
    assert all(rows == [] for rows in exported.values())


async def test_forget_everywhere_removes_the_member_from_every_server(store: Store, seeded: Path):
    counts = await userdata.delete_user(store, GONE, None)

    assert set(counts.values()) == {2}
    for table in user_tables_in(seeded):
        assert rows_about(seeded, table, GONE) == 0, table
        assert rows_about(seeded, table, KEPT) == 2, table


async def test_the_servers_own_content_is_not_a_members_data(store: Store, seeded: Path):
    """A counsellor's custom tips belong to the server: deleting the counsellor keeps them."""
    with contextlib.closing(sqlite3.connect(seeded)) as conn, conn:
        conn.execute(
            "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at) "
            "VALUES (?, 'tip', 'profile', 'Title', 'A body', ?, '2026-01-01T00:00:00+00:00')",
            (GUILD, GONE),
        )
    await userdata.delete_user(store, GONE, None)

    with contextlib.closing(sqlite3.connect(seeded)) as conn:
        assert conn.execute("SELECT COUNT(*) FROM custom_content").fetchone() == (1,)
