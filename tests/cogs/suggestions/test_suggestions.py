"""Member suggestions: /suggest tip, /suggest prompt, /suggest status, and the counsellors'
/content queue with its Approve and Decline buttons."""

from __future__ import annotations

import discord

from bot import create_bot
from bot.content import default_content
from tests.at_once import AtOnce
from tests.db import executemany, rows

TITLE = "Ask your mentor for one introduction"
BODY = (
    "At the end of a mentoring chat, ask for one introduction to someone in the role you want, "
    "and offer a one-line summary of why you would like to meet them."
)
PROMPT = "Which person outside your field taught you the most about job hunting, and how?"


async def suggest_tip(member, channel, title=TITLE, body=BODY, topic="connecting"):
    return await member.slash(channel, "suggest tip", topic=topic, title=title, body=body)


async def test_a_member_suggests_a_tip_and_sees_it_pending(group):
    done = await suggest_tip(group.alice, group.channel)

    assert done.ephemeral
    assert "suggestion #1, waiting for the counsellors" in done.response.content
    assert rows(group.env.bot, "SELECT user_id, kind, topic, title, body, status FROM suggestions") == [
        (group.alice.id, "tip", "connecting", TITLE, BODY, "pending")
    ]
    status = await group.alice.slash(group.channel, "suggest status")
    assert status.ephemeral
    line = status.response.embeds[0].description
    assert "`#1` Tip" in line and TITLE in line and "**pending**" in line


async def test_suggestions_are_checked_like_content_and_the_text_comes_back(group):
    done = await suggest_tip(group.alice, group.channel, title="Hi", body="Too short")

    assert "The title is 2 characters long" in done.response.content
    assert "Nothing was saved" in done.response.content
    assert (await done.response.attachments[0].read()).decode() == "Hi\n\nToo short"
    short = await group.alice.slash(group.channel, "suggest prompt", text="Why?")
    assert "The prompt is 4 characters long; it needs at least 20 (up to 300)." in short.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM suggestions") == [(0,)]


async def test_three_a_day_then_a_refusal_saying_when(group):
    for n in range(3):
        done = await group.alice.slash(group.channel, "suggest prompt", text=f"{PROMPT} (version {n})")
        assert f"suggestion #{n + 1}" in done.response.content
    refused = await group.alice.slash(group.channel, "suggest prompt", text=PROMPT)

    text = refused.response.content
    assert "3 suggestions in the last 24 hours" in text and "You can suggest again <t:" in text
    assert refused.response.attachments[0].filename == "your-text.txt"
    assert rows(group.env.bot, "SELECT COUNT(*) FROM suggestions") == [(3,)]
    # Bob is not limited by Alice; and Alice can again a day later.
    assert "suggestion #4" in (await group.bob.slash(group.channel, "suggest prompt", text=PROMPT)).response.content
    await group.env.advance_time(24 * 3600 + 60)
    again = await group.alice.slash(group.channel, "suggest prompt", text=f"{PROMPT} (again)")
    assert "suggestion #5" in again.response.content


async def test_fifty_pending_in_a_server_then_a_clear_refusal(group):
    executemany(
        group.env.bot,
        "INSERT INTO suggestions (guild_id, user_id, kind, body, status, created_at) "
        "VALUES (?, ?, 'prompt', ?, 'pending', '2026-01-01T00:00:00+00:00')",
        [(group.guild.id, 1000 + n, f"Question number {n} for the group?") for n in range(50)],
    )
    refused = await group.alice.slash(group.channel, "suggest prompt", text=PROMPT)

    assert "already have 50 suggestions waiting" in refused.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM suggestions") == [(50,)]


async def test_a_member_is_refused_the_queue_and_its_buttons(group):
    await suggest_tip(group.alice, group.channel)
    # The server opens /content to everyone in its Integrations settings: the check in code holds.
    commands = {c.name: c for c in await group.env.bot.tree.fetch_commands()}
    group.guild.set_command_permissions(commands["content"], {group.guild.default_role: True})
    refused = await group.bob.slash(group.channel, "content queue")
    assert refused.ephemeral and "Only counsellors can" in refused.response.content
    assert not refused.response.embeds

    # A counsellor by role opens the queue, then the role is changed: their buttons refuse them.
    leads, others = group.guild.create_role("Leads"), group.guild.create_role("Mentors")
    quinn = group.guild.add_member(group.env.create_user("quinn", global_name="Quinn"), roles=[leads])
    await group.counsellor.slash(group.channel, "settings counsellor-role", role=leads)
    queue = await quinn.slash(group.channel, "content queue")
    await group.counsellor.slash(group.channel, "settings counsellor-role", role=others)
    clicked = await quinn.click(queue.response.message, label="Approve #1")
    assert "Only counsellors can approve suggestions" in clicked.response.content
    declined = await quinn.click(queue.response.message, label="Decline #1")
    assert "Only counsellors can decline suggestions" in declined.response.content
    assert rows(group.env.bot, "SELECT status FROM suggestions") == [("pending",)]


async def test_approve_puts_the_tip_in_tip_credited_to_the_member(group):
    await suggest_tip(group.alice, group.channel)
    queue = await group.counsellor.slash(group.channel, "content queue")

    assert queue.ephemeral
    assert "**1** suggestion waiting" in queue.response.content
    shown = queue.response.embeds[0]
    assert TITLE in shown.title and shown.description == BODY and shown.footer.text == "Suggested by Alice"
    approved = await group.counsellor.click(queue.response.message, label="Approve #1")

    assert "Approved #1: it is now `custom-tip-1`" in approved.response.content
    assert "No suggestions are waiting" in approved.response.content
    assert rows(group.env.bot, "SELECT kind, title, body, created_by, suggested_by FROM custom_content") == [
        ("tip", TITLE, BODY, group.counsellor.id, group.alice.id)
    ]
    # Bob asks for connecting tips until he gets it: the group's own tip, credited to Alice.
    pool = len(default_content().tips_for("connecting")) + 1
    for _ in range(pool):
        tip = await group.bob.slash(group.channel, "tip", topic="connecting")
        if tip.response.embeds[0].title == TITLE:
            break
    embed = tip.response.embeds[0]
    assert embed.title == TITLE and "Suggested by Alice" in embed.footer.text
    status = await group.alice.slash(group.channel, "suggest status")
    assert "**approved** (now `custom-tip-1`)" in status.response.embeds[0].description


async def test_an_approved_prompt_joins_prompt(group):
    await group.alice.slash(group.channel, "suggest prompt", text=PROMPT)
    queue = await group.counsellor.slash(group.channel, "content queue")
    await group.counsellor.click(queue.response.message, label="Approve #1")

    pool = len(default_content().prompts) + 1
    for _ in range(pool):
        posted = await group.bob.slash(group.channel, "prompt")
        if posted.response.embeds[0].description == PROMPT:
            break
        await group.env.advance_time(3600)  # past the /prompt cooldown
    embed = posted.response.embeds[0]
    assert embed.description == PROMPT and "Suggested by Alice" in embed.footer.text


async def test_decline_with_a_reason_shows_in_status(group):
    await suggest_tip(group.alice, group.channel)
    queue = await group.counsellor.slash(group.channel, "content queue")
    form = await group.counsellor.click(queue.response.message, label="Decline #1")
    done = await group.counsellor.submit_modal(form, {"reason": "We have a tip on introductions already."})

    assert "Declined #1" in done.response.content
    assert rows(group.env.bot, "SELECT status, reason, decided_by FROM suggestions") == [
        ("declined", "We have a tip on introductions already.", group.counsellor.id)
    ]
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(0,)]
    status = await group.alice.slash(group.channel, "suggest status")
    assert "**declined**: We have a tip on introductions already." in status.response.embeds[0].description


async def test_decline_without_a_reason(group):
    await suggest_tip(group.alice, group.channel)
    queue = await group.counsellor.slash(group.channel, "content queue")
    form = await group.counsellor.click(queue.response.message, label="Decline #1")
    await group.counsellor.submit_modal(form, {"reason": ""})

    status = await group.alice.slash(group.channel, "suggest status")
    assert "**declined** (no reason given)" in status.response.embeds[0].description


async def test_buttons_and_the_decline_form_work_after_a_restart(group, database_url):
    await suggest_tip(group.alice, group.channel)
    await group.bob.slash(group.channel, "suggest prompt", text=PROMPT)
    queue = await group.counsellor.slash(group.channel, "content queue")
    form = await group.counsellor.click(queue.response.message, label="Decline #2")

    await group.env.restart_bot(create_bot(database_url=database_url))
    declined = await group.counsellor.submit_modal(form, {"reason": "Not for this group."})
    assert "Declined #2" in declined.response.content
    await group.env.restart_bot(create_bot(database_url=database_url))
    approved = await group.counsellor.click(queue.response.message, label="Approve #1")

    assert "Approved #1" in approved.response.content
    assert rows(database_url, "SELECT id, status FROM suggestions ORDER BY id") == [(1, "approved"), (2, "declined")]


async def test_approved_by_two_counsellors_at_the_same_instant_is_approved_once(group, monkeypatch):
    staff = group.guild.create_role("Leads", permissions=discord.Permissions(manage_guild=True))
    quinn = group.guild.add_member(group.env.create_user("quinn", global_name="Quinn"), roles=[staff])
    await suggest_tip(group.alice, group.channel)
    mine = await group.counsellor.slash(group.channel, "content queue")
    theirs = await quinn.slash(group.channel, "content queue")

    async with AtOnce(group.env, monkeypatch):
        first = await group.counsellor.click(mine.response.message, label="Approve #1")
        second = await quinn.click(theirs.response.message, label="Approve #1")

    answers = sorted([first.response.content, second.response.content])
    assert any("Approved #1: it is now `custom-tip-1`" in a for a in answers), answers
    assert any("already approved" in a for a in answers), answers
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(1,)]
    assert rows(group.env.bot, "SELECT status, content_id FROM suggestions") == [("approved", 1)]


async def test_a_decline_submitted_after_an_approval_changes_nothing(group, monkeypatch):
    await suggest_tip(group.alice, group.channel)
    mine = await group.counsellor.slash(group.channel, "content queue")
    form = await group.counsellor.click(mine.response.message, label="Decline #1")
    again = await group.counsellor.slash(group.channel, "content queue")

    async with AtOnce(group.env, monkeypatch):
        approve = await group.counsellor.click(again.response.message, label="Approve #1")
    declined = await group.counsellor.submit_modal(form, {"reason": "Late."})

    assert "Approved #1" in approve.response.content
    assert "already approved" in declined.response.content
    assert rows(group.env.bot, "SELECT status, reason FROM suggestions") == [("approved", None)]


async def test_a_near_copy_of_a_built_in_tip_is_flagged_for_the_counsellor(group):
    original = default_content().tips_for("profile")[0]
    words = original.body.split()
    copy = " ".join(w for n, w in enumerate(words) if n % 9 != 4)  # a few words dropped
    await suggest_tip(group.alice, group.channel, title=original.title.lower(), body=copy, topic="profile")
    await suggest_tip(group.bob, group.channel)  # a new tip: not flagged
    queue = await group.counsellor.slash(group.channel, "content queue")

    flagged, new = queue.response.embeds
    field = {f.name: f.value for f in flagged.fields}["⚠️ Looks like something you have"]
    assert f"`{original.id}`" in field
    assert not new.fields


async def test_near_copies_are_still_flagged_after_the_extension_is_reloaded(group):
    # The measure is imported by the first suggestion or queue; a reload forgets the extension's
    # modules, and the next suggestion imports it again.
    original = default_content().tips_for("profile")[0]
    await suggest_tip(group.bob, group.channel)
    await group.env.bot.reload_extension("cogs.suggestions")
    await suggest_tip(group.alice, group.channel, title=original.title, body=original.body, topic="profile")
    queue = await group.counsellor.slash(group.channel, "content queue")

    new, flagged = queue.response.embeds
    assert f"`{original.id}`" in {f.name: f.value for f in flagged.fields}["⚠️ Looks like something you have"]
    assert not new.fields
