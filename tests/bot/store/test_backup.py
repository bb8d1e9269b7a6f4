"""A backup taken while members keep writing (issue 10, case 14): no "database is locked", no
lost update, and every copy is sound and holds whole writes only."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3

from bot.content import default_content
from bot.identity import Member
from bot.store import Store, backup_database
from cogs.checklists import service as progress
from tests.backends import sqlite_only

pytestmark = sqlite_only(
    "SQLite's online backup of the file while members write; on PostgreSQL a backup is pg_dump's: "
    "tests/bot/test_cli_postgres.py::test_backup_runs_pg_dump_and_the_copy_restores"
)

CONTENT = default_content()
BASICS = CONTENT.checklist("profile-basics")
GUILD = 900000000000000001


def snapshot(path) -> tuple[str, dict[int, int], int]:
    """(integrity check, checklist rows per member, members) of the database at ``path``."""
    with contextlib.closing(sqlite3.connect(path)) as conn:
        check = conn.execute("PRAGMA integrity_check").fetchone()[0]
        done = dict(conn.execute("SELECT user_id, COUNT(*) FROM checklist_done GROUP BY user_id").fetchall())
        members = conn.execute("SELECT COUNT(*) FROM members").fetchone()[0]
    return check, done, members


async def test_backups_during_five_hundred_writes_lose_nothing_and_copy_whole_writes(tmp_path):
    path = tmp_path / "linkwise.db"
    store = await Store.open(path)
    members = [Member(GUILD, 1000 + n, f"Member {n}") for n in range(500)]
    picks = list(BASICS.item_ids[:3])  # every write ticks three items and touches its member
    writing = True

    async def member_ticks(n: int, member: Member) -> progress.SetResult:
        await asyncio.sleep(n / 2000)  # members arrive over a quarter of a second
        return await progress.set_done(CONTENT, store, member, BASICS, picks)

    async def backups() -> list[tuple[str, object]]:
        copies = []
        while writing or not copies:
            target = tmp_path / f"copy-{len(copies)}.db"
            copies.append((await asyncio.to_thread(backup_database, path, target), target))
        return copies

    async def all_ticks() -> list[progress.SetResult]:
        nonlocal writing
        try:
            return await asyncio.gather(*(member_ticks(n, m) for n, m in enumerate(members)))
        finally:
            writing = False

    try:
        written, copies = await asyncio.gather(all_ticks(), backups())
    finally:
        await store.close()

    assert len(written) == 500 and all(r.progress.count == 3 for r in written)  # no "database is locked"
    check, done, count = snapshot(path)
    assert check == "ok"
    assert done == {m.user_id: 3 for m in members}  # no lost update
    assert count == 500
    seen = []
    for result, target in copies:
        assert result == "ok"
        check, done, count = snapshot(target)
        assert check == "ok"
        assert set(done.values()) <= {3}, "a copy holds part of a write"
        assert count == len(done)  # each member's touch came with their ticks, in one transaction
        seen.append(count)
    assert seen == sorted(seen)  # each copy is a later moment of the same history
    assert any(0 < n < 500 for n in seen), "no backup overlapped the writes; the test proves nothing"
