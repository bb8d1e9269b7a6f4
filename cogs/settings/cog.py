"""/settings: who counts as a counsellor here, the default time zone for new schedules, and the
language Linkwise speaks in the server."""

from __future__ import annotations

from zoneinfo import ZoneInfo

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.content import resolve_locale
from bot.i18n import N_, _, and_list, member_locale, set_locale
from bot.options import TimeZone
from bot.permissions import counsellors_only
from bot.store import settings
from bot.ui import reply


def role_text(guild: discord.Guild | None, role_id: int | None) -> str:
    """The role by name, not as a mention: the reply names it without mentioning anyone."""
    if role_id is None:
        return _("Not set: counsellors are members with the Manage Server permission")
    role = guild.get_role(role_id) if guild else None
    if role is None:
        return _(
            "A role that no longer exists (id {id}); set a new one with `/settings counsellor-role`", id=str(role_id)
        )
    return _(
        "**{role}**, and members with the Manage Server permission", role=discord.utils.escape_markdown(role.name)
    )


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
    listed = and_list(names)
    app = discord.utils.escape_markdown(bot.user.name if bot.user else "Linkwise")
    role_name = discord.utils.escape_markdown(role.name)
    return _(
        "**What Discord still needs:** Discord hides {commands} from members without Manage Server "
        "until someone with Manage Server shows them to the role; Linkwise cannot do this itself. "
        "In Server Settings → Integrations → **{app}**, open each of those commands, choose "
        "**Add Roles or Members**, pick **{role}**, make sure it has a tick, and save. Adding the "
        "role once at the top of that page, for all commands, is not enough: Discord keeps these hidden "
        "until the role is added on each command. If you have done this already, nothing more is needed.",
        commands=listed,
        app=app,
        role=role_name,
    )


LANGUAGE_CHOICES = [
    app_commands.Choice(name=N_("Auto: each member's Discord language"), value="auto"),
    app_commands.Choice(name=N_("English"), value="en"),
    app_commands.Choice(name=N_("French"), value="fr"),
]


def language_text(setting: str, guild: discord.Guild | None) -> str:
    """The server's language setting as /settings show names it."""
    if setting == "en":
        return _("English")
    if setting == "fr":
        return _("French")
    preferred = resolve_locale(guild.preferred_locale if guild else None)
    if preferred == "fr":
        return _(
            "Auto: each member in their Discord language where Linkwise has it (English or French), "
            "else this server's, French"
        )
    return _(
        "Auto: each member in their Discord language where Linkwise has it (English or French), "
        "else this server's, English"
    )


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class Settings(commands.GroupCog, group_name="settings", group_description=N_("Linkwise settings for this server")):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @counsellors_only(N_("see the server's settings"))
    @app_commands.command(name="show", description=N_("See this server's Linkwise settings"))
    async def show(self, interaction: discord.Interaction[Linkwise]) -> None:
        current = await settings.get(self.bot.store, interaction.guild_id or 0)
        if current.timezone:
            zone = _("{zone} (for new schedules)", zone=current.timezone)
        else:
            zone = _("UTC (not set)")
        text = _(
            "**Linkwise settings for this server**\n"
            "Counsellor role: {role}\n"
            "Default timezone: {zone}\n"
            "Language: {language}\n"
            "Change them with `/settings counsellor-role`, `/settings timezone` and `/settings language`.",
            role=role_text(interaction.guild, current.counsellor_role_id),
            zone=zone,
            language=language_text(current.language, interaction.guild),
        )
        role = interaction.guild.get_role(current.counsellor_role_id or 0) if interaction.guild else None
        if role is not None:
            text = f"{text}\n\n{integrations_steps(self.bot, role)}"  # two paragraphs
        await reply(interaction, text)

    @counsellors_only(N_("change who counts as a counsellor"))
    @app_commands.command(name="counsellor-role", description=N_("Choose the role whose members count as counsellors"))
    @app_commands.describe(role=N_("Members with this role can use counsellor commands (leave empty to clear)"))
    async def counsellor_role(
        self, interaction: discord.Interaction[Linkwise], role: discord.Role | None = None
    ) -> None:
        guild_id = interaction.guild_id or 0
        if role is None:
            await settings.set_counsellor_role(self.bot.store, guild_id, None)
            await reply(
                interaction,
                _(
                    "The counsellor role is cleared. Counsellors are now the members with the Manage Server "
                    "permission. Set a role again with `/settings counsellor-role role:`."
                ),
            )
            return
        if role.is_default():
            return await reply(
                interaction,
                _(
                    "@everyone cannot be the counsellor role: every member would see the group report and "
                    "could change settings. Pick a role that only your counsellors have."
                ),
            )
        await settings.set_counsellor_role(self.bot.store, guild_id, role.id)
        name = discord.utils.escape_markdown(role.name)
        await reply(
            interaction,
            _(
                "Members with the **{role}** role are now counsellors: Linkwise lets them use `/settings`, "
                "`/content`, `/schedule`, `/group report` and see anyone's `/progress` (that one works for them "
                "right away). Members with Manage Server still can too.\n\n{steps}",
                role=name,
                steps=integrations_steps(self.bot, role),
            ),
        )

    @counsellors_only(N_("change the server's timezone"))
    @app_commands.command(name="timezone", description=N_("Set the default timezone for new schedules"))
    @app_commands.describe(timezone=N_("An IANA zone such as Europe/London or America/Toronto"))
    async def timezone(
        self, interaction: discord.Interaction[Linkwise], timezone: app_commands.Transform[ZoneInfo, TimeZone]
    ) -> None:
        zone = timezone
        await settings.set_timezone(self.bot.store, interaction.guild_id or 0, zone.key)
        await reply(
            interaction,
            _(
                "The default timezone is now **{zone}**. New schedules use it unless you pick another "
                "zone; existing schedules keep theirs.",
                zone=zone.key,
            ),
        )

    @counsellors_only(N_("change the language Linkwise speaks here"))
    @app_commands.command(name="language", description=N_("Choose the language Linkwise speaks in this server"))
    @app_commands.describe(language=N_("Auto (each member's Discord language), English or French"))
    @app_commands.choices(language=LANGUAGE_CHOICES)
    async def language(self, interaction: discord.Interaction[Linkwise], language: app_commands.Choice[str]) -> None:
        await settings.set_language(self.bot.store, interaction.guild_id or 0, language.value)
        set_locale(member_locale(interaction, language.value))  # the answer is in the new language
        if language.value == "en":
            text = _(
                "Linkwise now speaks English in this server, to every member and in public posts. "
                "Tips, checklists and progress are the same in every language."
            )
        elif language.value == "fr":
            text = _(
                "Linkwise now speaks French in this server, to every member and in public posts. "
                "Tips, checklists and progress are the same in every language."
            )
        else:
            text = _(
                "Linkwise now answers each member in their Discord language where it has it (English or "
                "French), else in this server's language; public posts are in the server's language. "
                "Tips, checklists and progress are the same in every language."
            )
        await reply(interaction, text)



async def setup(bot: Linkwise) -> None:
    await bot.add_cog(Settings(bot))
