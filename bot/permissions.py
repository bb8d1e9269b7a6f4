"""Who is a counsellor: one implementation, used by every counsellor command and button.

A counsellor has Manage Server, or the role set with ``/settings counsellor-role``. This runs in
code on every use: a server's command permissions (Discord's ``default_permissions``) are only
a hint, and a server may open a counsellor command to everyone.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

import discord
from discord import app_commands

from bot.i18n import _
from bot.store import Store, settings

if TYPE_CHECKING:
    from bot.app import Linkwise


async def is_counsellor(store: Store, member: discord.abc.User) -> bool:
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    role_id = (await settings.get(store, member.guild.id)).counsellor_role_id
    return role_id is not None and any(role.id == role_id for role in member.roles)


COUNSELLOR = "counsellor"  # the extras key: what a counsellor-only command lets them do

CommandOrGroup = TypeVar("CommandOrGroup", bound="app_commands.Command[Any, ..., Any] | app_commands.Group")


def counsellors_only(what: str) -> Callable[[CommandOrGroup], CommandOrGroup]:
    """Mark a command counsellor-only (place it above ``@app_commands.command``); the command
    tree checks it before the command runs (:meth:`bot.tree.LinkwiseTree.interaction_check`).
    ``what`` completes "Only counsellors can ...": an infinitive phrase in English marked with
    ``N_`` (``counsellors_only(N_("see the group report"))``), translated when a member is
    refused. A whole GroupCog is marked with ``group_extras=counsellor_extras(what)``."""

    def mark(command: CommandOrGroup) -> CommandOrGroup:
        command.extras[COUNSELLOR] = what
        return command

    return mark


def counsellor_extras(what: str) -> dict[str, str]:
    """``group_extras`` for a GroupCog whose every command is counsellor-only."""
    return {COUNSELLOR: what}


def counsellor_task(command: object) -> str | None:
    """What a command lets counsellors do, if it (or a group it is in) is counsellor-only."""
    node = command
    while isinstance(node, app_commands.Command | app_commands.Group):
        what = node.extras.get(COUNSELLOR)
        if what:
            return str(what)
        node = node.parent
    return None


async def refusal(interaction: discord.Interaction[Linkwise], what: str) -> str | None:
    """Why the member may not do ``what`` (None: they are a counsellor), naming the role: the
    tree answers it for a command marked counsellor-only, and a command or button whose check
    depends on its options (``/progress member``) answers it itself."""
    store = interaction.client.store
    if await is_counsellor(store, interaction.user):
        return None
    role = None
    if interaction.guild is not None:
        role_id = (await settings.get(store, interaction.guild.id)).counsellor_role_id
        role = interaction.guild.get_role(role_id) if role_id else None
    task = _(what)
    if role is not None:
        return _(
            # Translators: {task} is a command's task, as translated (an infinitive phrase).
            "Only counsellors can {task}. Counsellors have the Manage Server permission or the **{role}** role; "
            "ask one of them if you need this.",
            task=task,
            role=discord.utils.escape_markdown(role.name),
        )
    return _(
        # Translators: {task} is a command's task, as translated (an infinitive phrase).
        "Only counsellors can {task}. Counsellors have the Manage Server permission; ask one of them if you need this.",
        task=task,
    )
