"""/prompt as members use it: the public post, rotation, cooldown, and sharing a practice
through the button and its modal (thread, attribution, no pings, fallback, failures)."""

from __future__ import annotations

import discord

from bot import create_bot
from bot.content import TOPICS, Content, default_content
from bot.store import userdata
from tests.db import rows

PRACTICE = "I open every connection note with the project we shared, then offer my notes from it."


def prompt_by_text(text):
    return next(p for p in default_content().prompts if p.text == text)


def buttons(message):
    return [c for row in message.components for c in row["components"]]


def shares(group):
    return rows(
        group.env.bot,
        "SELECT user_id, prompt_id, prompt_message_id, channel_id, message_id FROM prompt_shares ORDER BY id",
    )


async def share(actor, prompt_message, text=PRACTICE):
    shown = await actor.click(prompt_message, label="Share your practice")
    assert shown.modal is not None
    return await actor.submit_modal(shown, {"practice": text})


async def test_prompt_is_posted_publicly_with_a_share_button(group):
    result = await group.alice.slash(group.channel, "prompt")

    assert not result.ephemeral
    posted = group.channel.last_message
    assert posted.id == result.response.message.id
    embed = posted.embeds[0]
    prompt = prompt_by_text(embed.description)
    assert f"Topic: {TOPICS[prompt.topic]}" in embed.footer.text
    (button,) = buttons(result.response)
    assert button["label"] == "Share your practice"
    assert button["custom_id"] == f"linkwise:prompt:share:{prompt.id}"
    db = group.env.bot
    assert rows(db, "SELECT guild_id, kind, item_id FROM rotation") == [(group.guild.id, "prompt", prompt.id)]
    assert rows(db, "SELECT display_name FROM members") == [("Alice",)]
    assert posted.mentions == [] and not posted.mention_everyone


async def test_topic_limits_the_prompt(group):
    result = await group.alice.slash(group.channel, "prompt", topic="recruiters")
    assert prompt_by_text(result.response.embeds[0].description).topic == "recruiters"


async def test_rotation_never_repeats_in_the_server_then_restarts_only_that_topic(group):
    other = await group.counsellor.slash(group.channel, "prompt", topic="profile")
    other_id = prompt_by_text(other.response.embeds[0].description).id
    pool = default_content().prompts_for("companies")
    members = [group.alice, group.bob, group.counsellor]
    seen = []
    for turn in range(len(pool)):
        await group.env.advance_time(11 * 60)  # past everyone's cooldown
        result = await members[turn % len(members)].slash(group.channel, "prompt", topic="companies")
        assert result.response.content in ("", None)
        seen.append(prompt_by_text(result.response.embeds[0].description).id)
    assert sorted(seen) == sorted(p.id for p in pool)

    await group.env.advance_time(11 * 60)
    again = await group.bob.slash(group.channel, "prompt", topic="companies")
    assert "rotation starts again" in again.response.content
    assert str(len(pool)) in again.response.content
    restarted = prompt_by_text(again.response.embeds[0].description).id
    used = {item for (item,) in rows(group.env.bot, "SELECT item_id FROM rotation")}
    # The companies cycle restarted from the prompt just posted; the profile prompt stays used.
    assert used == {restarted, other_id}


async def test_cooldown_refuses_a_second_prompt_then_allows_it_later(group):
    first = await group.alice.slash(group.channel, "prompt")
    at = int(first.response.message.created_at.timestamp())
    before = len(group.channel.history())

    refused = await group.alice.slash(group.channel, "prompt")
    assert refused.ephemeral
    assert "one prompt every 10 minutes" in refused.response.content
    # When, as the date and time then how long: the absolute one stays true where the relative
    # one is drawn once.
    assert f"You posted a prompt at <t:{at}:f> (<t:{at}:R>)." in refused.response.content
    assert f"post the next one at <t:{at + 600}:f> (<t:{at + 600}:R>)." in refused.response.content
    assert len(group.channel.history()) == before
    assert len(rows(group.env.bot, "SELECT * FROM rotation")) == 1

    other = await group.bob.slash(group.channel, "prompt")  # the cooldown is per member
    assert not other.ephemeral

    await group.env.advance_time(9 * 60)
    assert (await group.alice.slash(group.channel, "prompt")).ephemeral
    await group.env.advance_time(61)
    allowed = await group.alice.slash(group.channel, "prompt")
    assert not allowed.ephemeral
    assert allowed.response.embeds[0].title == "Discussion prompt"


def without_prompts_about(topic: str) -> Content:
    content = default_content()
    kept = tuple(p for p in content.prompts if p.topic != topic)
    return Content(content.facts, content.tips, content.checklists, kept)


async def test_a_topic_with_no_prompts_is_answered_and_takes_no_turn(group):
    group.env.bot.content = without_prompts_about("safety")

    refused = await group.alice.slash(group.channel, "prompt", topic="safety")

    assert refused.ephemeral
    assert refused.response.content == "There are no prompts for that topic yet. Try /prompt without a topic."
    assert group.env.errors == []  # an expected outcome: answered, never raised to the error handler
    assert rows(group.env.bot, "SELECT * FROM prompt_requests") == []  # no cooldown was taken
    posted = await group.alice.slash(group.channel, "prompt")
    assert not posted.ephemeral and posted.response.embeds[0].title == "Discussion prompt"


async def test_share_button_opens_the_modal_after_a_restart(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")

    await group.env.restart_bot(create_bot(database_url=database_url))

    shown = await group.bob.click(posted.response.message, label="Share your practice")
    modal = shown.modal
    assert modal["title"] == "Share your practice"
    (text_input,) = [c for row in modal["components"] for c in row["components"]]
    assert text_input["custom_id"] == "practice"
    assert text_input["style"] == discord.TextStyle.paragraph.value
    assert (text_input["min_length"], text_input["max_length"]) == (20, 1000)
    assert len(text_input["label"]) <= 45

    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})
    assert "Thanks" in done.response.content
    assert len(shares(group)) == 1


async def test_share_goes_in_a_thread_on_the_prompt_attributed_by_display_name(group):
    posted = await group.alice.slash(group.channel, "prompt")
    prompt_message = posted.response.message
    prompt = prompt_by_text(prompt_message.embeds[0].description)

    done = await share(group.bob, prompt_message)

    (thread,) = group.channel.threads
    assert thread.id == prompt_message.id  # a thread on the prompt message itself
    assert 0 < len(thread.name) <= 100 and prompt.text.startswith(thread.name.rstrip("…")[:40])
    (answer,) = thread.history()
    assert answer.embeds[0].author.name == "Bob"
    assert answer.embeds[0].description == PRACTICE
    assert answer.mentions == [] and "<@" not in (answer.content or "")
    assert done.ephemeral
    assert "your practice is in the thread" in done.response.content
    # A normal bot's link opens the practice in Discord.
    assert f"https://discord.com/channels/{group.guild.id}/{thread.id}/{answer.id}" in done.response.content
    assert shares(group) == [(group.bob.id, prompt.id, prompt_message.id, thread.id, answer.id)]


async def test_a_second_share_reuses_the_thread_even_after_a_restart(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    await share(group.bob, posted.response.message)
    await group.env.restart_bot(create_bot(database_url=database_url))
    second = await share(group.alice, posted.response.message, "Mine: I ask one question about their work first.")

    (thread,) = group.channel.threads
    created = [m for m in group.channel.history() if m.type == discord.MessageType.thread_created]
    assert len(created) == 1
    assert [m.embeds[0].author.name for m in thread.history()] == ["Bob", "Alice"]
    assert "You have shared 1 practice" in second.response.content
    assert {row[3] for row in shares(group)} == {thread.id}


async def test_mentions_in_a_practice_ping_nobody(group):
    staff = group.guild.roles["Staff"]
    text = f"@everyone and @here, ask {staff.mention} and <@{group.alice.id}> how they write their notes."
    posted = await group.alice.slash(group.channel, "prompt")

    done = await share(group.bob, posted.response.message, text)

    (thread,) = group.channel.threads
    (answer,) = thread.history()
    assert answer.embeds[0].description == text  # shown as given
    assert answer.mentions == [] and answer.role_mentions == [] and not answer.mention_everyone
    assert done.response.message.mentions == [] and not done.response.message.mention_everyone


async def test_without_thread_permission_the_practice_goes_in_the_channel(group):
    bot_member = group.guild.me
    quiet = group.guild.create_text_channel(
        "no-threads", overwrites={bot_member: discord.PermissionOverwrite(create_public_threads=False)}
    )
    posted = await group.alice.slash(quiet, "prompt")
    prompt = prompt_by_text(posted.response.embeds[0].description)

    done = await share(group.bob, posted.response.message)

    assert quiet.threads == []
    answer = quiet.last_message
    assert answer.embeds[0].author.name == "Bob"
    assert answer.embeds[0].description == PRACTICE
    assert "in answer to" in answer.embeds[0].footer.text  # says which prompt, outside a thread
    assert f"posted in {quiet.mention}" in done.response.content
    assert shares(group) == [(group.bob.id, prompt.id, posted.response.message.id, quiet.id, answer.id)]


async def test_when_discord_refuses_the_thread_the_practice_goes_in_the_channel(group):
    posted = await group.alice.slash(group.channel, "prompt")
    group.env.inject_error(
        "POST", "/channels/*/messages/*/threads", status=403, code=50013, message="Missing Permissions"
    )

    done = await share(group.bob, posted.response.message)

    assert group.channel.threads == []
    assert group.channel.last_message.embeds[0].description == PRACTICE
    assert "Thanks" in done.response.content
    assert len(shares(group)) == 1


async def test_a_failed_post_gives_the_text_back_and_records_nothing(group):
    posted = await group.alice.slash(group.channel, "prompt")
    group.env.inject_error("POST", "/channels/*/messages", status=500)

    failed = await share(group.bob, posted.response.message)

    assert failed.ephemeral
    assert "not posted" in failed.response.content
    assert f"```\n{PRACTICE}\n```" in failed.response.content
    assert shares(group) == []
    assert all(not t.history() for t in group.channel.threads)

    retried = await share(group.bob, posted.response.message)  # the fault was one-off
    assert "Thanks" in retried.response.content
    assert len(shares(group)) == 1


async def test_a_forbidden_post_explains_the_missing_permission(group):
    posted = await group.alice.slash(group.channel, "prompt")
    group.env.inject_error("POST", "/channels/*/messages", status=403, code=50013, message="Missing Permissions")

    failed = await share(group.bob, posted.response.message)

    assert "permission" in failed.response.content
    assert PRACTICE in failed.response.content
    assert shares(group) == []


async def test_text_with_a_code_fence_comes_back_as_a_file_when_posting_fails(group):
    text = "My note template:\n```\nHi Sam, we met at the fair\n```"
    posted = await group.alice.slash(group.channel, "prompt")
    group.env.inject_error("POST", "/channels/*/messages", status=500)

    failed = await share(group.bob, posted.response.message, text)

    (attachment,) = failed.response.message.attachments
    assert (await attachment.read()).decode() == text.strip()
    assert shares(group) == []


async def test_a_practice_of_only_spaces_is_refused_and_shown_back(group):
    posted = await group.alice.slash(group.channel, "prompt")
    text = " " * 30 + "too short"

    refused = await share(group.bob, posted.response.message, text)

    assert refused.ephemeral
    assert "at least 20" in refused.response.content
    assert "too short" in refused.response.content
    assert group.channel.threads == []
    assert shares(group) == []


async def test_shares_count_in_progress_and_are_deleted_with_the_member(group):
    posted = await group.alice.slash(group.channel, "prompt")
    await share(group.bob, posted.response.message)
    await group.env.advance_time(5 * 60)  # past Bob's sharing cooldown on this prompt
    await share(group.bob, posted.response.message, "Second: I thank people within a day of meeting.")

    shown = await group.bob.slash(group.channel, "progress")
    assert {f.name: f.value for f in shown.response.embeds[0].fields}["Practices shared"] == "2"

    store = group.env.bot.store
    exported = await userdata.export_user(store, group.bob.id, group.guild.id)
    assert len(exported["prompt_shares"]) == 2
    await userdata.delete_user(store, group.alice.id, group.guild.id)
    assert rows(group.env.bot, "SELECT * FROM prompt_requests") == []  # Alice's cooldown row
    await userdata.delete_user(store, group.bob.id, group.guild.id)
    assert shares(group) == []


async def test_a_scheduled_prompt_post_can_be_answered_too(group):
    added = await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="9:00", kind="prompt"
    )
    assert added.ephemeral
    await group.counsellor.slash(group.channel, "schedule test", id=1)
    posted = next(m for m in reversed(group.channel.history()) if m.embeds and m.components)
    prompt = prompt_by_text(posted.embeds[0].description)

    await share(group.bob, posted)

    (thread,) = group.channel.threads
    assert thread.id == posted.id
    assert shares(group) == [(group.bob.id, prompt.id, posted.id, thread.id, thread.history()[0].id)]
