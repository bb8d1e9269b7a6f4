"""The progress bar, and checklist writes under concurrency (the real store, a real file)."""

from __future__ import annotations

import asyncio

import pytest

from bot.content import default_content
from bot.errors import Refusal
from bot.identity import Member
from bot.store import Store
from bot.ui import bar
from cogs.checklists import service as progress

BASICS = default_content().checklist("profile-basics")


@pytest.mark.parametrize(
    ("done", "total", "expected"),
    [
        (0, 10, "░░░░░░░░░░"),
        (3, 10, "███░░░░░░░"),
        (10, 10, "██████████"),
        (1, 61, "█░░░░░░░░░"),  # any progress shows
        (60, 61, "█████████░"),  # full only when finished
        (0, 0, "░░░░░░░░░░"),
        (12, 10, "██████████"),
    ],
)
def test_bar(done, total, expected):
    assert bar(done, total) == expected


async def test_fifty_members_ticking_at_once_and_double_submits_keep_exact_state(tmp_path):
    store = await Store.open(tmp_path / "lw.db")
    content = default_content()
    picks = list(BASICS.item_ids[:3])
    try:
        members = [Member(1, 100 + i, f"member {i}") for i in range(50)]
        results = await asyncio.gather(
            *(progress.set_done(content, store, m, BASICS, picks) for m in members),
            *(progress.set_done(content, store, m, BASICS, picks) for m in members),  # double submit
        )
        assert all(r.progress.count == 3 for r in results)
        rows = await store.fetchall("SELECT user_id, item_id FROM checklist_done")
        assert len(rows) == 150
        assert {(u, i) for u, i in rows} == {(m.user_id, i) for m in members for i in picks}
    finally:
        await store.close()


async def test_finishing_is_celebrated_exactly_once_even_when_submitted_twice_at_once(tmp_path):
    store = await Store.open(tmp_path / "lw.db")
    member = Member(1, 7, "Alice")
    try:
        everything = list(BASICS.item_ids)
        first, second = await asyncio.gather(
            progress.set_done(default_content(), store, member, BASICS, everything),
            progress.set_done(default_content(), store, member, BASICS, everything),
        )
        assert [first.just_finished, second.just_finished].count(True) == 1
    finally:
        await store.close()


async def test_forged_item_ids_are_refused_and_change_nothing(tmp_path):
    store = await Store.open(tmp_path / "lw.db")
    try:
        refused = await progress.set_done(default_content(), store, Member(1, 7, "A"), BASICS, ["not-an-item"])
        assert isinstance(refused, Refusal) and "no longer on" in refused.message
        assert await store.fetchval("SELECT COUNT(*) FROM checklist_done") == 0
    finally:
        await store.close()
