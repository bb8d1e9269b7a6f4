"""Who is a counsellor: one implementation, used by every counsellor command and button.

A counsellor has Manage Server, or the role set with ``/settings counsellor-role``. This runs in
code on every use: a server's command permissions (Discord's ``default_permissions``) are only
a hint, and a server may open a counsellor command to everyone.
"""

from __future__ import annotations

import discord

from bot.errors import NotCounsellor
from bot.store import Store, settings


async def is_counsellor(store: Store, member: discord.abc.User) -> bool:
    if not isinstance(member, discord.Member):
        return False
    if member.guild_permissions.manage_guild:
        return True
    role_id = (await settings.get(store, member.guild.id)).counsellor_role_id
    return role_id is not None and any(role.id == role_id for role in member.roles)


async def require_counsellor(interaction: discord.Interaction, what: str) -> None:
    """Raise :class:`NotCounsellor` (shown to the member) unless they are a counsellor."""
    store: Store = interaction.client.store  # type: ignore[attr-defined]
    if await is_counsellor(store, interaction.user):
        return
    role_note = ""
    if interaction.guild is not None:
        role_id = (await settings.get(store, interaction.guild.id)).counsellor_role_id
        role = interaction.guild.get_role(role_id) if role_id else None
        if role is not None:
            role_note = f" or the **{discord.utils.escape_markdown(role.name)}** role"
    raise NotCounsellor(
        f"Only counsellors can {what}. Counsellors have the Manage Server permission{role_note}; "
        "ask one of them if you need this."
    )
