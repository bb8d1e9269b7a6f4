"""/help: what Linkwise does, three first steps, and the commands this bot has."""

from __future__ import annotations

import discord


async def test_help_explains_and_lists_commands(group):
    result = await group.alice.slash(group.channel, "help")

    assert result.ephemeral
    embed = result.response.embeds[0]
    fields = {f.name: f.value for f in embed.fields}
    assert "LinkedIn" in embed.description
    steps = fields["Start here"].splitlines()
    assert len(steps) == 3 and steps[0].startswith("1.") and "/tip" in steps[0]
    assert "/tip" in fields["For members"]
    assert "Manage Server" in fields["For counsellors"]
    # Every command mentioned exists: help never advertises a command the bot lacks.
    names = {c.name for c in group.env.bot.tree.get_commands()}
    members, menus_line = fields["For members"].splitlines()[:-1], fields["For members"].splitlines()[-1]
    for line in members:
        assert line.startswith("`/") and line.split()[0].strip("`/").split("|")[0] in names
    # The review's match and its two message menus, which a member finds under Apps.
    assert any(line.startswith("`/review match`") for line in members)
    assert "/review headline|invite|about" in fields["For members"]
    menus = {c.name for c in group.env.bot.tree.get_commands(type=discord.AppCommandType.message)}
    assert {"Review as headline", "Review as connection note"} <= menus
    assert menus_line.startswith("Right-click a message → **Apps**")
    assert "**Review as headline**" in menus_line and "**Review as connection note**" in menus_line
    assert len(fields["For members"]) <= 1024
