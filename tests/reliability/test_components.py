"""Persistent components after a restart, and forged custom_ids: refused cleanly, ephemerally,
with nothing written (issue 10, case 3).

A button naming another member (``linkwise:privacy:delete:<their id>``) is covered by
tests/cogs/privacy/test_privacy.py::test_someone_elses_delete_button_is_refused.
"""

from __future__ import annotations

import discord
import pytest

from bot import create_bot
from bot.content import default_content
from bot.ui import STALE_CONTROL
from tests.db import scalar

BASICS = default_content().checklist("profile-basics")
JUNK = "linkwise:" + "x7%~ü" * 18 + "z"  # 100 characters, the most a custom_id may have


def count(database_url, table):
    return scalar(database_url, f"SELECT COUNT(*) FROM {table}")


def stored_rows(database_url):
    """Every row Linkwise keeps about members, table by table."""
    tables = ("members", "member_weeks", "tip_seen", "tip_tried", "checklist_done", "checklist_celebrated")
    return {table: count(database_url, table) for table in tables}


async def post_forged(group, component: discord.ui.Item) -> discord.Message:
    """A message carrying one control the bot never handed out, as a forger (or an old version
    of Linkwise) would leave it. The view is stopped first, so that nothing in this process
    listens to it: the click reaches the bot exactly as an unknown custom_id from Discord."""
    view = discord.ui.View(timeout=None)
    view.add_item(component)
    view.stop()
    return await group.env.bot.get_channel(group.channel.id).send("A control", view=view)


def button(custom_id: str) -> discord.ui.Button:
    return discord.ui.Button(label="Click", custom_id=custom_id)


async def test_tip_buttons_and_checklist_select_work_after_a_restart(group, database_url):
    tip = await group.alice.slash(group.channel, "tip", public=True)
    shown = await group.alice.slash(group.channel, "checklist", name=BASICS.id)

    await group.env.restart_bot(create_bot(database_url=database_url))
    await group.env.restart_bot(create_bot(database_url=database_url))

    tried = await group.bob.click(tip.response.message, label="I tried this")
    assert tried.ephemeral and "tried 1 tip so far" in tried.response.content
    another = await group.bob.click(tip.response.message, label="Another tip")
    assert another.ephemeral and another.response.embeds
    await group.alice.select(shown.response.message, list(BASICS.item_ids[:2]))
    assert f"2/{len(BASICS.items)}" in shown.response.embeds[0].fields[0].value
    assert count(database_url, "checklist_done") == 2


@pytest.mark.parametrize(
    ("custom_id", "expected"),
    [
        pytest.param("linkwise:tip:tried:no-such-tip", "no longer in Linkwise", id="unknown-tip"),
        pytest.param("linkwise:tip:next:no-such-topic", "a topic Linkwise does not know", id="unknown-topic"),
        pytest.param("linkwise:checklist:nope", "That checklist is no longer in Linkwise", id="unknown-checklist"),
        pytest.param(JUNK, STALE_CONTROL, id="100-characters-of-junk"),
        pytest.param("linkwise:tip:tried:" + "a" * 81, STALE_CONTROL, id="one-past-the-template"),
        pytest.param("linkwise:tip:tried:../../etc/passwd", STALE_CONTROL, id="path"),
        pytest.param("linkwise:tip:tried:Profile-Clear-Photo", STALE_CONTROL, id="upper-case"),
        pytest.param("linkwise:privacy:delete:not-a-number", STALE_CONTROL, id="not-a-user-id"),
        pytest.param("linkwise:", STALE_CONTROL, id="prefix-only"),
    ],
)
async def test_a_forged_button_is_refused_ephemerally_and_writes_nothing(group, database_url, custom_id, expected):
    assert len(custom_id) <= 100
    await group.alice.slash(group.channel, "tip")  # some activity to keep unchanged
    before = stored_rows(database_url)
    posted = await post_forged(group, button(custom_id))

    result = await group.bob.click(posted, custom_id=custom_id)

    assert result.acknowledged
    assert result.ephemeral
    assert expected in result.response.content
    assert result.followups == []  # answered once, by one handler
    assert stored_rows(database_url) == before


async def test_a_forged_checklist_select_is_refused(group, database_url):
    unknown = discord.ui.Select(
        custom_id="linkwise:checklist:nope", options=[discord.SelectOption(label="x", value="x")]
    )
    posted = await post_forged(group, unknown)
    refused = await group.alice.select(posted, ["x"], custom_id="linkwise:checklist:nope")
    assert refused.ephemeral
    assert "That checklist is no longer in Linkwise" in refused.response.content

    # A real checklist, but items that are not on it (a select edited by a modified client).
    forged_items = discord.ui.Select(
        custom_id=f"linkwise:checklist:{BASICS.id}",
        max_values=2,
        options=[discord.SelectOption(label=v, value=v) for v in (BASICS.item_ids[0], "not-an-item")],
    )
    posted = await post_forged(group, forged_items)
    refused = await group.alice.select(posted, [BASICS.item_ids[0], "not-an-item"])
    assert refused.ephemeral
    assert "no longer on" in refused.response.content
    assert count(database_url, "checklist_done") == 0
    assert count(database_url, "members") == 0


async def test_junk_is_refused_after_a_restart_too(group, database_url):
    posted = await post_forged(group, button(JUNK))
    await group.env.restart_bot(create_bot(database_url=database_url))

    result = await group.alice.click(posted, custom_id=JUNK)

    assert result.ephemeral
    assert result.response.content == STALE_CONTROL


async def test_controls_of_other_bots_are_left_alone(group):
    """Only ``linkwise:`` ids are Linkwise's to refuse; anything else is not answered at all."""
    posted = await post_forged(group, button("someone-else:button"))

    result = await group.alice.click(posted, custom_id="someone-else:button")

    assert not result.acknowledged
