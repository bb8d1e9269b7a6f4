"""Forms survive restarts and time; the sharing cooldown; shares under Linkwise's name (issue 13,
items 1, 7 and 12).

A member may open **Share your practice** or ``/review about``, write for a long while, and
submit after Linkwise restarted or more than an hour later. The form is carried out then, or,
where it cannot be (the prompt was removed, its post is gone, the member already shared there
a moment ago), the member's text comes back with what to do. Nothing they typed is lost.

Each member shares at most one practice on a prompt post every 5 minutes, checked when the
button is clicked and, in one write with the claim, when the form is submitted: forms opened
twice, or submitted at the same instant, share once. A shared practice is reposted in
Linkwise's embed with every link's real address and no headings.
"""

from __future__ import annotations

import asyncio
import contextlib
import sys

import discord

from bot import create_bot
from bot.content import default_content
from cogs.review.cog import AboutForm
from tests.db import rows

PRACTICE = "I open every connection note with the project we shared, then offer my notes from it."
ABOUT = (
    "I'm a payroll administrator who has paid 250 employees accurately in three provinces. "
    "Message me and I'll gladly share the month-end checklist I built."
)
HOURS = 3600


def shares(database_url):
    return rows(database_url, "SELECT user_id, prompt_id, prompt_message_id FROM prompt_shares ORDER BY id")


async def open_share(actor, prompt_message):
    shown = await actor.click(prompt_message, label="Share your practice")
    assert shown.modal is not None, shown.response and shown.response.content
    return shown


def assert_posted(result, channel, text=PRACTICE, author="Bob"):
    assert result.ephemeral
    assert "Thanks" in result.response.content, result.response.content
    (thread,) = channel.threads
    answer = thread.history()[-1]
    assert answer.embeds[0].author.name == author
    assert answer.embeds[0].description == text


def assert_text_back(result, text, *expected):
    assert result.ephemeral
    content = result.response.content
    if result.response.message.attachments:
        assert "attached" in content
    else:
        assert f"```\n{text}\n```" in content, content
    for words in expected:
        assert words in content, content


# ---------------------------------------------------------------------- share
async def test_a_share_opened_before_a_restart_is_posted_after_it(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    shown = await open_share(group.bob, posted.response.message)

    await group.env.restart_bot(create_bot(database_url=database_url))
    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_posted(done, group.channel)
    assert [r[0] for r in shares(database_url)] == [group.bob.id]


async def test_a_share_submitted_hours_after_it_was_opened_is_posted(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    shown = await open_share(group.bob, posted.response.message)

    await group.env.advance_time(3 * HOURS)  # past discord.py's hour and the interaction's 15 minutes
    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_posted(done, group.channel)
    assert len(shares(database_url)) == 1


async def test_a_share_opened_then_restarted_twice_and_a_day_later_is_posted(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    shown = await open_share(group.bob, posted.response.message)

    await group.env.restart_bot(create_bot(database_url=database_url))
    await group.env.advance_time(24 * HOURS)
    await group.env.restart_bot(create_bot(database_url=database_url))
    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_posted(done, group.channel)


async def post_custom_prompt(group, text):
    """The server's own prompt, posted with /prompt: it is in the recruiters rotation with the
    built-in ones, so it comes up within one round of that topic."""
    added = await group.counsellor.slash(group.channel, "content add-prompt", text=text, topic="recruiters")
    assert "Added your prompt" in added.response.content
    for _ in range(len(default_content().prompts_for("recruiters")) + 1):
        posted = await group.alice.slash(group.channel, "prompt", topic="recruiters")
        if posted.response.embeds[0].description == text:
            return posted
        await group.env.advance_time(11 * 60)  # past Alice's /prompt cooldown
    raise AssertionError("the server's own prompt never came up")


async def test_a_share_for_a_prompt_removed_meanwhile_gives_the_text_back(group, database_url):
    posted = await post_custom_prompt(group, "Which recruiter helped you most, and how did you thank them?")
    shown = await open_share(group.bob, posted.response.message)

    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-prompt-1")
    assert "Removed" in removed.response.content
    await group.env.restart_bot(create_bot(database_url=database_url))
    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_text_back(done, PRACTICE, "removed", "/prompt")
    assert shares(database_url) == []
    assert group.channel.threads == []  # the removed prompt's text is not posted again, as a thread name
    # Its button now says so at once, before anyone writes an answer.
    late = await group.alice.click(posted.response.message, label="Share your practice")
    assert late.modal is None and late.ephemeral
    assert "removed" in late.response.content


async def test_a_share_form_opened_by_the_previous_version_is_posted_after_the_upgrade(
    group, database_url, monkeypatch
):
    """Before this version the form's custom_id held only the prompt's id; such a form, open
    while Linkwise is upgraded, is still carried out on the post it was opened from."""

    loaded = sys.modules["cogs.prompts.cog"]  # the module the bot loaded with its extension

    async def previous_version(self, interaction):
        await loaded.ShareForm(None, self.key).open(interaction)

    monkeypatch.setattr(loaded.SharePractice, "run", previous_version)
    posted = await group.alice.slash(group.channel, "prompt")
    shown = await open_share(group.bob, posted.response.message)
    assert shown.modal["custom_id"].startswith("linkwise:prompt:answer:")
    monkeypatch.undo()

    await group.env.restart_bot(create_bot(database_url=database_url))
    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_posted(done, group.channel)
    assert shares(database_url) == [
        (group.bob.id, shown.modal["custom_id"].rsplit(":", 1)[1], posted.response.message.id)
    ]


async def test_a_share_whose_prompt_post_was_deleted_gives_the_text_back(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    shown = await open_share(group.bob, posted.response.message)
    # The post is deleted while Bob writes: Discord then refuses a thread on it, and the channel
    # no longer has the prompt his answer was for.
    group.env.inject_error("POST", "/channels/*/messages/*/threads", status=404, code=10008, message="Unknown Message")

    done = await group.bob.submit_modal(shown, {"practice": PRACTICE})

    assert_text_back(done, PRACTICE, "deleted", "/prompt")
    assert shares(database_url) == []
    assert [m for m in group.channel.history() if m.embeds and m.embeds[0].author.name == "Bob"] == []


# ---------------------------------------------------------------------- /review about
async def test_an_about_opened_before_a_restart_is_reviewed_after_it(group, database_url):
    shown = await group.alice.slash(group.channel, "review about")
    assert shown.modal["custom_id"].startswith("linkwise:")

    await group.env.restart_bot(create_bot(database_url=database_url))
    result = await group.alice.submit_modal(shown, {"text": ABOUT})

    assert result.ephemeral
    assert result.response.embeds[0].title.startswith("About section review:")


async def test_an_about_submitted_hours_later_is_reviewed(group):
    shown = await group.alice.slash(group.channel, "review about")

    await group.env.advance_time(5 * HOURS)
    result = await group.alice.submit_modal(shown, {"text": ABOUT})

    assert result.response.embeds[0].title.startswith("About section review:")


async def test_a_form_this_version_no_longer_has_gives_the_text_back(group):
    shown = await group.alice.slash(group.channel, "review about")
    group.env.bot.remove_forms(AboutForm)  # as a newer Linkwise without this form would be

    result = await group.alice.submit_modal(shown, {"text": ABOUT})

    assert_text_back(result, ABOUT, "no longer")


# ---------------------------------------------------------------------- sharing cooldown (item 7)
@contextlib.asynccontextmanager
async def at_the_same_instant(env):
    """Interactions emitted inside this block are held as they reach the bot, then let through
    together when it ends, and SimCord settles once: several are in flight at the same time,
    as when a member double-clicks, which sequential actions (each settled) never are.

    The hold is a SimCord external wait declared by the bot's own ``on_interaction`` task, so
    SimCord's settling after each emit returns while the interaction waits at the door."""
    gate = asyncio.Event()
    bot = env.bot
    real = bot.on_interaction

    async def held(interaction):
        await env.external_wait(gate.wait(), reason="held so that several interactions are in flight at once")
        await real(interaction)

    bot.on_interaction = held  # discord.py looks the handler up on the bot at each dispatch
    try:
        yield
    finally:
        gate.set()
        await env.settle()
        del bot.on_interaction


async def test_a_second_share_on_the_same_prompt_is_refused_at_the_button_until_the_cooldown_ends(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    prompt_message = posted.response.message
    await group.bob.submit_modal(await open_share(group.bob, prompt_message), {"practice": PRACTICE})
    at = int(group.env.now().timestamp())

    refused = await group.bob.click(prompt_message, label="Share your practice")
    assert refused.modal is None
    assert refused.ephemeral
    assert "one practice on a prompt every 5 minutes" in refused.response.content
    # When they shared and can share again: the date and time, then how long.
    assert f"on this prompt at <t:{at}:f> (<t:{at}:R>)." in refused.response.content
    assert f"share again here at <t:{at + 300}:f> (<t:{at + 300}:R>)." in refused.response.content

    other = await open_share(group.alice, prompt_message)  # the cooldown is the member's own
    assert_posted(await group.alice.submit_modal(other, {"practice": PRACTICE}), group.channel, author="Alice")

    await group.env.advance_time(4 * 60)
    assert (await group.bob.click(prompt_message, label="Share your practice")).modal is None
    await group.env.advance_time(60)
    again = await open_share(group.bob, prompt_message)
    second = "Later: I now thank people within a day of meeting them, and say what I took away."
    assert_posted(await group.bob.submit_modal(again, {"practice": second}), group.channel, text=second)
    assert [r[0] for r in shares(database_url)] == [group.bob.id, group.alice.id, group.bob.id]


async def test_the_cooldown_is_per_prompt_post(group, database_url):
    first = await group.alice.slash(group.channel, "prompt")
    second = await group.counsellor.slash(group.channel, "prompt")

    await group.bob.submit_modal(await open_share(group.bob, first.response.message), {"practice": PRACTICE})
    done = await group.bob.submit_modal(await open_share(group.bob, second.response.message), {"practice": PRACTICE})

    assert "Thanks" in done.response.content
    assert len(shares(database_url)) == 2


async def test_a_form_opened_twice_shares_once_and_gives_the_second_text_back(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    first = await open_share(group.bob, posted.response.message)
    second = await open_share(group.bob, posted.response.message)  # both open before either is sent
    other = "Another answer: I follow up a week later with one useful article for them."

    await group.bob.submit_modal(first, {"practice": PRACTICE})
    refused = await group.bob.submit_modal(second, {"practice": other})

    assert_text_back(refused, other, "every 5 minutes", "not posted")
    assert len(shares(database_url)) == 1
    (thread,) = group.channel.threads
    assert [m.embeds[0].description for m in thread.history()] == [PRACTICE]


async def test_double_submits_at_the_same_instant_record_one_share(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    forms = [await open_share(group.bob, posted.response.message) for _ in range(3)]

    async with at_the_same_instant(group.env):
        results = [await group.bob.submit_modal(form, {"practice": PRACTICE}) for form in forms]

    assert [r.acknowledged for r in results] == [True, True, True]
    posted_replies = [r for r in results if "Thanks" in r.response.content]
    refused = [r for r in results if "every 5 minutes" in r.response.content]
    assert len(posted_replies) == 1 and len(refused) == 2
    for result in refused:
        assert_text_back(result, PRACTICE)
    assert len(shares(database_url)) == 1
    (thread,) = group.channel.threads
    assert len(thread.history()) == 1
    assert len(rows(database_url, "SELECT * FROM prompt_share_turns")) == 1


async def test_the_cooldown_is_kept_in_the_database_across_a_restart(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    opened = await open_share(group.bob, posted.response.message)
    await group.bob.submit_modal(await open_share(group.bob, posted.response.message), {"practice": PRACTICE})

    await group.env.restart_bot(create_bot(database_url=database_url))
    refused = await group.bob.submit_modal(opened, {"practice": PRACTICE})

    assert_text_back(refused, PRACTICE, "every 5 minutes")
    assert len(shares(database_url)) == 1


async def test_a_share_turn_is_given_back_when_the_post_fails(group, database_url):
    posted = await group.alice.slash(group.channel, "prompt")
    group.env.inject_error("POST", "/channels/*/messages", status=503)

    failed = await group.bob.submit_modal(await open_share(group.bob, posted.response.message), {"practice": PRACTICE})

    assert_text_back(failed, PRACTICE, "not posted")
    assert rows(database_url, "SELECT * FROM prompt_share_turns") == []
    retried = await group.bob.submit_modal(await open_share(group.bob, posted.response.message), {"practice": PRACTICE})
    assert_posted(retried, group.channel)


# ---------------------------------------------------------------------- under Linkwise's name (item 12)
async def test_a_shared_practice_shows_real_addresses_and_no_headings(group):
    notice = (
        "# OFFICIAL LINKWISE NOTICE\n"
        "-# from the Linkwise team\n"
        "All members must re-verify at [linkedin.com/verify](https://evil.example/steal) "
        "or [here](<https://evil.example/again>) today."
    )
    posted = await group.alice.slash(group.channel, "prompt")

    done = await group.bob.submit_modal(await open_share(group.bob, posted.response.message), {"practice": notice})

    assert "Thanks" in done.response.content
    (thread,) = group.channel.threads
    shown = thread.history()[0].embeds[0].description
    assert shown == (
        "\\# OFFICIAL LINKWISE NOTICE\n"
        "\\-# from the Linkwise team\n"
        "All members must re-verify at linkedin.com/verify (https://evil.example/steal) "
        "or here (<https://evil.example/again>) today."
    )
    assert "](" not in shown
    assert not any(line.lstrip().startswith(("#", "-#")) for line in shown.splitlines())


async def test_a_practice_posted_in_the_channel_is_shown_the_same_way(group):
    bot_member = group.guild.me
    quiet = group.guild.create_text_channel(
        "no-threads", overwrites={bot_member: discord.PermissionOverwrite(create_public_threads=False)}
    )
    posted = await group.alice.slash(quiet, "prompt")

    await group.bob.submit_modal(
        await open_share(group.bob, posted.response.message),
        {"practice": "## Read this\nMy notes: [my portfolio](https://evil.example/x) and the rest."},
    )

    assert quiet.last_message.embeds[0].description == (
        "\\## Read this\nMy notes: my portfolio (https://evil.example/x) and the rest."
    )
