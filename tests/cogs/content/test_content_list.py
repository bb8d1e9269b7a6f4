"""/content list pages by what is actually sent (issue 13, item 8).

Titles made of markdown characters are escaped before they are shown, which can double their
length: a page of 25 such lines is over the 4,096 characters Discord allows in an embed's
description, and Discord refuses the whole reply. Pages are measured on the rendered text.
"""

from __future__ import annotations

import re

from bot.custom_content import PROMPT_MAX, TITLE_MAX
from tests.payloads import limit_problems, message_payloads

MIXED = "*_~|>#`\\-[]()<@&!:"
DOUBLED = "*_~|`\\"  # each of these is escaped wherever it is repeated: the text doubles
BODY = "Write to one person you worked with and say what you learnt from them, in two lines."


def hostile(n: int, size: int) -> str:
    """Text of markdown characters that all need escaping, tagged with its number."""
    tag = f" {n:03d}"
    filler = DOUBLED[n % len(DOUBLED)] * size
    return (MIXED + filler)[: size - len(tag)] + tag


def ids_on(embed) -> list[str]:
    return re.findall(r"`(custom-(?:tip|prompt)-\d+)`", embed.description)


async def test_a_list_of_markdown_heavy_titles_is_paged_within_discord_limits(group):
    for n in range(40):
        title = hostile(n, TITLE_MAX)
        done = await group.counsellor.slash(group.channel, "content add-tip", topic="profile", title=title, body=BODY)
        assert "Added your tip" in done.response.content
    for n in range(40, 60):
        done = await group.counsellor.slash(group.channel, "content add-prompt", text=hostile(n, PROMPT_MAX))
        assert "Added your prompt" in done.response.content
    start = len(group.env.http_requests)

    first = await group.counsellor.slash(group.channel, "content list")
    footer = first.response.embeds[0].footer.text
    pages = int(re.search(r"Page 1 of (\d+)", footer).group(1))
    assert pages >= 3
    seen = ids_on(first.response.embeds[0])
    for page in range(2, pages + 1):
        shown = await group.counsellor.slash(group.channel, "content list", page=page)
        embed = shown.response.embeds[0]
        assert f"Page {page} of {pages}" in embed.footer.text
        seen += ids_on(embed)

    sent = message_payloads(group.env.http_requests[start:])
    assert len(sent) == pages
    assert limit_problems(group.env.http_requests[start:]) == []
    for _, body in sent:
        assert len(body["embeds"][0]["description"]) <= 4096
    # Every item once, in order, on some page; none lost between pages.
    assert seen == [f"custom-tip-{n}" for n in range(1, 41)] + [f"custom-prompt-{n}" for n in range(41, 61)]


async def test_each_title_is_shown_literally(group):
    title = "**Bold** _claims_ ~~struck~~ ||spoiler|| > # heading"
    await group.counsellor.slash(group.channel, "content add-tip", topic="profile", title=title, body=BODY)

    shown = await group.counsellor.slash(group.channel, "content list")

    line = shown.response.embeds[0].description
    assert "\\*\\*Bold\\*\\*" in line and "\\_claims\\_" in line and "\\|\\|spoiler\\|\\|" in line


async def test_a_page_past_the_end_shows_the_last_page(group):
    for n in range(30):
        await group.counsellor.slash(
            group.channel, "content add-tip", topic="profile", title=hostile(n, TITLE_MAX), body=BODY
        )

    last = await group.counsellor.slash(group.channel, "content list", page=100)

    footer = last.response.embeds[0].footer.text
    pages = int(re.search(r"Page (\d+) of (\d+)", footer).group(2))
    assert f"Page {pages} of {pages}" in footer
    assert "`custom-tip-30`" in last.response.embeds[0].description
