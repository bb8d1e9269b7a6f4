"""/progress: a member's checklists, tips tried, practices shared, weekly streak, last active."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.app import Linkwise
from bot.i18n import N_, _, current_locale, ngettext, number
from bot.permissions import refusal
from bot.ui import member_of, reply
from cogs.progress import service as progress


def progress_embed(name: str, summary: progress.Summary) -> discord.Embed:
    embed = discord.Embed(title=_("Progress: {name}", name=name), colour=discord.Colour.from_rgb(10, 102, 194))
    for entry in summary.lists:
        embed.add_field(name=entry.checklist.title, value=entry.line(), inline=False)
    streak = summary.weekly_streak
    embed.add_field(name=_("Tips tried"), value=number(summary.tips_tried))
    embed.add_field(name=_("Practices shared"), value=number(summary.practices_shared))
    embed.add_field(name=_("Weekly streak"), value=ngettext("{n} week", "{n} weeks", streak))
    last = summary.last_active
    embed.add_field(
        name=_("Last active"),
        value=clock.shown(last) if last else _("Not yet: try `/tip` to start"),
    )
    return embed


class Progress(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="progress", description=N_("See your LinkedIn progress (counsellors: anyone's)"))
    @app_commands.describe(member=N_("Counsellors only: whose progress to see (default: yours)"))
    @app_commands.guild_only()
    async def progress(self, interaction: discord.Interaction[Linkwise], member: discord.User | None = None) -> None:
        # ``discord.User``, not ``discord.Member``: Discord sends a plain user for someone who is
        # not in this server (they left, or share another server with the counsellor), and a
        # Member annotation would fail to convert before this code could answer.
        me = member_of(interaction)
        target = member or interaction.user
        if target.id != me.user_id and (refused := await refusal(interaction, N_("see another member's progress"))):
            return await reply(interaction, refused)
        name = discord.utils.escape_markdown(target.display_name)
        if not isinstance(target, discord.Member):
            return await reply(
                interaction,
                _(
                    "**{name}** is not a member of this server (they may have left), so Linkwise shows no "
                    "progress for them here. Pick a current member; `/group report` still lists what anyone "
                    "did here before they left.",
                    name=name,
                ),
            )
        content = self.bot.content.localized(current_locale())
        summary = await progress.summary(content, self.bot.store, me.guild_id, target.id)
        await reply(interaction, embed=progress_embed(name, summary))


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Progress(bot))
