"""The group chart's history and the suggestion queue's queries, on both engines."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.clock import iso
from bot.content import default_content
from bot.store import members
from cogs.checklists.queries import set_done
from cogs.group import history
from cogs.suggestions import queries, rules

GUILD = 900_000_000_000_000_001
ALICE, BOB, MORGAN = 111_111_111_111_111_111, 222_222_222_222_222_222, 333_333_333_333_333_333
NOW = datetime(2026, 12, 2, 12, 0, tzinfo=UTC)  # a Wednesday
CONTENT = default_content()
BASICS = CONTENT.checklist("profile-basics")
ITEMS = [i.id for i in BASICS.items]
ALL_ITEMS = sum(len(c.items) for c in CONTENT.checklists)


def act(user_id, name, at, done=None, *, manage_guild=False):
    standing = members.Standing(manage_guild, ())
    statements = [*members.touch(GUILD, user_id, name, at, standing)]
    if done is not None:
        statements += set_done(GUILD, user_id, BASICS.id, done, at)
    return statements


async def test_history_counts_members_not_counsellors_and_keeps_unticks(store):
    three_weeks_ago = NOW - timedelta(weeks=3)
    await store.write(*act(ALICE, "Alice", three_weeks_ago, ITEMS[:2]))
    await store.write(*act(MORGAN, "Morgan", three_weeks_ago, ITEMS, manage_guild=True))
    await store.write(*act(BOB, "Bob", NOW - timedelta(weeks=1), ITEMS[:1]))
    await store.write(*act(ALICE, "Alice", NOW, ITEMS[:1]))  # this week: one item unticked

    weeks = await history.history(CONTENT, store, GUILD, NOW)

    assert [w.active for w in weeks[-4:]] == [1, 0, 1, 1]
    assert weeks[-5].completion is None
    completions = [round(w.completion, 4) for w in weeks[-4:]]
    expected = [2 / ALL_ITEMS, 2 / ALL_ITEMS, 3 / (2 * ALL_ITEMS), 2 / (2 * ALL_ITEMS)]
    assert completions == [round(100 * e, 4) for e in expected]
    assert len(await store.fetchall("SELECT * FROM checklist_undone")) == 1


async def test_an_untick_within_the_week_of_its_tick_is_not_kept(store):
    await store.write(*act(ALICE, "Alice", NOW - timedelta(hours=1), ITEMS[:2]))
    await store.write(*act(ALICE, "Alice", NOW, ITEMS[:1]))
    assert await store.fetchall("SELECT * FROM checklist_undone") == []


async def test_a_suggestion_is_limited_and_approved_once(store):
    for n in range(rules.PER_DAY):
        counts = await store.write(queries.add(GUILD, ALICE, "prompt", None, None, f"Question {n}?", NOW))
        assert counts.returned(0)
    refused = await store.write(queries.add(GUILD, ALICE, "prompt", None, None, "One more?", NOW))
    assert not refused.returned(0)
    recent = await queries.recent(store, GUILD, ALICE, NOW)
    assert rules.next_allowed(recent, NOW) == NOW + rules.DAY

    first = await queries.approve(store, GUILD, 1, MORGAN, NOW)
    again = await queries.approve(store, GUILD, 1, MORGAN, NOW)
    assert first is not None and again is None
    row = await store.fetchone("SELECT kind, body, created_by, suggested_by FROM custom_content WHERE id = ?", (first,))
    assert tuple(row) == ("prompt", "Question 0?", MORGAN, ALICE)
    assert (await queries.get(store, GUILD, 1)).content_id == first
    assert not await queries.decline(store, GUILD, 1, MORGAN, "late", NOW)
    assert await queries.decline(store, GUILD, 2, MORGAN, "Not now.", NOW)
    assert [(s.id, s.status, s.reason) for s in await queries.of_member(store, GUILD, ALICE, 10)] == [
        (3, "pending", None),
        (2, "declined", "Not now."),
        (1, "approved", None),
    ]
    assert await queries.pending_count(store, GUILD) == 1


async def test_the_server_pending_limit_holds(store):
    statements = [
        (
            "INSERT INTO suggestions (guild_id, user_id, kind, body, status, created_at) VALUES (?, ?, 'prompt', ?, "
            "'pending', ?)",
            (GUILD, 1000 + n, f"Q{n}?", iso(NOW - timedelta(days=2))),
        )
        for n in range(rules.PENDING_MAX)
    ]
    await store.write(*statements)
    refused = await store.write(queries.add(GUILD, ALICE, "prompt", None, None, "Mine?", NOW))
    assert not refused.returned(0)


async def test_the_counsellor_role_is_read_as_set_when_the_member_acts(store):
    role = 444_444_444_444_444_444
    await store.write(("INSERT INTO guild_settings (guild_id, counsellor_role_id) VALUES (?, ?)", (GUILD, role)))
    await store.write(*members.touch(GUILD, ALICE, "Alice", NOW, members.Standing(False, (role, 5))))
    await store.write(*members.touch(GUILD, BOB, "Bob", NOW, members.Standing(False, (5,))))
    flags = {int(r[0]): int(r[1]) for r in await store.fetchall("SELECT user_id, counsellor FROM members")}
    assert flags == {ALICE: 1, BOB: 0}

    await store.write(("UPDATE guild_settings SET counsellor_role_id = NULL WHERE guild_id = ?", (GUILD,)))
    await store.write(*members.touch(GUILD, ALICE, "Alice", NOW, members.Standing(False, (role,))))
    await store.write(*members.touch(GUILD, BOB, "Bob", NOW))  # no standing given: kept as it was
    flags = {int(r[0]): int(r[1]) for r in await store.fetchall("SELECT user_id, counsellor FROM members")}
    assert flags == {ALICE: 0, BOB: 0}
