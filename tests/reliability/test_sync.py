"""Command sync only when the tree changed (issue 10, case 13): Discord rate-limits command
syncs, so ten restarts of an unchanged bot sync once; a changed tree, or asking, syncs again."""

from __future__ import annotations

import dataclasses
import fnmatch

import discord
from discord import app_commands
from discord.ext import commands

from bot import create_bot
from bot.config import Settings


def syncs(env) -> list[str]:
    """Every command sync the bot made: "global", or the server it synced to."""
    out = []
    for request in env.http_requests:
        if request.method != "PUT":
            continue
        if fnmatch.fnmatchcase(request.path, "/applications/*/guilds/*/commands"):
            out.append(request.path.split("/")[4])
        elif fnmatch.fnmatchcase(request.path, "/applications/*/commands"):
            out.append("global")
    return out


class Extra(commands.Cog):
    """A new command, as the next version of Linkwise might ship."""

    @app_commands.command(name="new-feature", description="Something new")
    async def new_feature(self, interaction: discord.Interaction) -> None:
        await interaction.response.send_message("New!", ephemeral=True)


async def with_extra(database_url):
    bot = create_bot(database_url=database_url)
    await bot.add_cog(Extra())
    return bot


async def test_ten_restarts_sync_once_and_a_changed_tree_syncs_again(group, database_url):
    env = group.env
    assert syncs(env) == ["global"] and env.bot.synced  # the first start, on a new database

    for _ in range(10):
        await env.restart_bot(create_bot(database_url=database_url))
        assert not env.bot.synced
    assert syncs(env) == ["global"]
    assert (await group.alice.slash(group.channel, "tip")).response.embeds  # the commands still work

    await env.restart_bot(await with_extra(database_url))  # a new version with one more command
    assert env.bot.synced
    await env.restart_bot(await with_extra(database_url))
    assert not env.bot.synced
    assert syncs(env) == ["global"] * 2
    assert (await group.alice.slash(group.channel, "new-feature")).response.content == "New!"

    await env.restart_bot(create_bot(database_url=database_url))  # and back: the tree changed again
    assert syncs(env) == ["global"] * 3


async def test_asking_syncs_even_when_nothing_changed(group, database_url):
    await group.env.restart_bot(create_bot(database_url=database_url, force_sync=True))
    assert group.env.bot.synced
    await group.env.restart_bot(create_bot(database_url=database_url))
    assert syncs(group.env) == ["global", "global"]


async def test_a_development_server_is_synced_once_too(group, database_url):
    dev = dataclasses.replace(Settings(), dev_guild_id=group.guild.id)
    for _ in range(3):
        await group.env.restart_bot(create_bot(database_url=database_url, settings=dev))
    assert syncs(group.env) == ["global", str(group.guild.id)]
    assert (await group.alice.slash(group.channel, "tip")).response.embeds


async def test_a_failed_sync_does_not_stop_the_bot_and_is_retried_at_the_next_start(group, database_url, caplog):
    group.env.inject_error("PUT", "/applications/*/commands", status=500, times=None)
    await group.env.restart_bot(await with_extra(database_url))
    assert not group.env.bot.synced
    assert "could not sync the command tree (HTTP 500)" in caplog.text
    assert (await group.alice.slash(group.channel, "tip")).response.embeds  # the bot serves what Discord has

    group.env.backend.faults.clear()
    await group.env.restart_bot(await with_extra(database_url))
    assert group.env.bot.synced  # the new tree was never recorded as synced, so it is tried again


async def test_a_changed_translation_syncs_again_and_only_once(group, database_url, monkeypatch):
    """The hash is made of the commands and of every translation Discord gets: a French
    description that changes (a corrected catalogue, say) is synced like a changed command,
    and the start after that finds it unchanged."""
    import bot.translator as translator

    await group.env.restart_bot(create_bot(database_url=database_url))
    assert syncs(group.env) == ["global"]
    french = translator.translate

    def corrected(message, locale, /, **values):
        text = french(message, locale, **values)
        return text + " (corrigé)" if message == "Get a LinkedIn tip you have not seen yet" else text

    monkeypatch.setattr(translator, "translate", corrected)
    for _ in range(2):
        await group.env.restart_bot(create_bot(database_url=database_url))
    assert syncs(group.env) == ["global", "global"]
    tip = next(c for c in await group.env.bot.tree.fetch_commands() if c.name == "tip")
    assert tip.description_localizations[discord.Locale.french].endswith("(corrigé)")
