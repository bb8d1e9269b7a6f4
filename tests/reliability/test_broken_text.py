"""Text with broken characters (lone surrogates) in every place a member types (issue 13, item 10).

A lone surrogate ("\\ud800": half of a character outside the Basic Multilingual Plane, left by a
copy that split an emoji) cannot be encoded as UTF-8, so SQLite refused it and the member got
the generic apology. Every command option and form now refuses it in one place, before anything
runs, and gives the text back as a file with the broken characters marked, like the other
refusals that return a member's text.
"""

from __future__ import annotations

import pytest

from tests.db import rows
from tests.payloads import limit_problems

from .test_hostile_input import STRING_OPTIONS, row_counts

BROKEN = "\ud800"
MARK = "\ufffd"
BODY = "Ask for an introduction only after you have helped that person once."


async def attached_text(result) -> str:
    (attachment,) = result.response.attachments
    assert attachment.filename == "your-text.txt"
    return (await attachment.read()).decode("utf-8")


def says_broken(text: str, count: int = 1) -> None:
    assert f"{count} broken character" in text
    assert "nothing" in text.lower()
    assert MARK in text  # says how the broken characters are shown in the file
    assert "Something went wrong" not in text


async def test_a_tip_title_with_a_broken_character_is_refused_with_the_text_back(group, database_url):
    title = f"Endorse {BROKEN}skills you saw"
    result = await group.counsellor.slash(group.channel, "content add-tip", topic="profile", title=title, body=BODY)

    assert result.ephemeral
    says_broken(result.response.content)
    assert "`title`" in result.response.content
    assert await attached_text(result) == f"Endorse {MARK}skills you saw\n\n{BODY}"
    assert rows(database_url, "SELECT COUNT(*) FROM custom_content") == [(0,)]


async def test_a_prompt_with_broken_characters_is_refused_with_the_text_back(group, database_url):
    text = f"Who helped you {BROKEN}most this month{BROKEN}{BROKEN}, and how did you thank them?"
    result = await group.counsellor.slash(group.channel, "content add-prompt", text=text)

    says_broken(result.response.content, 3)
    assert await attached_text(result) == text.replace(BROKEN, MARK)
    assert rows(database_url, "SELECT COUNT(*) FROM custom_content") == [(0,)]


async def test_a_whole_emoji_is_not_broken(group, database_url):
    title = "Say thanks \U0001f64f in public"
    result = await group.counsellor.slash(group.channel, "content add-tip", topic="profile", title=title, body=BODY)

    assert "Added your tip" in result.response.content
    assert rows(database_url, "SELECT title FROM custom_content") == [(title,)]


@pytest.mark.parametrize(("command", "option", "others", "counsellor"), STRING_OPTIONS, ids=lambda v: str(v))
async def test_every_string_option_refuses_broken_text_clearly(
    group, database_url, command, option, others, counsellor
):
    actor = group.counsellor if counsellor else group.alice
    if command == "schedule add":
        others = {"channel": group.channel, **others}
    before = row_counts(database_url)

    result = await actor.slash(group.channel, command, **{**others, option: f"ab{BROKEN}cd"})

    assert result.ephemeral
    says_broken(result.response.content)
    assert f"`{option}`" in result.response.content
    assert f"ab{MARK}cd" in await attached_text(result)
    assert row_counts(database_url) == before  # nothing was done
    assert limit_problems(group.env.http_requests) == []


async def test_the_share_form_refuses_broken_text_and_gives_it_back(group, database_url):
    prompt = await group.counsellor.slash(group.channel, "prompt")
    opened = await group.alice.click(prompt.response.message, label="Share your practice")
    practice = f"I thanked a former manager {BROKEN}publicly and she introduced me to her team."

    result = await group.alice.submit_modal(opened, {"practice": practice})

    assert result.ephemeral
    says_broken(result.response.content)
    assert await attached_text(result) == practice.replace(BROKEN, MARK)
    assert rows(database_url, "SELECT COUNT(*) FROM prompt_shares") == [(0,)]
    assert group.channel.threads == []  # nothing was posted
    # The member can still share, once the text is fixed.
    again = await group.alice.click(prompt.response.message, label="Share your practice")
    fixed = await group.alice.submit_modal(again, {"practice": practice.replace(BROKEN, "")})
    assert "your practice is in the thread" in fixed.response.content


async def test_the_about_form_refuses_broken_text_and_gives_it_back(group):
    opened = await group.alice.slash(group.channel, "review about")
    about = f"I help small charities {BROKEN}measure what works, and I am looking for my next analyst role."

    result = await group.alice.submit_modal(opened, {"text": about})

    says_broken(result.response.content)
    assert await attached_text(result) == about.replace(BROKEN, MARK)
    assert not result.response.embeds
