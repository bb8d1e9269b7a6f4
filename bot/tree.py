"""The command tree: every command's typed text checked once before it runs, and the one
error path for commands, buttons, selects and modals."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands

from bot.errors import USER_ERRORS
from bot.i18n import _, use_member_locale
from bot.input import InputError
from bot.options import parsed_options
from bot.permissions import counsellor_task, refusal
from bot.ui import GENERIC_FAILURE, describe, refuse_broken_text, reply

if TYPE_CHECKING:
    from bot.app import Linkwise

log = logging.getLogger(__name__)


async def report_error(interaction: discord.Interaction[Linkwise], error: BaseException) -> None:
    """The one error path for commands, buttons, selects and modals.

    A :class:`UserFacingError` or a failed check is shown to the member ephemerally; anything
    else is logged with the command, server and user, and the member gets an apology.
    """
    if isinstance(error, app_commands.CommandInvokeError | app_commands.TransformerError):
        error = error.__cause__ or error
    if isinstance(error, USER_ERRORS):
        message = error.message
    elif isinstance(error, app_commands.NoPrivateMessage):
        message = _("Linkwise commands work inside a server, where your group meets, not in direct messages.")
    elif isinstance(error, app_commands.CommandOnCooldown):
        message = _("Slow down a little: try again in {seconds} seconds.", seconds=round(error.retry_after))
    elif isinstance(error, app_commands.CheckFailure):
        message = str(error) or _("You cannot use this command here.")
    else:
        log.error("unexpected error (%s)", describe(interaction), exc_info=error)
        message = _(GENERIC_FAILURE)
    try:
        await reply(interaction, message)
    except discord.HTTPException:
        log.warning("could not tell the member about an error (%s)", describe(interaction), exc_info=True)


def typed_options(command: Any, options: list[dict[str, Any]] | None) -> list[tuple[str, str]]:
    """(name, value) of every string option the member typed in a command's data, in order,
    subcommands walked. Options with fixed choices are left out: Discord only sends a choice."""
    found: list[tuple[str, str]] = []
    for option in options or []:
        name = str(option.get("name"))
        if "options" in option:  # a subcommand or a group of them
            inner = command.get_command(name) if isinstance(command, app_commands.Group) else None
            found += typed_options(inner, option["options"])
            continue
        if option.get("type") != discord.AppCommandOptionType.string.value or not isinstance(option.get("value"), str):
            continue
        parameter = command.get_parameter(name) if isinstance(command, app_commands.Command) else None
        if parameter is None or not parameter.choices:
            found.append((name, option["value"]))
    return found


def option_problem(
    interaction: discord.Interaction[Linkwise], command: object, typed: list[tuple[str, str]]
) -> str | None:
    """What is wrong with the first typed option that does not parse (:mod:`bot.options`), in
    the options' check order; None when every one parses."""
    if not typed or not isinstance(command, app_commands.Command):
        return None
    parsers = parsed_options(command.callback)
    wanted = sorted(
        ((parsers[name], value) for name, value in typed if name in parsers), key=lambda pair: pair[0].check_order
    )
    for parser, value in wanted:
        try:
            parser.read(interaction, value)
        except InputError as error:
            return error.message
    return None


class LinkwiseTree(app_commands.CommandTree["Linkwise"]):
    async def interaction_check(self, interaction: discord.Interaction[Linkwise], /) -> bool:
        """Every command's typed text is checked here, once, before its command runs; first of
        all, the member's locale is set for everything the interaction answers (autocomplete too)."""
        await use_member_locale(interaction)
        if interaction.type is not discord.InteractionType.application_command:
            return True  # autocomplete only suggests; the command itself is checked when sent
        data: dict[str, Any] = dict(interaction.data or {})
        if data.get("type", 1) != discord.AppCommandType.chat_input.value:
            return True  # context menus carry a message Discord already stored, not typed text
        command = self.get_command(str(data.get("name")), guild=interaction.guild) or self.get_command(
            str(data.get("name"))
        )
        typed = typed_options(command, data.get("options"))
        if await refuse_broken_text(interaction, typed, named=True):
            return False
        leaf = interaction.command
        # Counsellor-only commands (bot.permissions.counsellors_only), checked here, once, so a
        # refusal is answered as an expected outcome and never reaches on_error.
        what = counsellor_task(leaf)
        if what is not None and (refused := await refusal(interaction, what)) is not None:
            await reply(interaction, refused)
            return False
        problem = option_problem(interaction, leaf, typed)
        if problem is not None:
            await reply(interaction, problem)
            return False
        return True

    async def on_error(self, interaction: discord.Interaction[Linkwise], error: app_commands.AppCommandError) -> None:
        await report_error(interaction, error)
