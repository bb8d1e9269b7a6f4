"""/privacy export and delete: a member's own data, in one server, and nobody else's."""

from __future__ import annotations

import json

import discord

from bot.content import default_content
from bot.ui import persistent_view
from cogs.privacy.cog import DeleteMyData
from tests.db import scalar

BASICS = default_content().checklist("profile-basics")


def count(database_url, table, user_id, guild_id=None):
    sql = f"SELECT COUNT(*) FROM {table} WHERE user_id = ?"
    params = [user_id]
    if guild_id is not None:
        sql += " AND guild_id = ?"
        params.append(guild_id)
    return scalar(database_url, sql, params)


async def be_active(actor, channel):
    """A tip seen and tried, and a checklist item ticked: rows in five tables."""
    tip = await actor.slash(channel, "tip")
    await actor.click(tip.response.message, label="I tried this")
    shown = await actor.slash(channel, "checklist", name=BASICS.id)
    await actor.select(shown.response.message, [BASICS.items[0].id], custom_id=f"linkwise:checklist:{BASICS.id}")
    return tip.response.embeds[0].title


async def export(actor, channel):
    result = await actor.slash(channel, "privacy export")
    assert result.ephemeral
    attachment = result.response.attachments[0]
    return result, json.loads(await attachment.read())


async def test_export_has_every_row_about_the_member_in_this_server(group):
    await be_active(group.alice, group.channel)
    await be_active(group.bob, group.channel)

    result, data = await export(group.alice, group.channel)

    attachment = result.response.attachments[0]
    assert attachment.filename == f"linkwise-data-{group.guild.id}-{group.alice.id}.json"
    assert "• tips you tried: 1" in result.response.content
    assert "• checklist items you ticked: 1" in result.response.content
    assert [r["display_name"] for r in data["members"]] == ["Alice"]
    assert len(data["tip_tried"]) == 1 and len(data["tip_seen"]) == 1
    assert data["checklist_done"][0]["item_id"] == BASICS.items[0].id
    every_row = [row for rows in data.values() for row in rows]
    assert every_row and {row["user_id"] for row in every_row} == {group.alice.id}
    assert {row["guild_id"] for row in every_row} == {group.guild.id}


async def test_delete_asks_first_then_removes_everything_and_says_what(group):
    await be_active(group.alice, group.channel)
    await be_active(group.bob, group.channel)
    db = group.env.bot

    asked = await group.alice.slash(group.channel, "privacy delete")

    assert asked.ephemeral
    embed = asked.response.embeds[0]
    assert "tips you tried: 1" in embed.description and "cannot be undone" in embed.description
    buttons = [c for row in asked.response.components for c in row["components"]]
    assert [(b["label"], b["custom_id"]) for b in buttons] == [
        ("Delete my data", f"linkwise:privacy:delete:{group.alice.id}")
    ]
    assert count(db, "tip_tried", group.alice.id) == 1  # nothing happens before the click

    done = await group.alice.click(asked.response.message, label="Delete my data")

    assert done.ephemeral
    text = done.response.content
    assert "Your Linkwise data in this server is deleted" in text
    assert "• tips you tried: 1" in text and "• checklist items you ticked: 1" in text
    assert "• your name as last seen and when you were last active: 1" in text
    for table in ("members", "member_weeks", "tip_seen", "tip_tried", "checklist_done"):
        assert count(db, table, group.alice.id) == 0, table
        assert count(db, table, group.bob.id) == 1, table

    _, data = await export(group.alice, group.channel)
    assert data and all(rows == [] for rows in data.values())
    _, bobs = await export(group.bob, group.channel)
    assert len(bobs["tip_tried"]) == 1 and len(bobs["checklist_done"]) == 1


async def test_delete_is_per_server(group):
    other = group.env.create_guild(name="Other Circle")
    channel = other.create_text_channel("general")
    alice_there = other.add_member(group.alice.user)
    await be_active(group.alice, group.channel)
    await be_active(alice_there, channel)

    asked = await group.alice.slash(group.channel, "privacy delete")
    await group.alice.click(asked.response.message, label="Delete my data")

    db = group.env.bot
    assert count(db, "tip_tried", group.alice.id, group.guild.id) == 0
    assert count(db, "tip_tried", group.alice.id, other.id) == 1


async def test_someone_elses_delete_button_is_refused(group, database_url):
    await be_active(group.alice, group.channel)
    # A button naming Alice reaches Bob (a forged custom_id would look exactly like this).
    view = discord.ui.View(timeout=None)
    view.add_item(DeleteMyData(group.alice.id))
    posted = await group.env.bot.get_channel(group.channel.id).send("Alice's button", view=view)

    refused = await group.bob.click(posted, label="Delete my data")

    assert refused.ephemeral
    assert "belongs to the member who asked" in refused.response.content
    assert "nothing was deleted" in refused.response.content
    assert count(database_url, "tip_tried", group.alice.id) == 1
    assert count(database_url, "members", group.alice.id) == 1


async def test_a_second_member_pressing_the_button_is_refused_before_it_runs(group, database_url):
    """Sent the way the bot sends it (an untracked view), a click reaches the button through
    discord.py's dynamic items: Bob is answered by the button's check, Alice's data stays, and
    the same button still works for Alice afterwards."""
    await be_active(group.alice, group.channel)
    channel = group.env.bot.get_channel(group.channel.id)
    posted = await channel.send("Alice's button", view=persistent_view(DeleteMyData(group.alice.id)))

    refused = await group.bob.click(posted, label="Delete my data")

    assert refused.ephemeral
    assert "belongs to the member who asked" in refused.response.content
    assert "nothing was deleted" in refused.response.content
    assert count(database_url, "tip_tried", group.alice.id) == 1
    assert count(database_url, "members", group.alice.id) == 1
    assert count(database_url, "members", group.bob.id) == 0  # Bob's click recorded nothing about him either

    done = await group.alice.click(posted, label="Delete my data")

    assert "Your Linkwise data in this server is deleted" in done.response.content
    assert count(database_url, "tip_tried", group.alice.id) == 0


async def test_a_second_click_finds_nothing_left(group, database_url):
    await be_active(group.alice, group.channel)
    asked = await group.alice.slash(group.channel, "privacy delete")
    await group.alice.click(asked.response.message, label="Delete my data")

    again = await group.alice.click(asked.response.message, label="Delete my data")

    assert again.ephemeral
    assert "There was nothing left to delete" in again.response.content
    assert count(database_url, "members", group.alice.id) == 0


async def test_export_and_delete_record_no_activity(group, database_url):
    result, data = await export(group.alice, group.channel)
    assert "keeps nothing about you" in result.response.content
    assert all(rows == [] for rows in data.values())

    asked = await group.alice.slash(group.channel, "privacy delete")
    assert "keeps nothing about you in this server right now" in asked.response.embeds[0].description
    await group.alice.click(asked.response.message, label="Delete my data")

    assert count(database_url, "members", group.alice.id) == 0
    assert count(database_url, "member_weeks", group.alice.id) == 0


async def test_an_old_button_after_deletion_records_new_activity_from_zero(group, database_url):
    tip = await group.alice.slash(group.channel, "tip")
    await group.alice.click(tip.response.message, label="I tried this")
    asked = await group.alice.slash(group.channel, "privacy delete")
    await group.alice.click(asked.response.message, label="Delete my data")
    assert count(database_url, "tip_tried", group.alice.id) == 0

    again = await group.alice.click(tip.response.message, label="I tried this")

    # Not "already tried": the old record is gone, and this click is a new action.
    assert "Nice work" in again.response.content and "tried 1 tip so far" in again.response.content
    assert count(database_url, "tip_tried", group.alice.id) == 1
