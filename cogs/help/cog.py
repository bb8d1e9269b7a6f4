"""/help: what Linkwise does, the first three things to try, and every command."""

from __future__ import annotations

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.i18n import N_
from bot.ui import reply

# (usage, what it does, root command name). Only commands this bot has are listed.
MEMBER_COMMANDS = (
    ("/tip [topic] [public]", "a LinkedIn tip you have not seen yet", "tip"),
    ("/checklist [name]", "work through a profile checklist, item by item", "checklist"),
    ("/progress", "your checklists, tips tried, practices shared and weekly streak", "progress"),
    ("/prompt [topic]", "post a discussion prompt and share what works for you", "prompt"),
    ("/review headline|invite|about", "instant, explained feedback before you post or send", "review"),
    ("/review match", "how well your profile matches a job posting, and what to add", "review"),
    ("/suggest tip|prompt|status", "suggest a tip or prompt for the group; see what was decided", "suggest"),
    ("/privacy export|delete", "see or delete everything Linkwise keeps about you", "privacy"),
)
COUNSELLOR_COMMANDS = (
    ("/schedule add|list|remove|pause|resume|test", "scheduled tip and prompt posts", "schedule"),
    ("/content add-tip|add-prompt|list|remove|queue", "the group's own tips and prompts; suggestions", "content"),
    ("/group report", "who is progressing and who is stuck, with a CSV and a 12-week chart", "group"),
    ("/settings show|counsellor-role|timezone", "who counts as a counsellor; the default time zone", "settings"),
    ("/progress member", "one member's progress", "progress"),
)
# Message menus (right-click a message, then Apps): shown when this bot has them all.
MESSAGE_MENUS = ("Review as headline", "Review as connection note")
MENUS_LINE = (
    "Right-click a message → **Apps** → **Review as headline** or **Review as connection note** — "
    "the same review, for a draft you wrote in a channel"
)
FIRST_STEPS = (
    ("tip", "**/tip** — read one tip, then press **I tried this** once you have done it."),
    ("checklist", "**/checklist profile-basics** — tick what your profile already has."),
    ("review", "**/review headline** — paste your headline and get a score with reasons."),
    ("progress", "**/progress** — see how far you have come."),
    ("tip", "**/tip topic:connecting public:True** — share a tip with the group and talk it over."),
)


def help_embed(bot: Linkwise) -> discord.Embed:
    present = {command.name for command in bot.tree.get_commands()}
    menus = {command.name for command in bot.tree.get_commands(type=discord.AppCommandType.message)}
    embed = discord.Embed(
        title="Linkwise — LinkedIn know-how for your job search group",
        colour=discord.Colour.from_rgb(10, 102, 194),
        description=(
            "Linkwise teaches LinkedIn etiquette and profile craft one small step at a time: "
            "tips with an action for today, profile checklists that track your progress, and "
            "prompts where the group shares what works. Everything except public posts is "
            "visible only to you."
        ),
    )
    steps = [text for name, text in FIRST_STEPS if name in present][:3]
    embed.add_field(name="Start here", value="\n".join(f"{i}. {s}" for i, s in enumerate(steps, 1)), inline=False)
    for title, rows in (("For members", MEMBER_COMMANDS), ("For counsellors", COUNSELLOR_COMMANDS)):
        lines = [f"`{usage}` — {what}" for usage, what, root in rows if root in present]
        if title == "For members" and set(MESSAGE_MENUS) <= menus:
            lines.append(MENUS_LINE)
        if title == "For counsellors":
            lines.append("Counsellors are members with Manage Server, or the role a counsellor sets.")
        if lines:
            embed.add_field(name=title, value="\n".join(lines), inline=False)
    embed.set_footer(text="Linkwise never pings anyone and keeps your data only in this server's records.")
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
