"""Answering an interaction exactly once: slow work, expired tokens and errors after a reply
(issue 10, cases 1 and 2).

A small test-only cog is added to the real bot before it starts: it stands for any command or
button that defers, runs long, or fails after it already answered. No current Linkwise command
runs long enough to need deferring except `/group report` (tests/cogs/group/test_group_report.py) and
the practice share (tests/cogs/prompts/test_prompts.py), which both defer first.
"""

from __future__ import annotations

import asyncio
import logging

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from bot import create_bot
from bot.ui import GENERIC_FAILURE, PersistentItem, reply

REPORT = "Your report is ready: 12 members, 3 lists."


class Boom(RuntimeError):
    """The unexpected failure these tests provoke on purpose."""


class FailAfterAnswer(PersistentItem, prefix="test:fail-after-answer"):
    def component(self) -> discord.ui.Button:
        return discord.ui.Button(label="Fail after answering")

    async def run(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Recorded.", ephemeral=True)
        raise Boom("after the button answered")


class Faults(commands.Cog):
    """Commands that fail, or finish, at awkward moments."""

    @app_commands.command(name="fail-after-reply", description="test")
    async def fail_after_reply(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("Here is your answer.", ephemeral=True)
        raise Boom("after the reply")

    @app_commands.command(name="fail-after-defer", description="test")
    async def fail_after_defer(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        raise Boom("after deferring")

    @app_commands.command(name="slow", description="test")
    async def slow(self, interaction: discord.Interaction, minutes: int, public: bool = False) -> None:
        await interaction.response.defer(ephemeral=not public, thinking=True)
        await asyncio.sleep(minutes * 60)  # long work, on SimCord's virtual clock
        await reply(interaction, REPORT, ephemeral=not public)

    @app_commands.command(name="slow-then-fail", description="test")
    async def slow_then_fail(self, interaction: discord.Interaction) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
        await asyncio.sleep(16 * 60)
        raise Boom("after the token expired")

    @app_commands.command(name="failing-button", description="test")
    async def failing_button(self, interaction: discord.Interaction) -> None:
        view = discord.ui.View(timeout=None)
        view.add_item(FailAfterAnswer())
        await interaction.response.send_message("Try it:", view=view)


@pytest.fixture
async def simcord_bot(database_url):
    bot = create_bot(database_url=database_url)
    await bot.add_cog(Faults())
    bot.add_dynamic_items(FailAfterAnswer)
    return bot


def seen_by(member, channel) -> list[str]:
    """The text of every message ``member`` can see in ``channel``."""
    return [m.content for m in channel.history(viewer=member)]


def answers(env) -> list[str]:
    """How the bot answered interactions, in order: "callback" for the one initial response an
    interaction allows, "follow-up" for each message sent with its token afterwards."""
    kinds = []
    for request in env.http_requests:
        if request.path.startswith("/interactions/") and request.path.endswith("/callback"):
            kinds.append("callback")
        elif request.path.startswith("/webhooks/") and request.method == "POST":
            kinds.append("follow-up")
    return kinds


def only_boom(env) -> list[BaseException]:
    """Read (and so acknowledge) what reached the error handler; the provoked failures only."""
    errors = env.errors
    causes = [getattr(e, "original", e) for e in errors]
    assert causes and all(isinstance(c, Boom) for c in causes), errors
    return causes


# ---------------------------------------------------------------------- case 2: never twice
async def test_an_error_after_the_reply_is_apologised_for_in_a_follow_up(group, caplog):
    result = await group.alice.slash(group.channel, "fail-after-reply")

    assert result.response.content == "Here is your answer."  # the reply stands
    assert [f.content for f in result.followups] == [GENERIC_FAILURE]
    assert result.followups[0].ephemeral
    assert answers(group.env) == ["callback", "follow-up"]
    assert len(only_boom(group.env)) == 1
    assert "unexpected error" in caplog.text and "fail-after-reply" in caplog.text
    assert "could not tell the member" not in caplog.text  # no 40060 "already acknowledged"


async def test_an_error_after_deferring_replaces_the_thinking_message(group):
    result = await group.alice.slash(group.channel, "fail-after-defer")

    assert answers(group.env) == ["callback", "follow-up"]  # defer, then the apology in its place
    assert result.ephemeral
    assert result.response.content == GENERIC_FAILURE
    assert len(only_boom(group.env)) == 1


async def test_a_button_that_fails_after_answering_apologises_once_in_a_follow_up(group, caplog):
    posted = await group.alice.slash(group.channel, "failing-button")

    clicked = await group.bob.click(posted.response.message, label="Fail after answering")

    assert clicked.response.content == "Recorded."
    assert [f.content for f in clicked.followups] == [GENERIC_FAILURE]
    assert "Boom: after the button answered" in caplog.text
    assert "could not tell the member" not in caplog.text


# ---------------------------------------------------------------------- case 1: slow work
async def test_slow_work_within_the_token_lifetime_answers_in_place(group):
    result = await group.alice.slash(group.channel, "slow", minutes=10)
    assert answers(group.env) == ["callback"] and result.response.content == ""

    await group.env.advance_time(10 * 60)

    assert result.response.content == REPORT
    assert result.ephemeral
    assert REPORT not in seen_by(group.bob, group.channel)


async def test_a_public_answer_after_the_token_expired_is_posted_in_the_channel(group):
    result = await group.alice.slash(group.channel, "slow", minutes=16, public=True)

    await group.env.advance_time(16 * 60)

    assert result.response.content == ""  # the token had expired: the deferral could not be completed
    posted = group.channel.last_message
    assert posted.content == REPORT
    assert posted.author.id == group.env.bot.user.id
    assert REPORT in seen_by(group.bob, group.channel)


async def test_an_ephemeral_answer_after_the_token_expired_is_dropped_never_made_public(group, caplog):
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        await group.alice.slash(group.channel, "slow", minutes=16)
        await group.env.advance_time(16 * 60)

    assert REPORT not in [m.content for m in group.channel.history()]  # not even for Alice: it was lost
    assert seen_by(group.bob, group.channel) == []
    assert "dropped an answer only the member would see" in caplog.text
    assert "command='slow'" in caplog.text


async def test_an_error_after_the_token_expired_is_logged_and_nothing_is_made_public(group, caplog):
    await group.alice.slash(group.channel, "slow-then-fail")
    await group.env.advance_time(16 * 60)

    assert len(only_boom(group.env)) == 1
    assert seen_by(group.bob, group.channel) == []  # the apology was for Alice only: dropped, not posted
    assert "unexpected error" in caplog.text
    assert "dropped an answer only the member would see" in caplog.text


async def test_an_invalid_token_answer_is_treated_as_expired(group):
    result = await group.alice.slash(group.channel, "slow", minutes=1, public=True)
    group.env.inject_error("POST", "/webhooks/*", status=401, code=50027, message="Invalid Webhook Token")

    await group.env.advance_time(60)

    assert result.response.content == ""
    assert group.channel.last_message.content == REPORT


async def test_other_follow_up_failures_still_reach_the_error_path(group, caplog):
    await group.alice.slash(group.channel, "slow", minutes=1, public=True)
    group.env.inject_error("POST", "/webhooks/*", status=500, times=None)

    await group.env.advance_time(60)

    errors = group.env.errors
    assert len(errors) == 1 and isinstance(errors[0].original, discord.HTTPException)
    assert REPORT not in seen_by(group.bob, group.channel)  # a 500 is not an expiry: nothing posted instead
    assert "could not tell the member" in caplog.text
