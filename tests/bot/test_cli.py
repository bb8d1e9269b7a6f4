"""The `linkwise` command, run as an operator runs it: a real process, its exit code and its words."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import time
from pathlib import Path

import pytest

from bot.store import InstanceLock, Store, latest_version
from tests.shell import FAKE_TOKEN, linkwise, output

SUBCOMMANDS = ("run", "demo", "check", "backup", "forget")

ALICE, BOB = 111111111111111111, 222222222222222222
GUILD_A, GUILD_B = 900000000000000001, 900000000000000002


def create_schema(path: Path) -> None:
    async def main() -> None:
        store = await Store.open(path)
        await store.close()

    asyncio.run(main())


def connect(path: Path):
    return contextlib.closing(sqlite3.connect(path))


def seed(path: Path) -> None:
    """Alice and Bob, each active in two servers, with tips seen and tried."""
    create_schema(path)
    with connect(path) as conn:
        for guild in (GUILD_A, GUILD_B):
            for user, name in ((ALICE, "Alice"), (BOB, "Bob")):
                conn.execute(
                    "INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
                        "VALUES (?, ?, ?, ?, ?)",
                    (guild, user, name, "2026-01-05T10:00:00+00:00", "2026-01-06T10:00:00+00:00"),
                )
                conn.execute("INSERT INTO member_weeks VALUES (?, ?, '2026-W02')", (guild, user))
                for tip in ("profile-clear-photo", "profile-headline-target-role"):
                    conn.execute(
                        "INSERT INTO tip_seen VALUES (?, ?, 'all', ?, '2026-01-05T10:00:00+00:00')",
                        (guild, user, tip),
                    )
                conn.execute(
                    "INSERT INTO tip_tried VALUES (?, ?, 'profile-clear-photo', '2026-01-05T10:00:00+00:00')",
                    (guild, user),
                )
        conn.execute("INSERT INTO meta VALUES ('command_tree_hash:global', 'abc')")
        conn.commit()


USER_TABLES = ("members", "member_weeks", "tip_seen", "tip_tried")


def rows_of(path: Path, user_id: int) -> dict[str, int]:
    with connect(path) as conn:
        return {
            table: conn.execute(f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (user_id,)).fetchone()[0]
            for table in USER_TABLES
        }


# ---------------------------------------------------------------------- help
def test_help_lists_every_command(tmp_path):
    result = linkwise(tmp_path, "--help")
    assert result.returncode == 0, result.stderr
    for name in SUBCOMMANDS:
        assert name in result.stdout
    assert "Traceback" not in output(result)


@pytest.mark.parametrize("name", SUBCOMMANDS)
def test_every_subcommand_has_help(tmp_path, name):
    result = linkwise(tmp_path, name, "--help")
    assert result.returncode == 0, result.stderr
    assert f"linkwise {name}" in result.stdout
    assert "Traceback" not in output(result)
    assert list(tmp_path.iterdir()) == []  # asking for help touches nothing


def test_no_command_is_a_usage_error(tmp_path):
    result = linkwise(tmp_path)
    assert result.returncode != 0
    assert "usage: linkwise" in result.stderr
    assert "Traceback" not in output(result)


# ---------------------------------------------------------------------- run
def test_run_without_a_token_exits_quickly_naming_the_variable_and_the_example(tmp_path):
    started = time.monotonic()
    result = linkwise(tmp_path, "run", timeout=10)
    assert time.monotonic() - started < 10
    assert result.returncode != 0
    assert "DISCORD_TOKEN" in result.stderr
    assert ".env.example" in result.stderr
    assert "Traceback" not in output(result)
    assert not (tmp_path / "linkwise.db").exists()  # nothing was created


def test_run_reads_dot_env_from_the_working_directory(tmp_path):
    secret = "not-a-token-from-dotenv"
    (tmp_path / ".env").write_text(f"DISCORD_TOKEN={secret}\n", encoding="utf-8")
    result = linkwise(tmp_path, "run", timeout=10)
    assert result.returncode != 0
    assert "does not look like a bot token" in result.stderr  # it was read, and judged
    assert secret not in output(result)
    assert "Traceback" not in output(result)


def test_run_with_a_malformed_token_does_not_echo_it(tmp_path):
    secret = "hunter2-is-my-password"
    result = linkwise(tmp_path, "run", timeout=10, DISCORD_TOKEN=secret)
    assert result.returncode != 0
    assert "DISCORD_TOKEN" in result.stderr
    assert secret not in output(result)
    assert "Traceback" not in output(result)


def test_run_with_a_bad_setting_names_it(tmp_path):
    result = linkwise(tmp_path, "run", timeout=10, DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_LOG_LEVEL="loud")
    assert result.returncode != 0
    assert "LINKWISE_LOG_LEVEL" in result.stderr
    assert FAKE_TOKEN not in output(result)
    assert "Traceback" not in output(result)


def test_a_second_instance_on_the_same_database_refuses(tmp_path):
    db = tmp_path / "group.db"
    lock = InstanceLock(db)
    assert lock.acquire()
    try:
        result = linkwise(tmp_path, "run", timeout=10, DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DB_PATH=str(db))
    finally:
        lock.release()
    assert result.returncode != 0
    assert "already running" in result.stderr
    assert str(db) in result.stderr
    assert FAKE_TOKEN not in output(result)
    assert "Traceback" not in output(result)


def test_run_with_a_fake_token_fails_fast_without_showing_it(tmp_path):
    db = tmp_path / "group.db"
    started = time.monotonic()
    result = linkwise(tmp_path, "run", timeout=20, DISCORD_TOKEN=FAKE_TOKEN, LINKWISE_DB_PATH=str(db))
    assert time.monotonic() - started < 20
    assert result.returncode != 0  # no network here, and Discord would reject the token anyway
    assert FAKE_TOKEN not in output(result)
    for part in FAKE_TOKEN.split("."):
        assert part not in output(result)
    assert "Traceback" not in output(result)
    assert "linkwise:" in result.stderr  # a one-line reason from Linkwise itself
    # The lock was released on the way out: another instance may start now.
    lock = InstanceLock(db)
    assert lock.acquire()
    lock.release()


# ---------------------------------------------------------------------- check
def test_check_on_a_fresh_path(tmp_path):
    result = linkwise(tmp_path, "check", "--db", "tmp/x.db")
    assert result.returncode == 0, output(result)
    assert "settings: ok" in result.stdout
    assert "content: ok" in result.stdout
    assert "does not exist yet" in result.stdout
    assert not (tmp_path / "tmp" / "x.db").exists()  # check only looks
    assert "Traceback" not in output(result)


def test_check_validates_the_french_content_too(tmp_path):
    """The French files are loaded against the English (a broken one fails the check, like broken
    English: see tests/bot/content/test_content_fr.py), and the check says what is not translated yet."""
    from bot.content import load_content

    french = load_content().localized("fr")
    result = linkwise(tmp_path, "check", "--db", "tmp/x.db")
    assert result.returncode == 0, output(result)
    (line,) = [line for line in result.stdout.splitlines() if line.startswith("content (fr): ")]
    if french.untranslated:
        assert f"{len(french.untranslated)} entries not translated yet, shown in English" in line
        assert french.untranslated[0].split(": ")[0] in line
    else:
        assert line == "content (fr): ok, every entry translated"


def test_check_on_a_migrated_database(tmp_path):
    create_schema(tmp_path / "tmp" / "x.db")
    result = linkwise(tmp_path, "check", "--db", "tmp/x.db")
    assert result.returncode == 0, output(result)
    assert "database: ok" in result.stdout
    assert f"schema {latest_version()}" in result.stdout


def test_check_uses_linkwise_db_path(tmp_path):
    create_schema(tmp_path / "env.db")
    result = linkwise(tmp_path, "check", LINKWISE_DB_PATH="env.db")
    assert result.returncode == 0, output(result)
    assert "env.db" in result.stdout


def test_check_refuses_a_database_from_a_newer_linkwise(tmp_path):
    db = tmp_path / "tmp" / "x.db"
    create_schema(db)
    with connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
    result = linkwise(tmp_path, "check", "--db", "tmp/x.db")
    assert result.returncode != 0
    text = output(result)
    assert "newer" in text
    assert "999" in text
    assert f"up to {latest_version()}" in text
    assert "Traceback" not in text


def test_check_reports_a_file_that_is_not_a_database(tmp_path):
    (tmp_path / "x.db").write_bytes(b"this is not SQLite " * 100)
    result = linkwise(tmp_path, "check", "--db", "x.db")
    assert result.returncode != 0
    assert "database:" in result.stdout
    assert "Traceback" not in output(result)


def test_check_reports_bad_settings(tmp_path):
    result = linkwise(tmp_path, "check", LINKWISE_DEV_GUILD_ID="my-server")
    assert result.returncode != 0
    assert "LINKWISE_DEV_GUILD_ID" in output(result)
    assert "Traceback" not in output(result)


# ---------------------------------------------------------------------- backup
def test_backup_makes_a_sound_copy_with_the_rows(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    result = linkwise(tmp_path, "backup", "copies/copy.db", "--db", str(db))
    assert result.returncode == 0, output(result)
    assert "integrity check: ok" in result.stdout
    copy = tmp_path / "copies" / "copy.db"
    with connect(copy) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == latest_version()
        assert conn.execute("SELECT COUNT(*) FROM members").fetchone()[0] == 4
        assert conn.execute("SELECT COUNT(*) FROM tip_seen").fetchone()[0] == 8
    assert rows_of(copy, ALICE) == rows_of(db, ALICE)


def test_backup_while_the_database_is_in_use(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    with connect(db) as live:  # an open connection with uncommitted work, as a running bot has
        live.execute("INSERT INTO meta VALUES ('uncommitted', 'x')")
        result = linkwise(tmp_path, "backup", "copy.db", "--db", str(db), LINKWISE_DB_PATH="ignored.db")
        live.rollback()
    assert result.returncode == 0, output(result)
    with connect(tmp_path / "copy.db") as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert conn.execute("SELECT COUNT(*) FROM meta WHERE key = 'uncommitted'").fetchone()[0] == 0
        assert conn.execute("SELECT COUNT(*) FROM tip_tried").fetchone()[0] == 4


def test_backup_does_not_overwrite_without_force(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    target = tmp_path / "copy.db"
    target.write_bytes(b"precious")
    result = linkwise(tmp_path, "backup", str(target), "--db", str(db))
    assert result.returncode != 0
    assert "already exists" in result.stderr
    assert "--force" in result.stderr
    assert target.read_bytes() == b"precious"

    result = linkwise(tmp_path, "backup", str(target), "--db", str(db), "--force")
    assert result.returncode == 0, output(result)
    with connect(target) as conn:
        assert conn.execute("SELECT COUNT(*) FROM members").fetchone()[0] == 4


def test_backup_without_a_database_says_so(tmp_path):
    result = linkwise(tmp_path, "backup", "copy.db", "--db", "missing.db")
    assert result.returncode != 0
    assert "no database" in result.stderr
    assert "missing.db" in result.stderr
    assert not (tmp_path / "missing.db").exists()
    assert not (tmp_path / "copy.db").exists()
    assert "Traceback" not in output(result)


# ---------------------------------------------------------------------- forget
def test_forget_removes_the_user_in_every_server_and_keeps_everyone_else(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    bob_before = rows_of(db, BOB)
    result = linkwise(tmp_path, "forget", str(ALICE), "--db", str(db))
    assert result.returncode == 0, output(result)
    assert rows_of(db, ALICE) == dict.fromkeys(USER_TABLES, 0)
    assert rows_of(db, BOB) == bob_before == {"members": 2, "member_weeks": 2, "tip_seen": 4, "tip_tried": 2}
    assert str(ALICE) in result.stdout
    assert "removed 10 row(s)" in result.stdout
    with connect(db) as conn:
        assert conn.execute("SELECT COUNT(*) FROM meta").fetchone()[0] == 1

    again = linkwise(tmp_path, "forget", str(ALICE), "--db", str(db))
    assert again.returncode == 0, output(again)
    assert "removed 0 row(s)" in again.stdout
    assert "nothing was stored" in again.stdout


def test_forget_uses_linkwise_db_path(tmp_path):
    seed(tmp_path / "env.db")
    result = linkwise(tmp_path, "forget", str(BOB), LINKWISE_DB_PATH="env.db")
    assert result.returncode == 0, output(result)
    assert rows_of(tmp_path / "env.db", BOB) == dict.fromkeys(USER_TABLES, 0)
    assert rows_of(tmp_path / "env.db", ALICE)["members"] == 2


def test_forget_on_a_database_that_does_not_exist_says_so_and_creates_nothing(tmp_path):
    """A mistyped path must not look like a deletion that was carried out."""
    result = linkwise(tmp_path, "forget", str(ALICE), "--db", "empty/none.db")
    assert result.returncode != 0
    assert "does not exist" in result.stderr
    assert "empty/none.db" in result.stderr
    assert "--db" in result.stderr and "LINKWISE_DB_PATH" in result.stderr
    assert "nothing was deleted" in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in output(result)
    assert list(tmp_path.iterdir()) == []  # no database, no folder, no lock file


def test_forget_on_a_missing_linkwise_db_path_names_it(tmp_path):
    result = linkwise(tmp_path, "forget", str(ALICE), LINKWISE_DB_PATH="typo.db")
    assert result.returncode != 0
    assert "typo.db" in result.stderr and "does not exist" in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_forget_on_a_file_that_is_not_a_database_says_so(tmp_path):
    notes = tmp_path / "notes.db"
    notes.write_bytes(b"these are my notes, not SQLite " * 50)
    result = linkwise(tmp_path, "forget", str(ALICE), "--db", str(notes))
    assert result.returncode != 0
    assert "cannot be read as a Linkwise database" in result.stderr
    assert "Traceback" not in output(result)
    assert notes.read_bytes() == b"these are my notes, not SQLite " * 50


@pytest.mark.parametrize(
    "user_id",
    ["9223372036854775808", "18446744073709551616", "9" * 40, "0", "000"],
    ids=["2^63", "2^64", "40 digits", "zero", "zeros"],
)
def test_forget_with_an_id_no_discord_user_can_have_is_refused(tmp_path, user_id):
    db = tmp_path / "group.db"
    seed(db)
    result = linkwise(tmp_path, "forget", "--db", str(db), "--", user_id)
    assert result.returncode != 0
    text = output(result)
    assert "Traceback" not in text
    assert len(result.stderr.strip().splitlines()) == 1  # one clear line
    assert "USER_ID" in result.stderr and "9223372036854775807" in result.stderr
    assert rows_of(db, ALICE)["members"] == 2


def test_forget_accepts_the_largest_id_sqlite_can_hold(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    result = linkwise(tmp_path, "forget", "--db", str(db), str(2**63 - 1))
    assert result.returncode == 0, output(result)
    assert "nothing was stored" in result.stdout


@pytest.mark.parametrize("user_id", ["alice", "@alice", "12a4", "-5", "1.5", "¹²³"])
def test_forget_with_an_id_that_is_not_a_number_is_refused(tmp_path, user_id):
    db = tmp_path / "group.db"
    seed(db)
    result = linkwise(tmp_path, "forget", "--db", str(db), "--", user_id)
    assert result.returncode != 0
    assert "USER_ID" in result.stderr
    assert "digits" in result.stderr
    assert "Traceback" not in output(result)
    assert rows_of(db, ALICE)["members"] == 2


def test_forget_refuses_a_database_from_a_newer_linkwise(tmp_path):
    db = tmp_path / "group.db"
    seed(db)
    with connect(db) as conn:
        conn.execute("PRAGMA user_version = 999")
        conn.commit()
    result = linkwise(tmp_path, "forget", str(ALICE), "--db", str(db))
    assert result.returncode != 0
    assert "newer" in result.stderr
    assert "Traceback" not in output(result)
    with connect(db) as conn:
        assert conn.execute("PRAGMA user_version").fetchone()[0] == 999
        assert conn.execute("SELECT COUNT(*) FROM members WHERE user_id = ?", (ALICE,)).fetchone()[0] == 2
