"""/help: what Linkwise does, three first steps, and the commands this bot has."""

from __future__ import annotations


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
    for line in fields["For members"].splitlines():
        assert line.split()[0].strip("`/").split("|")[0] in names
