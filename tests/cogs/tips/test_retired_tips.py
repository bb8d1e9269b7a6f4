"""Tips merged into another and retired: members keep their progress, and old buttons still work."""

from __future__ import annotations

import discord

from bot import create_bot
from bot.content import RETIRED_TIPS, default_content
from bot.store import Store, load_migrations
from tests import db

RETIRED = "companies-engage-with-posts"
SURVIVOR = default_content().tip(RETIRED)


def rows(database_url, sql):
    return sorted(db.rows(database_url, sql))


async def post_old_tried_button(group, tip_id: str) -> discord.Message:
    """A scheduled tip as an older Linkwise posted it, its I tried this button naming ``tip_id``.
    The view is stopped so nothing in this process listens to it: the click reaches the bot as
    it would from Discord, days later."""
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="I tried this", custom_id=f"linkwise:tip:tried:{tip_id}"))
    view.stop()
    return await group.env.bot.get_channel(group.channel.id).send("An older tip post", view=view)


async def test_an_old_post_of_a_retired_tip_records_the_tip_it_was_merged_into(group, database_url):
    assert RETIRED in RETIRED_TIPS and SURVIVOR is not None and SURVIVOR.id != RETIRED
    posted = await post_old_tried_button(group, RETIRED)

    result = await group.alice.click(posted, label="I tried this")

    assert result.ephemeral
    assert SURVIVOR.title in result.response.content
    assert "tried 1 tip so far" in result.response.content
    assert rows(database_url, "SELECT user_id, tip_id FROM tip_tried") == [(group.alice.id, SURVIVOR.id)]


async def test_progress_on_retired_tips_survives_the_upgrade(group, tmp_path):
    """A database written before the tips were merged: after the upgrade, the member's tried tips
    still count, under the surviving ids, and a tip they tried twice over counts once."""
    (number,) = [m.number for m in load_migrations() if m.name.endswith("_retire_doubled_tips")]
    old_db = tmp_path / "before.db"
    guild, alice, at = group.guild.id, group.alice.id, "2026-01-05T10:00:00+00:00"
    store = await Store.open(old_db, migrate=False)
    try:
        await store._migrate(load_migrations()[: number - 1])
        await store.write(
            ("INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) "
                "VALUES (?, ?, 'Alice', ?, ?)", (guild, alice, at, at)),
            ("INSERT INTO tip_tried VALUES (?, ?, 'companies-engage-with-posts', ?)", (guild, alice, at)),
            ("INSERT INTO tip_tried VALUES (?, ?, 'recruiters-headline-and-note-not-cv', ?)", (guild, alice, at)),
            ("INSERT INTO tip_tried VALUES (?, ?, 'recruiters-connect-with-a-note', ?)", (guild, alice, at)),
            ("INSERT INTO tip_tried VALUES (?, ?, 'profile-clear-photo', ?)", (guild, alice, at)),
        )
    finally:
        await store.close()

    await group.env.restart_bot(create_bot(database_url=old_db))
    result = await group.alice.slash(group.channel, "progress")

    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert fields["Tips tried"] == "3"
    assert rows(old_db, "SELECT tip_id FROM tip_tried") == [
        ("contributing-comment-with-substance",),
        ("profile-clear-photo",),
        ("recruiters-connect-with-a-note",),
    ]
