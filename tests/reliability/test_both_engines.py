"""A group's week, driven as its members would, on SQLite and on a real PostgreSQL server.

Like every SimCord test, each runs once per engine (``--backend``): the bot is built by
``create_bot`` on the engine's fresh database (tests/conftest.py), and what the database holds is
read through ``tests.db``, so the same assertions hold on both. These journeys also read the
database through the bot's own store (``store.tables()``, ``store.columns()``).
"""

from __future__ import annotations

from bot import create_bot
from tests.db import rows
from tests.scheduled import posts, travel_to, utc


async def test_tips_tried_and_no_repeats(group):
    first = await group.alice.slash(group.channel, "tip", topic="safety")
    tried = await group.alice.click(first.response.message, label="I tried this")
    again = await group.alice.click(first.response.message, label="Another tip")

    assert first.response.embeds[0].title != again.response.embeds[0].title
    assert "1" in tried.response.content
    assert rows(group.env.bot, "SELECT user_id FROM tip_tried WHERE guild_id = ?", (group.guild.id,)) == [
        (group.alice.id,)
    ]
    seen = rows(group.env.bot, "SELECT COUNT(*) FROM tip_seen WHERE user_id = ?", (group.alice.id,))
    assert seen == [(2,)]


async def test_checklist_selection_and_progress(group):
    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    options = [o["value"] for o in shown.response.components[0]["components"][0]["options"]]
    await group.alice.select(shown.response.message, options[:2])
    progress = await group.alice.slash(group.channel, "progress")

    assert f"2/{len(options)}" in "\n".join(f.value for f in progress.response.embeds[0].fields)
    done = rows(
        group.env.bot, "SELECT item_id FROM checklist_done WHERE user_id = ? ORDER BY item_id", (group.alice.id,)
    )
    assert done == sorted((item,) for item in options[:2])


async def test_a_schedule_posts_its_slot_once_then_a_restart_does_not_repost(group, database_url):
    added = await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="09:00")
    assert "#1" in added.response.content

    await travel_to(group.env, utc("2026-01-01T09:05"))
    assert len(posts(group.channel)) == 1
    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-01T12:00"))

    assert len(posts(group.channel)) == 1
    slots = rows(group.env.bot, "SELECT status FROM schedule_slots WHERE schedule_id = 1")
    assert slots == [("posted",)]


async def test_a_shared_practice_then_privacy_delete_leaves_nothing(group):
    prompt = await group.alice.slash(group.channel, "prompt")
    form = await group.bob.click(prompt.response.message, label="Share your practice")
    await group.bob.submit_modal(form, {"practice": "I asked a former colleague for a short call first."})
    asked = await group.bob.slash(group.channel, "privacy delete")
    done = await group.bob.click(asked.response.message, label="Delete my data")

    assert "deleted" in (done.followups[-1].content if done.followups else done.response.content).lower()
    store = group.env.bot.store
    for table in await store.tables():
        if "user_id" in await store.columns(table):
            assert rows(group.env.bot, f"SELECT COUNT(*) FROM {table} WHERE user_id = ?", (group.bob.id,)) == [(0,)]


async def test_the_servers_language_is_kept_and_speaks_to_members(group, database_url):
    await group.counsellor.slash(group.channel, "settings language", language="fr")
    assert rows(group.env.bot, "SELECT language FROM guild_settings WHERE guild_id = ?", (group.guild.id,)) == [
        ("fr",)
    ]
    await group.env.restart_bot(create_bot(database_url=database_url))

    tip = await group.alice.slash(group.channel, "tip")
    assert [c["label"] for row in tip.response.components for c in row["components"]] == [
        "Une autre astuce",
        "J'ai essayé",
    ]
    await group.counsellor.slash(group.channel, "settings language", language="auto")
    assert rows(group.env.bot, "SELECT language FROM guild_settings WHERE guild_id = ?", (group.guild.id,)) == [
        (None,)
    ]
