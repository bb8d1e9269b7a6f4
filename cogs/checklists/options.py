"""The checklists feature's typed option: a checklist, by its id or title."""

from __future__ import annotations

from typing import TYPE_CHECKING

import discord
from discord import app_commands

from bot.content import Checklist
from bot.i18n import current_locale
from bot.options import ParsedOption
from bot.ui import as_linkwise
from cogs.checklists.service import find_checklist

if TYPE_CHECKING:
    from bot.app import Linkwise


class ChecklistName(ParsedOption):
    """A checklist's id or title, case-insensitive, suggested as the member types."""

    @classmethod
    def read(cls, interaction: discord.Interaction[Linkwise], text: str) -> Checklist:
        return find_checklist(interaction.client.content.localized(current_locale()), text)

    async def autocomplete(
        self, interaction: discord.Interaction[discord.Client], value: int | float | str, /
    ) -> list[app_commands.Choice[int | float | str]]:
        wanted = str(value).casefold()
        choices: list[app_commands.Choice[int | float | str]] = [
            app_commands.Choice(name=c.title, value=c.id)
            for c in as_linkwise(interaction).client.content.localized(current_locale()).checklists
            if wanted in c.id or wanted in c.title.casefold()
        ]
        return choices[:25]
