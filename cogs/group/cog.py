"""/group report: the weekly check-in for counsellors, as a summary, a CSV and a chart."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock
from bot.app import Linkwise
from bot.i18n import N_, _, current_locale, ngettext
from bot.permissions import counsellors_only
from bot.ui import BRAND_COLOUR, bar, member_of, reply

if TYPE_CHECKING:
    from cogs.group.service import Report

# The report's modules (its queries and CSV, the weekly history and the chart) are imported by the
# first /group report, not with the extension: every start would execute them for a weekly command.

REPORT_COLOUR = BRAND_COLOUR


def summary_embed(result: Report) -> discord.Embed:
    if not result.rows:
        return discord.Embed(
            title=_("Group report"),
            colour=REPORT_COLOUR,
            description=_(
                "Nobody has used Linkwise in this server yet, so there is nothing to report. Invite the "
                "group to try `/tip` and `/checklist`; the report fills in as they do."
            ),
        )
    if result.active_recently == 1:
        description = ngettext(
            "**{members}** member has used Linkwise here; **{active}** was active in the last 7 days.",
            "**{members}** members have used Linkwise here; **{active}** was active in the last 7 days.",
            result.members,
            members=result.members,
            active=result.active_recently,
        )
    else:
        description = ngettext(
            "**{members}** member has used Linkwise here; **{active}** were active in the last 7 days.",
            "**{members}** members have used Linkwise here; **{active}** were active in the last 7 days.",
            result.members,
            members=result.members,
            active=result.active_recently,
        )
    embed = discord.Embed(title=_("Group report"), colour=REPORT_COLOUR, description=description)
    averages = [
        _(
            "`{bar}` {percent}% · {checklist}",
            bar=bar(result.average(c), 100),
            percent=result.average(c),
            checklist=c.title,
        )
        for c in result.checklists
    ]
    embed.add_field(
        name=_("Average checklist completion"), value="\n".join(averages) or _("No checklists"), inline=False
    )
    least = [
        _(
            "{rank}. {item} ({checklist}): {percent}% of members ({count} of {members})",
            rank=n,
            item=s.item.label,
            checklist=s.checklist.title,
            percent=s.share(result.members),
            count=s.members,
            members=result.members,
        )
        for n, s in enumerate(result.least_done, start=1)
    ]
    if least:
        embed.add_field(name=_("Least-done checklist items"), value="\n".join(least)[:1024], inline=False)
    if result.counsellors:
        names = ", ".join(discord.utils.escape_markdown(r.name) for r in result.counsellors)
        embed.add_field(
            name=_("Counsellors (not counted above)"), value=names if len(names) <= 1024 else names[:1023] + "…",
            inline=False,
        )
    embed.set_footer(
        text=_(
            "The CSV has one row per member with any activity: checklist percents, tips tried, practices "
            "shared, last active and whether they are a counsellor. Names are as Linkwise last saw them."
        )
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
        from cogs.group import chart, service  # imported by the first report (see above)

        guild_id = member_of(interaction).guild_id
        now = clock.now()
        content = self.bot.content.localized(current_locale())  # checklists in the counsellor's language
        result = await service.build(content, self.bot.store, guild_id, now)
        data = io.BytesIO(service.to_csv(result))
        name = f"linkwise-group-report-{guild_id}-{now.date().isoformat()}.csv"
        files = [discord.File(data, filename=name)]
        embed = summary_embed(result)
        if result.rows and interaction.guild is not None:
            files.append(await chart.chart_file(content, self.bot.store, interaction.guild, now))
            embed.set_image(url=f"attachment://{chart.FILENAME}")
        await reply(interaction, embed=embed, files=files)


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Group(bot))
