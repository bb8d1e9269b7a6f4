"""/help: what Linkwise does, the first three things to try, and every command."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.i18n import N_, _
from bot.ui import reply

# (usage, what it does, root command name). Only commands this bot has are listed.
MEMBER_COMMANDS = (
    ("/tip [topic] [public]", N_("a LinkedIn tip you have not seen yet"), "tip"),
    ("/checklist [name]", N_("work through a profile checklist, item by item"), "checklist"),
    ("/progress", N_("your checklists, tips tried, practices shared and weekly streak"), "progress"),
    ("/prompt [topic]", N_("post a discussion prompt and share what works for you"), "prompt"),
    ("/review headline|invite|about", N_("instant, explained feedback before you post or send"), "review"),
    ("/review match", N_("how well your profile matches a job posting, and what to add"), "review"),
    ("/suggest tip|prompt|status", N_("suggest a tip or prompt for the group; see what was decided"), "suggest"),
    ("/privacy export|delete", N_("see or delete everything Linkwise keeps about you"), "privacy"),
)
COUNSELLOR_COMMANDS = (
    ("/schedule add|list|remove|pause|resume|test", N_("scheduled tip and prompt posts"), "schedule"),
    ("/content add-tip|add-prompt|list|remove|queue", N_("the group's own tips and prompts; suggestions"), "content"),
    ("/group report", N_("who is progressing and who is stuck, with a CSV and a 12-week chart"), "group"),
    (
        "/settings show|counsellor-role|timezone|language",
        N_("who counts as a counsellor; the default time zone; the language"),
        "settings",
    ),
    ("/progress member", N_("one member's progress"), "progress"),
)
# Message menus (right-click a message, then Apps): shown when this bot has them all.
MESSAGE_MENUS = (N_("Review as headline"), N_("Review as connection note"))
MENUS_LINE = N_(
    "Right-click a message → **Apps** → **{headline}** or **{note}** — "
    "the same review, for a draft you wrote in a channel"
)
FIRST_STEPS = (
    ("tip", N_("**/tip** — read one tip, then press **I tried this** once you have done it.")),
    ("checklist", N_("**/checklist profile-basics** — tick what your profile already has.")),
    ("review", N_("**/review headline** — paste your headline and get a score with reasons.")),
    ("progress", N_("**/progress** — see how far you have come.")),
    ("tip", N_("**/tip topic:connecting public:True** — share a tip with the group and talk it over.")),
)


def help_embed(bot: Linkwise) -> discord.Embed:
    present = {command.name for command in bot.tree.get_commands()}
    menus = {command.name for command in bot.tree.get_commands(type=discord.AppCommandType.message)}
    embed = discord.Embed(
        title=_("Linkwise — LinkedIn know-how for your job search group"),
        colour=discord.Colour.from_rgb(10, 102, 194),
        description=_(
            "Linkwise teaches LinkedIn etiquette and profile craft one small step at a time: "
            "tips with an action for today, profile checklists that track your progress, and "
            "prompts where the group shares what works. Everything except public posts is "
            "visible only to you."
        ),
    )
    steps = [_(text) for name, text in FIRST_STEPS if name in present][:3]
    embed.add_field(
        name=_("Start here"), value="\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)), inline=False
    )
    for members, rows in ((True, MEMBER_COMMANDS), (False, COUNSELLOR_COMMANDS)):
        lines = [f"`{usage}` — {_(what)}" for usage, what, root in rows if root in present]
        if members and set(MESSAGE_MENUS) <= menus:
            headline, note = MESSAGE_MENUS
            lines.append(_(MENUS_LINE, headline=_(headline), note=_(note)))
        if not members:
            lines.append(_("Counsellors are members with Manage Server, or the role a counsellor sets."))
        if lines:
            title = _("For members") if members else _("For counsellors")
            embed.add_field(name=title, value="\n".join(lines), inline=False)
    embed.set_footer(text=_("Linkwise never pings anyone and keeps your data only in this server's records."))
    return embed


class Help(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="help", description=N_("What Linkwise does and what to try first"))
    @app_commands.guild_only()
    async def help(self, interaction: discord.Interaction[Linkwise]) -> None:
        await reply(interaction, embed=help_embed(self.bot))


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Help(bot))
