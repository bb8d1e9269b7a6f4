"""No privileged intents, and the token never in logs or error output (issue 10, case 20)."""

from __future__ import annotations

import logging

import aiohttp
import discord
import pytest

from bot import create_bot


def leaked(token: str, text: str) -> list[str]:
    """The parts of ``token`` found in ``text`` (a token's three dot-separated parts are each
    secret enough: the first is the bot id in base64, the last the signature)."""
    return [part for part in (token, *token.split(".")) if len(part) >= 6 and part in text]


def test_no_privileged_intent_is_requested(database_url):
    intents = create_bot(database_url=database_url).intents
    assert not intents.members
    assert not intents.presences
    assert not intents.message_content
    assert intents.guilds  # what Linkwise does need


@pytest.mark.simcord(approved_intents=discord.Intents.default())
async def test_the_bot_runs_where_no_privileged_intent_was_approved(group):
    result = await group.alice.slash(group.channel, "tip")
    assert result.response.embeds


def test_linkwise_run_at_debug_level_never_shows_the_token(tmp_path, linkwise, fake_token):
    result = linkwise(
        tmp_path,
        "run",
        timeout=30,
        DISCORD_TOKEN=fake_token,
        LINKWISE_DB_PATH=str(tmp_path / "group.db"),
        LINKWISE_LOG_LEVEL="DEBUG",
    )
    text = result.stdout + result.stderr
    assert result.returncode != 0  # no Discord to log in to here (or Discord refused the token)
    assert "DEBUG" in text  # debug logging was really on
    assert leaked(fake_token, text) == []
    assert "Traceback" not in text


async def test_a_failed_login_logs_nothing_of_the_token(database_url, caplog, fake_token):
    bot = create_bot(database_url=database_url)
    caplog.set_level(logging.DEBUG)
    async with bot:
        with pytest.raises((discord.LoginFailure, discord.HTTPException, aiohttp.ClientError, OSError)) as failed:
            await bot.login(fake_token)
    logged = caplog.text + "".join(repr(record.args) for record in caplog.records)
    assert caplog.records, "nothing was logged: the test would prove nothing"
    assert leaked(fake_token, logged) == []
    assert leaked(fake_token, f"{failed.value!s} {failed.value!r}") == []
