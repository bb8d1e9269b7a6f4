"""A second `linkwise run` on the same database refuses to start (issue 10, case 21).

The plain case (a second run on the same path while the first holds the lock) is covered by
tests/bot/test_cli.py::test_a_second_instance_on_the_same_database_refuses and
tests/bot/store/test_store.py::test_instance_lock_is_exclusive_until_released. What is left: the same
database reached under another name.
"""

from __future__ import annotations

import os

import pytest

from bot.store import InstanceLock
from tests.backends import sqlite_only

pytestmark = sqlite_only(
    "the lock file beside a SQLite database reached under another name; on PostgreSQL the instance lock "
    "is an advisory lock held by the server: tests/bot/test_cli_postgres.py and tests/bot/store/test_postgres.py"
)


def refused(result) -> bool:
    return result.returncode == 3 and "already running" in result.stderr


@pytest.mark.parametrize("held", ["real", "link"])
def test_a_second_run_through_a_symbolic_link_is_refused(tmp_path, linkwise, fake_token, held):
    real = tmp_path / "data" / "group.db"
    real.parent.mkdir()
    real.touch()
    link = tmp_path / "group-link.db"
    link.symlink_to(real)
    first = InstanceLock(real if held == "real" else link)
    assert first.acquire()
    try:
        other = link if held == "real" else real
        result = linkwise(tmp_path, "run", DISCORD_TOKEN=fake_token, LINKWISE_DB_PATH=str(other))
    finally:
        first.release()

    assert refused(result), result.stderr
    assert fake_token not in result.stdout + result.stderr


def test_a_second_run_from_another_directory_with_a_relative_path_is_refused(tmp_path, linkwise, fake_token):
    (tmp_path / "elsewhere").mkdir()
    db = tmp_path / "group.db"
    first = InstanceLock(db)
    assert first.acquire()
    try:
        result = linkwise(
            tmp_path / "elsewhere", "run", DISCORD_TOKEN=fake_token, LINKWISE_DB_PATH=os.path.join("..", "group.db")
        )
    finally:
        first.release()

    assert refused(result), result.stderr
