"""/privacy: a member sees everything Linkwise keeps about them in a server, and deletes it.

Both work through :mod:`bot.store.userdata`, which finds every table holding rows about a
member (a ``user_id`` column); ``linkwise forget USER_ID`` uses the same deletion everywhere.
"""

from __future__ import annotations

import io
import json
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.i18n import N_, _
from bot.store import userdata
from bot.ui import PersistentItem, member_of, persistent_view, reply

DELETE_COLOUR = discord.Colour.red()


def described(counts: dict[str, int]) -> list[str]:
    """Counts per table in words a member understands, e.g. ``• tips you tried: 3``."""
    return [
        _(
            "• {what}: {count}",
            what=_(userdata.DESCRIPTIONS[table]) if table in userdata.DESCRIPTIONS else table.replace("_", " "),
            count=count,
        )
        for table, count in counts.items()
        if count
    ]


def _counts(export: dict[str, list[dict]]) -> dict[str, int]:
    return {table: len(rows) for table, rows in export.items()}


UNNAMED_NOTE = N_("These stay with the group, and your name is taken off them:")


def confirmation_embed(plan: userdata.Deletion) -> discord.Embed:
    lines = described(plan.removed)
    kept = described(plan.unnamed)
    if lines or kept:
        if lines:
            what = _(
                "This removes everything Linkwise keeps about you in this server:\n{lines}", lines="\n".join(lines)
            )
        else:
            what = _("Linkwise keeps no record about you in this server, only your name on what you made.")
        if kept:
            what += "\n\n" + _(UNNAMED_NOTE) + "\n" + "\n".join(kept)  # a paragraph of its own
    else:
        what = _(
            "Linkwise keeps nothing about you in this server right now. The button is here anyway, "
            "to remove anything recorded before you click it."
        )
    embed = discord.Embed(
        title=_("Delete your Linkwise data here?"),
        colour=DELETE_COLOUR,
        description=_(
            "{what}\n\nYour checklists, tips tried, streak and shared-practice records start again from "
            "zero. This cannot be undone. Messages on Discord (like practices posted in a thread) are not "
            "touched; delete those in Discord. Want a copy first? Use `/privacy export`.",
            what=what,
        )[:4096],
    )
    embed.set_footer(text=_("Only you can see this, and only you can use the button."))
    return embed


def done_message(done: userdata.Deletion) -> str:
    lines = described(done.removed)
    kept = described(done.unnamed)
    if lines and kept:
        text = _(
            "Your Linkwise data in this server is deleted. Removed:\n{removed}\n"
            "Your name is taken off what you made for the group, which stays:\n{kept}",
            removed="\n".join(lines),
            kept="\n".join(kept),
        )
    elif lines:
        text = _("Your Linkwise data in this server is deleted. Removed:\n{removed}", removed="\n".join(lines))
    elif kept:
        text = _(
            "Your Linkwise data in this server is deleted.\n"
            "Your name is taken off what you made for the group, which stays:\n{kept}",
            kept="\n".join(kept),
        )
    else:
        text = _("There was nothing left to delete: Linkwise keeps nothing about you in this server.")
    return _("{text}\n\nIf you use Linkwise again, it starts a fresh record from that moment.", text=text)[:2000]


class DeleteMyData(PersistentItem, prefix="privacy:delete", key=r"[0-9]{1,20}", key_type=int):
    """Deletes the data of the member whose id is in the custom_id (its key), in this server,
    when that same member clicks. Anyone else (or a forged id) is refused and nothing is deleted."""

    key: int

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("Delete my data"),
            style=discord.ButtonStyle.danger,
        )

    async def refusal(self, interaction: discord.Interaction[Linkwise]) -> str | None:
        if interaction.user.id == self.key:
            return None
        return _(
            "This button belongs to the member who asked to delete their own data, so it does nothing "
            "for you and nothing was deleted. To delete your data, use `/privacy delete`."
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        me = member_of(interaction)
        done = await userdata.delete_user(bot.store, me.user_id, me.guild_id)
        # A reply of its own (only the member sees it); a second click finds nothing left to delete.
        await reply(interaction, done_message(done))


@app_commands.guild_only()
class Privacy(
    commands.GroupCog, group_name="privacy", group_description=N_("See or delete what Linkwise keeps about you")
):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="export", description=N_("Get a file with everything Linkwise keeps about you here"))
    async def export(self, interaction: discord.Interaction[Linkwise]) -> None:
        me = member_of(interaction)
        data = await userdata.export_user(self.bot.store, me.user_id, me.guild_id)
        lines = described(_counts(data))
        if lines:
            note = _(
                "Everything Linkwise keeps about you in this server is in the attached file:\n{lines}",
                lines="\n".join(lines),
            )
        else:
            note = _("Linkwise keeps nothing about you in this server; the attached file is empty.")
        note = _(
            "{note}\n\nThe file is JSON, one list of records per kind. The text of practices you shared stays "
            "on Discord, not in Linkwise. To remove all of this, use `/privacy delete` (what you made for "
            "the group stays with it, without your name).",
            note=note,
        )
        payload = json.dumps(data, indent=2, ensure_ascii=False, default=str).encode("utf-8")
        file = discord.File(io.BytesIO(payload), filename=f"linkwise-data-{me.guild_id}-{me.user_id}.json")
        await reply(interaction, note[:2000], file=file)

    @app_commands.command(name="delete", description=N_("Delete everything Linkwise keeps about you here"))
    async def delete(self, interaction: discord.Interaction[Linkwise]) -> None:
        me = member_of(interaction)
        data = await userdata.export_user(self.bot.store, me.user_id, me.guild_id)
        view = persistent_view(DeleteMyData(me.user_id))
        await reply(interaction, embed=confirmation_embed(userdata.counts(data, me.user_id)), view=view)


async def setup(bot: Linkwise) -> None:
    bot.add_dynamic_items(DeleteMyData)
    await bot.add_cog(Privacy(bot))
