"""/checklist: profile checklists ticked item by item, with a progress bar."""

from __future__ import annotations

from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.content import Checklist
from bot.errors import Refusal
from bot.i18n import N_, _, current_locale
from bot.ui import BRAND_COLOUR, ListProgress, PersistentItem, member_of, persistent_view, reply
from cogs.checklists import service as progress
from cogs.checklists.options import ChecklistName

CHECKLIST_COLOUR = BRAND_COLOUR
DONE_COLOUR = discord.Colour.green()


def overview_embed(lists: list[ListProgress]) -> discord.Embed:
    embed = discord.Embed(
        title=_("Your LinkedIn checklists"),
        colour=CHECKLIST_COLOUR,
        description=_("Open one with `/checklist name` and tick what you have done. Only you see this."),
    )
    for entry in lists:
        mark = " ✅" if entry.finished else ""
        embed.add_field(
            name=f"{entry.checklist.title}{mark}",
            value=f"{entry.line()}\n`/checklist {entry.checklist.id}`",
            inline=False,
        )
    return embed


def checklist_embed(entry: ListProgress) -> discord.Embed:
    checklist = entry.checklist
    lines = [("✅ " if item.id in entry.done else "⬜ ") + item.label for item in checklist.items]
    embed = discord.Embed(
        title=checklist.title,
        colour=DONE_COLOUR if entry.finished else CHECKLIST_COLOUR,
        description=f"{checklist.description}\n\n" + "\n".join(lines),
    )
    embed.add_field(name=_("Progress"), value=entry.line(), inline=False)
    embed.set_footer(text=_("Pick everything you have done in the menu below; untick by leaving it out."))
    return embed


def checklist_view(entry: ListProgress) -> discord.ui.View:
    return persistent_view(ChecklistSelect(entry.checklist.id, shown=entry))


class ChecklistSelect(PersistentItem, prefix="checklist", key=r"[a-z0-9-]{1,60}"):
    """One multi-select per list (its key): option values are item ids, done items preselected.
    Submitting sets the clicker's done items to exactly the selection. Rebuilt from its
    custom_id it shows nothing: it only receives the selection."""

    key: str

    def __init__(self, checklist_id: str, *, shown: ListProgress | None = None) -> None:
        self.shown = shown
        super().__init__(checklist_id)

    def component(self) -> discord.ui.Select[Any]:
        done = self.shown.done if self.shown else frozenset()
        options = [
            discord.SelectOption(label=item.label, value=item.id, description=item.how, default=item.id in done)
            for item in (self.shown.checklist.items if self.shown else ())
        ] or [discord.SelectOption(label=_("(no items)"), value="none")]
        return discord.ui.Select(
            placeholder=_("Tick what you have done"),
            min_values=0,
            max_values=len(options),
            options=options,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        content = bot.content.localized(current_locale())
        checklist = content.checklist(self.key)
        if checklist is None:
            return await reply(
                interaction, _("That checklist is no longer in Linkwise. Use `/checklist` to see the current ones.")
            )
        data: dict[str, Any] = dict(interaction.data or {})
        selected = list(data.get("values", []))
        result = await progress.set_done(content, bot.store, member_of(interaction), checklist, selected)
        if isinstance(result, Refusal):
            return await reply(interaction, result.message)
        celebration = None
        if result.just_finished:
            celebration = _(
                "🎉 You finished **{checklist}**! That is real progress. Pick your next list with `/checklist`.",
                checklist=checklist.title,
            )
        await interaction.response.edit_message(
            content=celebration, embed=checklist_embed(result.progress), view=checklist_view(result.progress)
        )


class Checklists(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="checklist", description=N_("Work through a LinkedIn profile checklist"))
    @app_commands.describe(name=N_("Which checklist (leave empty to see all of them)"))
    @app_commands.guild_only()
    async def checklist(
        self,
        interaction: discord.Interaction[Linkwise],
        name: app_commands.Transform[Checklist, ChecklistName] | None = None,
    ) -> None:
        member = member_of(interaction)
        content = self.bot.content.localized(current_locale())
        lists = await progress.checklist_progress(content, self.bot.store, member.guild_id, member.user_id)
        if name is None:
            await reply(interaction, embed=overview_embed(lists))
            return
        entry = next(e for e in lists if e.checklist.id == name.id)
        await reply(interaction, embed=checklist_embed(entry), view=checklist_view(entry))


async def setup(bot: Linkwise) -> None:
    bot.add_dynamic_items(ChecklistSelect)
    await bot.add_cog(Checklists(bot))
