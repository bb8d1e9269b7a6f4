"""A new database starts as a copy of the migrated empty one (bot.store.fresh), on real files:
the copy has exactly the schema the migrations make, never anyone's data, never replaces a
file, and a template that does not fit is ignored (the database is migrated as before)."""

from __future__ import annotations

import logging
import sqlite3
from pathlib import Path

import pytest

import bot.store
from bot.store import Store, fresh, latest_version, load_migrations


@pytest.fixture
def templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Templates kept under this test's own folder (the migrations are still the shipped ones)."""
    folder = tmp_path / "migrations"
    monkeypatch.setattr(bot.store, "MIGRATIONS_DIR", folder)
    return folder


def schema(path: Path) -> tuple[int, list[tuple[str, str, str, str]]]:
    conn = sqlite3.connect(path)
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        objects = conn.execute("SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name").fetchall()
        return version, objects
    finally:
        conn.close()


def template_of(folder: Path) -> Path:
    return fresh.template_path(folder, load_migrations())


async def opened(path: Path) -> None:
    store = await Store.open(path)
    await store.close()


async def test_a_second_new_database_is_a_copy_with_exactly_the_migrated_schema(tmp_path, templates, caplog):
    caplog.set_level(logging.INFO, logger="bot.store")
    await opened(tmp_path / "first.db")
    assert "migrated from schema 0" in caplog.text
    assert template_of(templates).is_file()
    caplog.clear()

    await opened(tmp_path / "second.db")

    assert "created at schema" in caplog.text and "migrated" not in caplog.text
    assert schema(tmp_path / "second.db") == schema(tmp_path / "first.db")
    assert schema(tmp_path / "second.db")[0] == latest_version()


async def test_the_copy_holds_none_of_the_first_databases_data(tmp_path, templates):
    store = await Store.open(tmp_path / "first.db")
    await store.write(("INSERT INTO meta (key, value) VALUES ('command_tree_hash:global', 'abc')", ()))
    await store.close()

    store = await Store.open(tmp_path / "second.db")
    try:
        assert await store.fetchall("SELECT * FROM meta") == []
        await store.write(("INSERT INTO meta (key, value) VALUES ('k', 'v')", ()))  # and it takes writes
        assert await store.fetchval("SELECT value FROM meta WHERE key = 'k'") == "v"
    finally:
        await store.close()


async def test_an_existing_file_is_opened_as_it_is_never_replaced_by_a_copy(tmp_path, templates):
    await opened(tmp_path / "first.db")
    older = tmp_path / "older.db"
    with sqlite3.connect(older) as conn:  # a database some earlier tool left, at version 0
        conn.execute("CREATE TABLE notes (text TEXT)")
        conn.execute("INSERT INTO notes VALUES ('keep me')")
    conn.close()

    await opened(older)

    with sqlite3.connect(older) as conn:
        assert conn.execute("SELECT text FROM notes").fetchall() == [("keep me",)]
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
    conn.close()


@pytest.mark.parametrize(
    "damage",
    [b"not a database at all", b"SQLite format 3\x00" + b"\x00" * 84],  # the second: at schema 0
    ids=["not-sqlite", "wrong-version"],
)
async def test_a_template_that_does_not_fit_is_ignored_and_the_database_migrated(tmp_path, templates, caplog, damage):
    template = template_of(templates)
    template.parent.mkdir(parents=True)
    template.write_bytes(damage)
    caplog.set_level(logging.INFO, logger="bot.store")

    await opened(tmp_path / "new.db")

    assert "migrated from schema 0" in caplog.text
    assert schema(tmp_path / "new.db")[0] == latest_version()
    assert template.read_bytes().startswith(b"SQLite format 3\x00") and template.stat().st_size > len(damage)


async def test_other_migrations_have_a_template_of_their_own(tmp_path, templates):
    migrations = load_migrations()
    await opened(tmp_path / "first.db")
    fewer = fresh.template_path(templates, migrations[:-1])

    assert fewer != template_of(templates)
    assert not fewer.exists()
    assert fresh.create_from_template(str(tmp_path / "x.db"), fewer, len(migrations) - 1) is False
    assert not (tmp_path / "x.db").exists()


async def test_an_unwritable_template_folder_only_means_migrating_every_time(tmp_path, templates, caplog):
    templates.mkdir()
    (templates / "__pycache__").write_text("a file where the folder would go")
    caplog.set_level(logging.INFO, logger="bot.store")

    for name in ("a.db", "b.db"):
        await opened(tmp_path / name)

    assert caplog.text.count("migrated from schema 0") == 2
    assert schema(tmp_path / "a.db") == schema(tmp_path / "b.db")
