"""Counsellor permissions are checked in code (issue 10, case 18).

Discord's ``default_permissions`` only hide a command; a server can open any command to
everyone (Server Settings > Integrations). Every counsellor command, found from the command
tree (a command whose default permissions include Manage Server), is tried by a plain member
after the server opened it to everyone: each is refused ephemerally with the counsellor
message, and no row of the database changes. A counsellor command added later is covered
without touching this file.

Linkwise has no counsellor-only buttons today (its buttons belong to the member who clicks
them: tips, checklists, shares, and the privacy button, whose owner check is in
tests/reliability/test_components.py and tests/cogs/privacy/test_privacy.py).
"""

from __future__ import annotations

import asyncio

import discord
import pytest
from discord import app_commands

from bot import create_bot
from bot.app import EXTENSIONS
from tests.db import contents

REFUSAL = "Only counsellors can"


async def _discover() -> list[tuple[str, list[app_commands.Parameter]]]:
    bot = create_bot(database_url="unused.db")  # never started: only its command tree is read
    for extension in EXTENSIONS:
        await bot.load_extension(extension)
    found = []
    for command in bot.tree.walk_commands():
        if isinstance(command, app_commands.Group):
            continue
        root = command.root_parent or command
        if root.default_permissions is not None and root.default_permissions.manage_guild:
            found.append((command.qualified_name, list(command.parameters)))
    return found


COUNSELLOR_COMMANDS = asyncio.run(_discover())

# A plausible value per option name, so that a missing check would really change something.
VALUES = {
    "time": "09:00",
    "timezone": "Europe/London",
    "days": "daily",
    "title": "Ask for one introduction",
    "body": "Ask one person you trust for one introduction this week, and say why.",
    "text": "Which message got you a reply from a recruiter, and why do you think it worked?",
    "page": 1,
}


def snapshot(database_url) -> dict[str, list]:
    return contents(database_url)


def value_for(group, parameter: app_commands.Parameter, role: discord.Role):
    if parameter.choices:
        return parameter.choices[0].value
    if parameter.type is discord.AppCommandOptionType.channel:
        return group.channel
    if parameter.type is discord.AppCommandOptionType.role:
        return role
    if parameter.type is discord.AppCommandOptionType.user:
        return group.bob
    if parameter.name == "id":
        return 1 if parameter.type is discord.AppCommandOptionType.integer else "custom-tip-1"
    return VALUES.get(parameter.name, "something")


def test_the_tree_has_the_known_counsellor_commands():
    names = {name for name, _ in COUNSELLOR_COMMANDS}
    assert {"schedule add", "schedule remove", "content add-tip", "settings timezone", "group report"} <= names
    assert not names & {"tip", "checklist", "progress", "privacy delete", "review headline"}


@pytest.mark.parametrize(("name", "parameters"), COUNSELLOR_COMMANDS, ids=[n for n, _ in COUNSELLOR_COMMANDS])
async def test_every_counsellor_command_refuses_a_member_even_when_opened_to_everyone(
    group, database_url, name, parameters
):
    env, guild = group.env, group.guild
    # Something for the command to act on, so a missing check would show in the database.
    await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="09:00")
    await group.counsellor.slash(
        group.channel, "content add-tip", topic="profile", title=VALUES["title"], body=VALUES["body"]
    )
    await group.alice.slash(group.channel, "tip")
    role = guild.create_role("Mentors")
    for command in await env.bot.tree.fetch_commands():
        guild.set_command_permissions(command, {guild.default_role: True})
    before = snapshot(database_url)

    options = {p.name: value_for(group, p, role) for p in parameters if p.required or p.name in VALUES}
    result = await group.alice.slash(group.channel, name, **options)

    assert result.ephemeral
    assert REFUSAL in result.response.content
    assert "Manage Server" in result.response.content
    assert snapshot(database_url) == before
    assert [m for m in group.channel.history() if m.author.bot and not m.flags.ephemeral] == []


async def test_progress_of_another_member_is_refused_and_records_nothing(group, database_url):
    await group.bob.slash(group.channel, "tip")
    commands = {c.name: c for c in await group.env.bot.tree.fetch_commands()}
    group.guild.set_command_permissions(commands["progress"], {group.guild.default_role: True})
    before = snapshot(database_url)

    refused = await group.alice.slash(group.channel, "progress", member=group.bob)

    assert refused.ephemeral and REFUSAL in refused.response.content
    assert "Bob" not in refused.response.content  # nothing about Bob leaks in the refusal
    assert snapshot(database_url) == before
    # Her own progress stays open to her, and a counsellor may look at Bob's.
    own = await group.alice.slash(group.channel, "progress", member=group.alice)
    assert REFUSAL not in str(own.response.content)
    looked = await group.counsellor.slash(group.channel, "progress", member=group.bob)
    assert REFUSAL not in str(looked.response.content)
