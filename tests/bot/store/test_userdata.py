"""Export and deletion cover every table that holds rows about a member, or names one.

The schema is read independently here (not through ``userdata.tables``): every table with a
``user_id`` column, or a column ending in ``_by``, gets one row for each of two members in two
servers, and the checks say which table failed.
"""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from bot.store import Store, userdata
from tests.backends import sqlite_only

pytestmark = sqlite_only(
    "reads the schema independently from SQLite's own catalogue (declared types, rowid aliases); on "
    "PostgreSQL export and deletion of every table are checked by the privacy and deletion SimCord tests"
)

GUILD, OTHER_GUILD = 111, 222
GONE, KEPT = 1001, 1002


def schema(path: Path) -> dict[str, list[tuple[str, str, bool, bool]]]:
    """table -> [(column, declared type, part of an INTEGER PRIMARY KEY alias, NOT NULL)]."""
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
                (c[1], c[2].upper(), len(keys) == 1 and c[5] == 1 and c[2].upper() == "INTEGER", bool(c[3]))
                for c in info
            ]
        return out


def user_tables_in(path: Path) -> list[str]:
    return sorted(t for t, columns in schema(path).items() if any(c == "user_id" for c, _, _, _ in columns))


def by_columns_in(path: Path) -> dict[str, list[tuple[str, bool]]]:
    """table -> [(column, NOT NULL)] for every column naming who did something (``*_by``)."""
    found = {
        table: [(c, notnull) for c, _, _, notnull in columns if c.endswith("_by")]
        for table, columns in schema(path).items()
    }
    return {table: columns for table, columns in found.items() if columns}


def people_tables_in(path: Path) -> list[str]:
    return sorted(set(user_tables_in(path)) | set(by_columns_in(path)))


FIXED = {"kind": "tip", "status": "pending", "counsellor": 0}  # columns with a CHECK on their values


def seed(path: Path, table: str, user_id: int, guild_id: int) -> None:
    """One row about (or made by) ``user_id`` in ``table``, whatever its other columns are."""
    columns = [(c, t) for c, t, rowid, _ in schema(path)[table] if not rowid]
    values = []
    for column, declared in columns:
        if column == "user_id" or column.endswith("_by"):
            values.append(user_id)
        elif column == "guild_id":
            values.append(guild_id)
        elif column in FIXED:
            values.append(FIXED[column])
        elif "INT" in declared:
            values.append(7)
        else:
            values.append(f"{table}-{column}")
    sql = f"INSERT INTO {table} ({', '.join(c for c, _ in columns)}) VALUES ({', '.join('?' for _ in columns)})"
    with contextlib.closing(sqlite3.connect(path)) as conn, conn:
        conn.execute(sql, values)


def naming(path: Path, table: str, user_id: int, guild_id: int | None = None) -> int:
    """Rows of ``table`` about ``user_id`` or naming them in a ``*_by`` column."""
    tests = ["user_id = ?"] if table in user_tables_in(path) else []
    tests += [f"{c} = ?" for c, _ in by_columns_in(path).get(table, [])]
    sql, params = f"SELECT COUNT(*) FROM {table} WHERE ({' OR '.join(tests)})", [user_id] * len(tests)
    if guild_id is not None:
        sql += " AND guild_id = ?"
        params.append(guild_id)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


def rows_about(path: Path, table: str, user_id: int, guild_id: int | None = None) -> int:
    sql, params = f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", [user_id]
    if guild_id is not None:
        sql += " AND guild_id = ?"
        params.append(guild_id)
    with contextlib.closing(sqlite3.connect(path)) as conn:
        return conn.execute(sql, params).fetchone()[0]


@pytest.fixture
def seeded(store: Store) -> Path:
    path = Path(store.path)
    for table in people_tables_in(path):
        for user_id in (GONE, KEPT):
            for guild_id in (GUILD, OTHER_GUILD):
                seed(path, table, user_id, guild_id)
    return path


async def test_discovery_finds_every_table_with_a_user_column(store: Store):
    found = await userdata.user_tables(store)
    assert sorted(found) == user_tables_in(Path(store.path))
    # The foundation's tables are among them, so the discovery is not trivially empty.
    assert {"members", "member_weeks", "tip_seen", "tip_tried", "checklist_done"} <= set(found)


async def test_discovery_finds_every_column_naming_who_did_something(store: Store):
    found = {t.name: [c for c, _ in t.by] for t in await userdata.tables(store) if t.by}
    expected = {table: [c for c, _ in columns] for table, columns in by_columns_in(Path(store.path)).items()}
    assert found == expected
    assert {
        "schedules": ["created_by", "paused_by"],
        "custom_content": ["created_by", "suggested_by"],
        "suggestions": ["decided_by"],
    }.items() <= found.items()


async def test_every_table_about_people_has_a_description_for_members(store: Store):
    missing = [t for t in people_tables_in(Path(store.path)) if not userdata.DESCRIPTIONS.get(t)]
    assert missing == [], f"add these to userdata.DESCRIPTIONS: {missing}"


async def test_people_columns_are_user_id_or_end_in_by(store: Store):
    """Data about a member is in ``user_id``; a member who did something for the server is in a
    ``*_by`` column. Any other column naming a person would escape export and deletion."""
    suspicious = [
        f"{table}.{column}"
        for table, columns in schema(Path(store.path)).items()
        for column, _, _, _ in columns
        if column != "user_id"
        and not column.endswith("_by")
        and ("user" in column or column in ("member_id", "author_id", "owner_id", "name", "display_name"))
    ]
    assert suspicious == ["members.display_name"]  # removed with the member's row


async def test_export_has_the_members_rows_in_every_table_and_only_theirs(store: Store, seeded: Path):
    exported = await userdata.export_user(store, GONE, GUILD)

    assert sorted(exported) == people_tables_in(seeded)
    by = by_columns_in(seeded)
    for table, rows in exported.items():
        assert len(rows) == 1, table
        assert rows[0]["guild_id"] == GUILD, table
        names = [rows[0].get("user_id")] + [rows[0][c] for c, _ in by.get(table, [])]
        assert set(names) - {None} == {GONE}, table


async def test_delete_in_one_server_removes_or_unnames_every_row_there_and_nothing_else(store: Store, seeded: Path):
    done = await userdata.delete_user(store, GONE, GUILD)

    assert done.removed == dict.fromkeys(user_tables_in(seeded), 1)
    # A row about the member that also names who decided it (their own suggestion) goes whole.
    about = set(user_tables_in(seeded))
    assert done.unnamed == {t: 0 if t in about else 1 for t in by_columns_in(seeded)}
    for table in people_tables_in(seeded):
        assert naming(seeded, table, GONE, GUILD) == 0, table
        assert naming(seeded, table, GONE, OTHER_GUILD) == 1, table
        assert naming(seeded, table, KEPT) == 2, table
    # The server's rows stay, with the id off them: NULL where allowed, else 0 (nobody).
    with contextlib.closing(sqlite3.connect(seeded)) as conn:
        for table, columns in by_columns_in(seeded).items():
            if table in user_tables_in(seeded):
                continue
            row = conn.execute(
                f"SELECT {', '.join(c for c, _ in columns)} FROM {table} WHERE guild_id = ? "
                f"AND COALESCE({columns[0][0]}, 0) != ?",
                (GUILD, KEPT),
            ).fetchone()
            assert row == tuple(0 if notnull else None for _, notnull in columns), table
    exported = await userdata.export_user(store, GONE, GUILD)
    assert all(rows == [] for rows in exported.values())


async def test_forget_everywhere_removes_the_member_from_every_server(store: Store, seeded: Path):
    done = await userdata.delete_user(store, GONE, None)

    assert set(done.removed.values()) == {2}
    about = set(user_tables_in(seeded))
    servers_rows = set(by_columns_in(seeded)) - about
    assert {t: n for t, n in done.unnamed.items() if t not in about} == dict.fromkeys(servers_rows, 2)
    for table in people_tables_in(seeded):
        assert naming(seeded, table, GONE) == 0, table
        assert naming(seeded, table, KEPT) == 2, table


async def test_the_servers_own_content_is_not_a_members_data(store: Store, seeded: Path):
    """A counsellor's custom tips belong to the server: deleting the counsellor keeps them,
    without their id."""
    with contextlib.closing(sqlite3.connect(seeded)) as conn, conn:
        conn.execute("DELETE FROM custom_content")
        conn.execute(
            "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at) "
            "VALUES (?, 'tip', 'profile', 'Title', 'A body', ?, '2026-01-01T00:00:00+00:00')",
            (GUILD, GONE),
        )
    await userdata.delete_user(store, GONE, None)

    with contextlib.closing(sqlite3.connect(seeded)) as conn:
        assert conn.execute("SELECT title, created_by FROM custom_content").fetchall() == [("Title", 0)]
