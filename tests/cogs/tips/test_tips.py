"""/tip as members use it: the embed, the topic filter, no repeats, the two buttons, restarts."""

from __future__ import annotations

from bot import create_bot
from bot.content import TOPICS, default_content
from tests.db import rows


def tip_by_title(title):
    return next(t for t in default_content().tips if t.title == title)


def button_labels(message):
    return [c["label"] for row in message.components for c in row["components"]]


async def test_tip_is_an_ephemeral_embed_with_two_buttons(group):
    result = await group.alice.slash(group.channel, "tip")

    assert result.ephemeral
    embed = result.response.embeds[0]
    tip = tip_by_title(embed.title)
    assert embed.description == tip.body
    assert f"Topic: {TOPICS[tip.topic]}" in embed.footer.text
    assert button_labels(result.response) == ["Another tip", "I tried this"]
    assert rows(group.env.bot, "SELECT user_id, tip_id FROM tip_seen") == [(group.alice.id, tip.id)]


async def test_public_tip_is_posted_in_the_channel(group):
    result = await group.alice.slash(group.channel, "tip", topic="recruiters", public=True)

    assert not result.ephemeral
    assert group.channel.last_message.embeds[0].title == result.response.embeds[0].title
    assert tip_by_title(result.response.embeds[0].title).topic == "recruiters"


async def test_topic_selection_never_repeats_until_exhausted_then_says_the_cycle_restarts(group):
    pool = default_content().tips_for("endorsements")
    titles = []
    for _ in pool:
        result = await group.alice.slash(group.channel, "tip", topic="endorsements")
        assert result.response.content in ("", None)
        titles.append(result.response.embeds[0].title)
    assert sorted(titles) == sorted(t.title for t in pool)

    again = await group.alice.slash(group.channel, "tip", topic="endorsements")
    assert "cycle starts again" in again.response.content
    assert str(len(pool)) in again.response.content
    assert tip_by_title(again.response.embeds[0].title).topic == "endorsements"
    # The new cycle counts from the tip just shown.
    assert len(rows(group.env.bot, "SELECT * FROM tip_seen WHERE selection = 'endorsements'")) == 1


async def test_rotation_is_per_member_and_per_selection(group):
    first = await group.alice.slash(group.channel, "tip", topic="companies")
    for _ in range(3):
        await group.bob.slash(group.channel, "tip", topic="companies")
    await group.alice.slash(group.channel, "tip")

    db = group.env.bot
    assert len(rows(db, "SELECT * FROM tip_seen WHERE user_id = ?", (group.bob.id,))) == 3
    alice = rows(db, "SELECT selection, tip_id FROM tip_seen WHERE user_id = ? ORDER BY selection", (group.alice.id,))
    assert [s for s, _ in alice] == ["all", "companies"]
    assert tip_by_title(first.response.embeds[0].title).id == alice[1][1]


async def test_another_tip_gives_the_clicker_a_new_tip_of_the_same_topic(group):
    posted = await group.alice.slash(group.channel, "tip", topic="messaging", public=True)
    first = posted.response.embeds[0].title

    mine = await group.alice.click(posted.response.message, label="Another tip")
    assert mine.ephemeral
    assert mine.response.embeds[0].title != first
    assert tip_by_title(mine.response.embeds[0].title).topic == "messaging"

    # Bob clicks Alice's public post: he gets a tip of his own, and Alice's rotation is untouched.
    his = await group.bob.click(posted.response.message, label="Another tip")
    assert his.ephemeral
    db = group.env.bot
    assert len(rows(db, "SELECT * FROM tip_seen WHERE user_id = ?", (group.bob.id,))) == 1
    assert len(rows(db, "SELECT * FROM tip_seen WHERE user_id = ?", (group.alice.id,))) == 2


async def test_i_tried_this_is_idempotent_and_counts(group):
    first = await group.alice.slash(group.channel, "tip")
    done = await group.alice.click(first.response.message, label="I tried this")
    assert done.ephemeral
    assert "tried 1 tip so far" in done.response.content
    assert first.response.embeds[0].title in done.response.content

    again = await group.alice.click(first.response.message, label="I tried this")
    assert "already" in again.response.content
    assert "tried 1 tip so far" in again.response.content

    second = await group.alice.click(first.response.message, label="Another tip")
    more = await group.alice.click(second.response.message, label="I tried this")
    assert "tried 2 tips so far" in more.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM tip_tried")[0][0] == 2


async def test_buttons_work_after_a_restart(group, database_url):
    posted = await group.alice.slash(group.channel, "tip", topic="profile", public=True)
    await group.alice.click(posted.response.message, label="I tried this")

    await group.env.restart_bot(create_bot(database_url=database_url))

    assert group.env.bot.synced is False  # the tree did not change: no second sync
    again = await group.alice.click(posted.response.message, label="I tried this")
    assert "already" in again.response.content
    by_bob = await group.bob.click(posted.response.message, label="I tried this")
    assert "tried 1 tip so far" in by_bob.response.content
    another = await group.alice.click(posted.response.message, label="Another tip")
    assert tip_by_title(another.response.embeds[0].title).topic == "profile"


async def test_activity_is_recorded_with_the_name_seen(group):
    await group.alice.slash(group.channel, "tip")
    (name, last_active), = rows(group.env.bot, "SELECT display_name, last_active FROM members")
    assert name == "Alice"
    assert last_active.startswith(group.env.now().date().isoformat())


async def test_tip_replies_never_ping(group):
    result = await group.alice.slash(group.channel, "tip", public=True)
    assert result.response.message.mentions == []
    assert not result.response.message.mention_everyone
