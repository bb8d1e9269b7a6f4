"""/group report: the weekly check-in for counsellors, as a summary, a CSV and a chart."""

from __future__ import annotations

import io

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.app import Linkwise
from bot.i18n import N_
from bot.permissions import counsellors_only
from bot.ui import bar, member_of, reply
from cogs.group import chart
from cogs.group import service as report

REPORT_COLOUR = discord.Colour.from_rgb(10, 102, 194)


def summary_embed(result: report.Report) -> discord.Embed:
    if not result.rows:
        return discord.Embed(
            title="Group report",
            colour=REPORT_COLOUR,
            description=(
                "Nobody has used Linkwise in this server yet, so there is nothing to report. Invite the "
                "group to try `/tip` and `/checklist`; the report fills in as they do."
            ),
        )
    people = "member has" if result.members == 1 else "members have"
    embed = discord.Embed(
        title="Group report",
        colour=REPORT_COLOUR,
        description=(
            f"**{result.members}** {people} used Linkwise here; **{result.active_recently}** "
            f"{'was' if result.active_recently == 1 else 'were'} active in the last 7 days."
        ),
    )
    averages = [
        f"`{bar(result.average(c), 100)}` {result.average(c)}% · {c.title}" for c in result.checklists
    ]
    embed.add_field(name="Average checklist completion", value="\n".join(averages) or "No checklists", inline=False)
    least = [
        f"{n}. {s.item.label} ({s.checklist.title}): {s.share(result.members)}% of members "
        f"({s.members} of {result.members})"
        for n, s in enumerate(result.least_done, start=1)
    ]
    if least:
        embed.add_field(name="Least-done checklist items", value="\n".join(least)[:1024], inline=False)
    if result.counsellors:
        names = ", ".join(discord.utils.escape_markdown(r.name) for r in result.counsellors)
        embed.add_field(
            name="Counsellors (not counted above)", value=names if len(names) <= 1024 else names[:1023] + "…",
            inline=False,
        )
    embed.set_footer(
        text="The CSV has one row per member with any activity: checklist percents, tips tried, "
        "practices shared, last active and whether they are a counsellor. Names are as Linkwise last saw them."
    )
    return embed


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Group(commands.GroupCog, group_name="group", group_description=N_("See how the group is progressing")):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @counsellors_only(N_("see the group report"))
    @app_commands.command(name="report", description=N_("Summary and CSV of the group's progress (counsellors)"))
    async def report(self, interaction: discord.Interaction[Linkwise]) -> None:
        # A large group takes more than Discord's 3 seconds to gather: acknowledge first.
        await interaction.response.defer(ephemeral=True, thinking=True)
        guild_id = member_of(interaction).guild_id
        now = clock.now()
        result = await report.build(self.bot.content, self.bot.store, guild_id, now)
        data = io.BytesIO(report.to_csv(result))
        name = f"linkwise-group-report-{guild_id}-{now.date().isoformat()}.csv"
        files = [discord.File(data, filename=name)]
        embed = summary_embed(result)
        if result.rows and interaction.guild is not None:
            files.append(await chart.chart_file(self.bot.content, self.bot.store, interaction.guild, now))
            embed.set_image(url=f"attachment://{chart.FILENAME}")
        await reply(interaction, embed=embed, files=files)


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Group(bot))
