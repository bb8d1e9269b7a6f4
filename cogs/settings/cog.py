"""/settings: who counts as a counsellor here, and the default time zone for new schedules."""

from __future__ import annotations

import typing
from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.errors import UserFacingError
from bot.i18n import N_
from bot.options import TimeZone
from bot.permissions import counsellors_only
from bot.store import settings
from bot.ui import handles_user_errors, reply


def role_text(guild: discord.Guild | None, role_id: int | None) -> str:
    """The role by name, not as a mention: the reply names it without mentioning anyone."""
    if role_id is None:
        return "Not set: counsellors are members with the Manage Server permission"
    role = guild.get_role(role_id) if guild else None
    if role is None:
        return f"A role that no longer exists (id {role_id}); set a new one with `/settings counsellor-role`"
    return f"**{discord.utils.escape_markdown(role.name)}**, and members with the Manage Server permission"


def hidden_commands(bot: Linkwise) -> list[str]:
    """The commands Discord hides from members without the permissions they ask for
    (``default_permissions``), by name: the counsellor commands."""
    hidden = []
    for command in bot.tree.get_commands():
        required = getattr(command, "default_permissions", None)
        if required is not None and required.value:
            hidden.append(command.name)
    return sorted(hidden)


def integrations_steps(bot: Linkwise, role: discord.Role) -> str:
    """What an administrator does in Discord so that ``role`` sees the counsellor commands.

    Linkwise checks the role itself on every counsellor command and button, but Discord hides
    the commands (their ``default_permissions``) from members without Manage Server, and only a
    person can change that: Discord lets an app change its command permissions only with a
    user's OAuth2 token, never with a bot token. Opening the commands to everyone instead would
    show every member commands that refuse them. So the reply says exactly where to click.
    """
    names = [f"`/{name}`" for name in hidden_commands(bot)]
    listed = ", ".join(names[:-1]) + f" and {names[-1]}" if len(names) > 1 else "".join(names)
    app = discord.utils.escape_markdown(bot.user.name if bot.user else "Linkwise")
    role_name = discord.utils.escape_markdown(role.name)
    return (
        f"**What Discord still needs:** Discord hides {listed} from members without Manage Server "
        "until someone with Manage Server shows them to the role; Linkwise cannot do this itself. "
        f"In Server Settings → Integrations → **{app}**, open each of those commands, choose "
        f"**Add Roles or Members**, pick **{role_name}**, make sure it has a tick, and save. Adding the "
        "role once at the top of that page, for all commands, is not enough: Discord keeps these hidden "
        "until the role is added on each command. If you have done this already, nothing more is needed."
    )


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Settings(commands.GroupCog, group_name="settings", group_description=N_("Linkwise settings for this server")):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @counsellors_only(N_("see the server's settings"))
    @app_commands.command(name="show", description=N_("See this server's Linkwise settings"))
    @handles_user_errors
    async def show(self, interaction: discord.Interaction) -> None:
        current = await settings.get(self.bot.store, interaction.guild_id or 0)
        zone = f"{current.timezone} (for new schedules)" if current.timezone else "UTC (not set)"
        text = (
            "**Linkwise settings for this server**\n"
            f"Counsellor role: {role_text(interaction.guild, current.counsellor_role_id)}\n"
            f"Default timezone: {zone}\n"
            "Change them with `/settings counsellor-role` and `/settings timezone`."
        )
        role = interaction.guild.get_role(current.counsellor_role_id or 0) if interaction.guild else None
        if role is not None:
            text += "\n\n" + integrations_steps(self.bot, role)
        await reply(interaction, text)

    @counsellors_only(N_("change who counts as a counsellor"))
    @app_commands.command(name="counsellor-role", description=N_("Choose the role whose members count as counsellors"))
    @app_commands.describe(role=N_("Members with this role can use counsellor commands (leave empty to clear)"))
    @handles_user_errors
    async def counsellor_role(self, interaction: discord.Interaction, role: discord.Role | None = None) -> None:
        guild_id = interaction.guild_id or 0
        if role is None:
            await settings.set_counsellor_role(self.bot.store, guild_id, None)
            await reply(
                interaction,
                "The counsellor role is cleared. Counsellors are now the members with the Manage Server "
                "permission. Set a role again with `/settings counsellor-role role:`.",
            )
            return
        if role.is_default():
            raise UserFacingError(
                "@everyone cannot be the counsellor role: every member would see the group report and "
                "could change settings. Pick a role that only your counsellors have."
            )
        await settings.set_counsellor_role(self.bot.store, guild_id, role.id)
        name = discord.utils.escape_markdown(role.name)
        await reply(
            interaction,
            f"Members with the **{name}** role are now counsellors: Linkwise lets them use `/settings`, `/content`, "
            "`/schedule`, `/group report` and see anyone's `/progress` (that one works for them right away). "
            "Members with Manage Server still can too.\n\n" + integrations_steps(self.bot, role),
        )

    @counsellors_only(N_("change the server's timezone"))
    @app_commands.command(name="timezone", description=N_("Set the default timezone for new schedules"))
    @app_commands.describe(timezone=N_("An IANA zone such as Europe/London or America/Toronto"))
    @handles_user_errors
    async def timezone(self, interaction: discord.Interaction, timezone: TimeZone) -> None:
        zone = typing.cast(ZoneInfo, timezone)  # the transformer's value
        await settings.set_timezone(self.bot.store, interaction.guild_id or 0, zone.key)
        await reply(
            interaction,
            f"The default timezone is now **{zone.key}**. New schedules use it unless you pick another "
            "zone; existing schedules keep theirs.",
        )



async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Settings(bot))
