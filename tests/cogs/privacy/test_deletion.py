"""Data deletion covers every user-keyed table, and nothing recreates it (issue 10, case 19).

The member first leaves a row in EVERY table that has a ``user_id`` column (found from the
schema, so a new feature's table that this test does not fill fails it). After
``/privacy delete`` (one server) or ``linkwise forget`` (every server) nothing about them is
left, and it stays that way through what only reads or runs without them:

* the scheduler posting for a day;
* old buttons that only read: the **Delete my data** button clicked again;
* reads: ``/progress`` (their own, and a counsellor's ``/progress member:``), ``/group report``,
  ``/privacy export``, ``/checklist`` without a name, ``/help``, ``/review``.

A row comes back only from a new action by that member, which is what the privacy reply
promises: ``/tip`` and **Another tip** (a tip seen), **I tried this**, ticking a checklist,
``/prompt`` (its cooldown) and sharing a practice. The last test shows one such action
starting from zero.
"""

from __future__ import annotations

import asyncio
import json

import discord

from bot import create_bot
from bot.cli import main as linkwise
from bot.content import default_content
from tests.db import columns, one, scalar, tables, user_tables

PRACTICE = "I asked a former colleague for an introduction and explained exactly why it mattered."


def rows_about(database_url, user_id, guild_id=None) -> dict[str, int]:
    out = {}
    for table in user_tables(database_url):
        sql, params = f'SELECT COUNT(*) FROM "{table}" WHERE user_id = ?', [user_id]
        if guild_id is not None:
            sql, params = sql + " AND guild_id = ?", [*params, guild_id]
        out[table] = scalar(database_url, sql, params)
    return out


def smallest_checklist():
    return min(default_content().checklists, key=lambda c: len(c.items))


async def every_kind_of_activity(actor, channel, env):
    """A row in every user table: tips seen and tried, a finished checklist (one item unticked and
    ticked again a week later), a suggestion, a prompt and a share."""
    tip = await actor.slash(channel, "tip")
    await actor.click(tip.response.message, label="I tried this")
    checklist = smallest_checklist()
    shown = await actor.slash(channel, "checklist", name=checklist.id)
    await actor.select(shown.response.message, list(checklist.item_ids), custom_id=f"linkwise:checklist:{checklist.id}")
    # A week later one item is unticked and ticked again (the group chart's history keeps that).
    await env.advance_time(8 * 86400)
    again = await actor.slash(channel, "checklist", name=checklist.id)
    menu = f"linkwise:checklist:{checklist.id}"
    await actor.select(again.response.message, list(checklist.item_ids)[1:], custom_id=menu)
    await actor.select(again.response.message, list(checklist.item_ids), custom_id=menu)
    await actor.slash(channel, "suggest prompt", text="What is one thing a stranger on LinkedIn did that helped you?")
    prompt = await actor.slash(channel, "prompt")
    opened = await actor.click(prompt.response.message, label="Share your practice")
    await actor.submit_modal(opened, {"practice": PRACTICE})
    return tip


async def reads_and_a_day_of_scheduled_posts(group, member):
    """Everything that must not recreate a row about ``member``."""
    env, channel = group.env, group.channel
    await env.advance_time(86400)  # the scheduler posts a tip and a prompt meanwhile
    assert [m for m in channel.history() if m.author.bot and m.created_at.hour == 9]
    await group.counsellor.slash(channel, "progress", member=member)
    report = await group.counsellor.slash(channel, "group report")
    csv = (await report.response.attachments[0].read()).decode()
    assert str(member.id) not in csv
    for command, options in [
        ("progress", {}),
        ("privacy export", {}),
        ("checklist", {}),
        ("help", {}),
        ("review headline", {"text": "Data analyst helping charities measure what works"}),
    ]:
        result = await member.slash(channel, command, **options)
        assert result.response is not None, command


async def schedule_daily_posts(group):
    for kind, time in (("tip", "09:00"), ("prompt", "09:30")):
        await group.counsellor.slash(
            group.channel, "schedule add", channel=group.channel, time=time, timezone="UTC", days="daily", kind=kind
        )


async def test_privacy_delete_leaves_nothing_and_reads_do_not_bring_it_back(group, database_url):
    alice, guild = group.alice, group.guild
    await every_kind_of_activity(alice, group.channel, group.env)
    await every_kind_of_activity(group.bob, group.channel, group.env)
    before = rows_about(database_url, alice.id, guild.id)
    assert len(before) >= 8 and all(before.values()), before  # this test fills every user table
    bob_before = rows_about(database_url, group.bob.id)
    await schedule_daily_posts(group)

    asked = await alice.slash(group.channel, "privacy delete")
    done = await alice.click(asked.response.message, label="Delete my data")
    assert done.ephemeral
    assert set(rows_about(database_url, alice.id).values()) == {0}

    again = await alice.click(asked.response.message, label="Delete my data")  # an old button
    assert "nothing left" in again.response.content
    await reads_and_a_day_of_scheduled_posts(group, alice)

    assert set(rows_about(database_url, alice.id).values()) == {0}
    assert rows_about(database_url, group.bob.id) == bob_before  # only hers went


async def test_linkwise_forget_covers_every_server_and_nothing_brings_it_back(group, database_url):
    env = group.env
    other = env.create_guild(name="Night Class")
    other_channel = other.create_text_channel("general")
    alice_there = other.add_member(group.alice.user)
    await every_kind_of_activity(group.alice, group.channel, group.env)
    await every_kind_of_activity(alice_there, other_channel, group.env)
    await schedule_daily_posts(group)
    assert all(rows_about(database_url, group.alice.id, other.id).values())

    # The operator stops the bot (the database is locked while it runs), forgets, restarts.
    await env.bot.close()
    code = await asyncio.to_thread(linkwise, ["forget", str(group.alice.id), "--db", str(database_url)])
    assert code == 0
    await env.restart_bot(create_bot(database_url=database_url))
    assert set(rows_about(database_url, group.alice.id).values()) == {0}

    await reads_and_a_day_of_scheduled_posts(group, group.alice)

    assert set(rows_about(database_url, group.alice.id).values()) == {0}


async def test_a_new_action_after_deletion_starts_from_zero(group, database_url):
    tip = await every_kind_of_activity(group.alice, group.channel, group.env)
    asked = await group.alice.slash(group.channel, "privacy delete")
    await group.alice.click(asked.response.message, label="Delete my data")

    tried = await group.alice.click(tip.response.message, label="I tried this")  # a new action

    assert "tried 1 tip so far" in tried.response.content
    after = rows_about(database_url, group.alice.id)
    assert after["tip_tried"] == 1 and after["members"] == 1
    assert after["checklist_done"] == after["prompt_shares"] == after["tip_seen"] == 0


# --------------------------------------------------------------------------- nothing names them
def cells_naming(database_url, *needles: str) -> list[str]:
    """Every ``table.column`` (found from the schema) holding any needle anywhere in its text."""
    found = []
    assert not any(wild in needle for needle in needles for wild in "%_\\"), "LIKE would read these as patterns"
    for table in tables(database_url):
        for column in columns(database_url, table):
            for needle in needles:
                count = scalar(
                    database_url,
                    f'SELECT COUNT(*) FROM "{table}" '
                    f"WHERE lower(CAST(\"{column}\" AS TEXT)) LIKE '%' || lower(?) || '%'",
                    (needle,),
                )
                if count:
                    found.append(f"{table}.{column} ({needle!r} in {count})")
    return found


async def counsellor_named_quillon(group, guild=None, channel=None):
    """A counsellor who schedules a post and pauses it, adds a tip and a prompt, and also uses
    Linkwise as a member."""
    guild, channel = guild or group.guild, channel or group.channel
    leads = guild.create_role("Leads", permissions=discord.Permissions(manage_guild=True))
    quillon = guild.add_member(group.env.create_user("quillon", global_name="Quillon"), roles=[leads])
    added = await quillon.slash(channel, "schedule add", channel=channel, time="09:00", timezone="UTC", days="daily")
    schedule_id = int(added.response.content.split("**#")[1].split("**")[0])
    paused = await quillon.slash(channel, "schedule pause", id=schedule_id)
    assert "is paused" in paused.response.content
    tip = {"topic": "profile", "title": "Our photo day", "body": "Bring a plain top; we take photos at 10."}
    await quillon.slash(channel, "content add-tip", **tip)
    await quillon.slash(channel, "content add-prompt", text="Which recruiter message surprised you most this month?")
    await every_kind_of_activity(quillon, channel, group.env)
    return quillon, schedule_id


async def test_the_pausers_name_is_never_stored_and_is_shown_from_discord(group, database_url):
    quillon, schedule_id = await counsellor_named_quillon(group)

    # Linkwise keeps who paused as an id; their name is only in members, like any member's.
    naming = cells_naming(database_url, "quillon")
    assert naming == ["members.display_name ('quillon' in 1)"]
    listed = await group.counsellor.slash(group.channel, "schedule list")
    field = listed.response.embeds[0].fields[0].value
    assert "**paused** — paused by Quillon on 2026-01-01" in field
    assert f"<@{quillon.id}>" not in field  # named, never mentioned


async def test_privacy_export_includes_what_a_counsellor_made_and_paused(group, database_url):
    quillon, schedule_id = await counsellor_named_quillon(group)

    exported = await quillon.slash(group.channel, "privacy export")

    data = json.loads(await exported.response.attachments[0].read())
    assert [r["title"] for r in data["custom_content"] if r["kind"] == "tip"] == ["Our photo day"]
    assert len(data["custom_content"]) == 2
    assert [(r["id"], r["created_by"], r["paused_by"]) for r in data["schedules"]] == [
        (schedule_id, quillon.id, quillon.id)
    ]
    assert "tips and prompts you added" in exported.response.content
    assert "scheduled posts you set up or paused" in exported.response.content


async def test_after_privacy_delete_no_column_of_any_table_names_the_counsellor(group, database_url):
    quillon, schedule_id = await counsellor_named_quillon(group)
    assert cells_naming(database_url, str(quillon.id))  # the search finds them before

    asked = await quillon.slash(group.channel, "privacy delete")
    confirm = asked.response.embeds[0].description
    assert "tips and prompts you added" in confirm and "your name is taken off" in confirm
    done = await quillon.click(asked.response.message, label="Delete my data")

    assert cells_naming(database_url, str(quillon.id), "quillon") == []
    assert "taken off" in done.response.content
    # What they made for the group stays with the group, authorless.
    listed = await group.counsellor.slash(group.channel, "schedule list")
    assert "**paused** — paused by a counsellor on 2026-01-01" in listed.response.embeds[0].fields[0].value
    content = await group.counsellor.slash(group.channel, "content list")
    assert "Our photo day" in content.response.embeds[0].description
    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=schedule_id)
    assert "running again" in resumed.response.content


async def test_after_linkwise_forget_no_column_of_any_table_names_the_counsellor_in_any_server(group, database_url):
    env = group.env
    quillon, _ = await counsellor_named_quillon(group)
    other = env.create_guild(name="Night Class")
    other_channel = other.create_text_channel("general")
    leads = other.create_role("Leads", permissions=discord.Permissions(manage_guild=True))
    there = other.add_member(quillon.user, roles=[leads])
    await there.slash(other_channel, "schedule add", channel=other_channel, time="10:00", timezone="UTC")
    await there.slash(other_channel, "schedule pause", id=2)
    await there.slash(other_channel, "content add-prompt", text="What did a peer abroad do differently from you?")
    await every_kind_of_activity(there, other_channel, group.env)
    bob_before = rows_about(database_url, group.bob.id)

    await env.bot.close()
    code = await asyncio.to_thread(linkwise, ["forget", str(quillon.id), "--db", str(database_url)])
    assert code == 0
    assert cells_naming(database_url, str(quillon.id), "quillon") == []
    # the servers keep what was made for them
    assert one(database_url, "SELECT COUNT(*) FROM custom_content") == (3,)
    assert one(database_url, "SELECT COUNT(*) FROM schedules WHERE paused_reason IS NOT NULL") == (2,)
    assert rows_about(database_url, group.bob.id) == bob_before
    await env.restart_bot(create_bot(database_url=database_url))
    listed = await group.counsellor.slash(group.channel, "schedule list")
    assert "paused by a counsellor" in listed.response.embeds[0].fields[0].value
