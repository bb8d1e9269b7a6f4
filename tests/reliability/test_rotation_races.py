"""Rotations when members act in the same instant (issue 13, item 2).

Each burst is held at the door (tests/at_once.py) until every interaction has arrived, then
runs concurrently: the choice of the next item and its record are one step in the database,
so no burst repeats an item inside a rotation, the cycle restarts once when the pool runs out
(and that reply says so), and every item shown has its row.
"""

from __future__ import annotations

from collections import Counter

import pytest

from bot.content import default_content
from tests.at_once import AtOnce
from tests.db import rows
from tests.scheduled import posts, travel_to, utc

CONTENT = default_content()
CONNECTING = CONTENT.prompts_for("connecting")
ENDORSEMENTS = CONTENT.tips_for("endorsements")


def prompt_id(message) -> str:
    return next(p.id for p in CONTENT.prompts if p.text == message.embeds[0].description)


def tip_id(embed) -> str:
    return next(t.id for t in CONTENT.tips if t.title == embed.title)


@pytest.fixture
def members(group):
    """Ten members of the group (the group's two and eight more)."""
    extra = [group.guild.add_member(group.env.create_user(f"member{n}", global_name=f"Member {n}")) for n in range(8)]
    return [group.alice, group.bob, *extra]


async def test_five_members_asking_for_a_prompt_at_once_get_five_different_prompts(group, members, monkeypatch):
    assert len(CONNECTING) >= 5
    async with AtOnce(group.env, monkeypatch) as door:
        results = [await m.slash(group.channel, "prompt", topic="connecting") for m in members[:5]]
        assert door.waiting == 5

    posted = [r.response.message for r in results]
    ids = [prompt_id(m) for m in posted]
    assert len(set(ids)) == 5, ids  # no repeat inside the server's rotation
    assert all(not r.response.content for r in results)  # nobody was told the rotation restarted
    used = rows(group.env.bot, "SELECT item_id FROM rotation WHERE kind = 'prompt'")
    assert sorted(i for (i,) in used) == sorted(ids)  # every prompt posted is recorded, once


async def test_a_burst_past_the_end_of_the_rotation_restarts_it_once_and_says_so(group, members, monkeypatch):
    burst = members[: len(CONNECTING) + 2]
    async with AtOnce(group.env, monkeypatch):
        results = [await m.slash(group.channel, "prompt", topic="connecting") for m in burst]

    ids = [prompt_id(r.response.message) for r in results]
    counts = Counter(ids)
    assert set(counts) == {p.id for p in CONNECTING}  # the whole rotation went out first...
    assert max(counts.values()) == 2 and sum(counts.values()) == len(burst)  # ...then two of a new one
    restarted = [r for r in results if "rotation starts again" in (r.response.content or "")]
    assert len(restarted) == 1, [r.response.content for r in results]
    used = {i for (i,) in rows(group.env.bot, "SELECT item_id FROM rotation WHERE kind = 'prompt'")}
    assert len(used) == 2 and prompt_id(restarted[0].response.message) in used
    assert {i for i, n in counts.items() if n == 2} == used  # the new cycle holds exactly the repeats


async def test_double_clicks_on_another_tip_never_repeat_and_every_tip_seen_is_recorded(group, members, monkeypatch):
    """Alice clicks ten times in a row on one post, two others three times: with the old
    read-then-write, ten picks among eleven unseen tips repeat one all but surely."""
    clickers = {group.alice.id: len(ENDORSEMENTS) - 2, members[1].id: 3, members[2].id: 3}
    first = {}
    for member in members[:3]:
        shown = await member.slash(group.channel, "tip", topic="endorsements")
        first[member.id] = (shown.response.message, tip_id(shown.response.embeds[0]))

    async with AtOnce(group.env, monkeypatch):
        clicks = {
            member.id: [await member.click(first[member.id][0], label="Another tip") for _ in range(times)]
            for member, times in zip(members[:3], clickers.values(), strict=True)
        }

    for member in members[:3]:
        shown = [first[member.id][1], *(tip_id(c.response.embeds[0]) for c in clicks[member.id])]
        assert len(set(shown)) == clickers[member.id] + 1, shown  # every click gave a tip not seen yet
        assert not any(c.response.content for c in clicks[member.id])  # and no cycle restarted
        seen = rows(
            group.env.bot,
            "SELECT tip_id FROM tip_seen WHERE user_id = ? AND selection = 'endorsements'",
            (member.id,),
        )
        assert sorted(i for (i,) in seen) == sorted(shown)  # and every one of them is recorded


async def test_clicks_at_once_across_the_end_of_a_cycle_restart_it_once(group, monkeypatch):
    alice, db = group.alice, group.env.bot
    shown = None
    for _ in ENDORSEMENTS[:-1]:
        shown = await alice.slash(group.channel, "tip", topic="endorsements")
    (last,) = {t.id for t in ENDORSEMENTS} - {i for (i,) in rows(db, "SELECT tip_id FROM tip_seen")}

    async with AtOnce(group.env, monkeypatch):
        clicks = [await alice.click(shown.response.message, label="Another tip") for _ in range(3)]

    restarted = [c for c in clicks if "cycle starts again" in (c.response.content or "")]
    assert len(restarted) == 1, [c.response.content for c in clicks]
    tips = [tip_id(c.response.embeds[0]) for c in clicks]
    assert last in tips  # the one tip left was shown before the cycle restarted
    seen = {i for (i,) in rows(db, "SELECT tip_id FROM tip_seen WHERE selection = 'endorsements'")}
    assert len(seen) == 2 and tip_id(restarted[0].response.embeds[0]) in seen  # the new cycle: two tips
    assert seen <= set(tips)


async def test_schedules_of_one_server_posting_at_the_same_slot_never_repeat_a_prompt(group):
    """Six prompt schedules at 09:00 in one server: the dispatcher posts them concurrently (no
    lock between them), and the rotation still gives each a different prompt."""
    channels = [group.guild.create_text_channel(f"circle-{n}") for n in range(len(CONNECTING))]
    for channel in channels:
        added = await group.counsellor.slash(
            group.channel, "schedule add", channel=channel, time="09:00", timezone="UTC", days="daily",
            kind="prompt", topic="connecting",
        )
        assert "#" in added.response.content
    await travel_to(group.env, utc("2026-01-01T10:00"))

    posted = [m for channel in channels for m in posts(channel)]
    assert len(posted) == len(CONNECTING)
    assert sorted(prompt_id(m) for m in posted) == sorted(p.id for p in CONNECTING)  # each once
