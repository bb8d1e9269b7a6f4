"""/settings and the counsellor check, as counsellors and members meet them."""

from __future__ import annotations

import discord
import pytest

from tests.db import one, rows

COUNSELLOR_COMMANDS = [
    ("settings show", {}),
    ("settings timezone", {"timezone": "Europe/London"}),
    ("content add-tip", {"topic": "profile", "title": "My own tip", "body": "A tip body long enough to keep."}),
    ("content add-prompt", {"text": "What did you learn from a recruiter this week?"}),
    ("content list", {}),
    ("content remove", {"id": "custom-tip-1"}),
    ("group report", {}),
]


def settings_row(database_url, guild_id):
    return one(database_url, "SELECT counsellor_role_id, timezone FROM guild_settings WHERE guild_id = ?", (guild_id,))


async def open_command(group, name, role=None):
    """The server opens a command to a role, or to everyone (Server Settings > Integrations)."""
    commands = await group.env.bot.tree.fetch_commands()
    command = next(c for c in commands if c.name == name)
    group.guild.set_command_permissions(command, {role or group.guild.default_role: True})


async def test_show_lists_the_defaults(group):
    result = await group.counsellor.slash(group.channel, "settings show")

    assert result.ephemeral
    text = result.response.content
    assert "Counsellor role: Not set" in text
    assert "Manage Server" in text
    assert "UTC (not set)" in text


async def test_counsellor_role_is_shown_by_name_and_grants_access(group):
    mentors = group.guild.create_role("Mentors")
    carol = group.guild.add_member(group.env.create_user("carol", global_name="Carol"), roles=[mentors])
    await open_command(group, "settings")

    refused = await carol.slash(group.channel, "settings show")
    assert "Only counsellors" in refused.response.content

    done = await group.counsellor.slash(group.channel, "settings counsellor-role", role=mentors)
    assert done.ephemeral
    assert "**Mentors**" in done.response.content
    assert settings_row(group.env.bot, group.guild.id) == (mentors.id, None)

    shown = await carol.slash(group.channel, "settings show")
    assert "Counsellor role: **Mentors**" in shown.response.content
    assert f"<@&{mentors.id}>" not in shown.response.content
    assert shown.response.message.role_mentions == []

    # The role opens every counsellor command, once the server shows it to the role.
    await open_command(group, "group", mentors)
    report = await carol.slash(group.channel, "group report")
    assert report.response.attachments[0].filename.endswith(".csv")


HIDDEN = ("/content", "/group", "/schedule", "/settings")


def says_what_discord_still_needs(text: str, role: str) -> None:
    """The steps an administrator takes so the role sees the counsellor commands."""
    assert "Server Settings → Integrations → **TestBot**" in text
    for command in HIDDEN:
        assert f"`{command}`" in text, command
    assert f"**Add Roles or Members**, pick **{role}**" in text
    assert "Linkwise cannot do this itself" in text
    assert "not enough" in text  # the all-commands row at the top does not unhide these


async def test_setting_a_role_says_what_discord_still_needs_for_it_to_see_the_commands(group):
    mentors = group.guild.create_role("Mentors")
    carol = group.guild.add_member(group.env.create_user("carol", global_name="Carol"), roles=[mentors])

    done = await group.counsellor.slash(group.channel, "settings counsellor-role", role=mentors)

    assert done.ephemeral
    says_what_discord_still_needs(done.response.content, "Mentors")
    assert len(done.response.content) <= 2000
    assert done.response.message.role_mentions == []
    # What the reply describes is true: Discord hides those commands from the role ...
    visible = carol.available_commands(group.channel)
    assert not any(name.split()[0] in ("settings", "content", "group", "schedule") for name in visible)
    assert "progress" in visible  # (anyone's /progress works for the role at once)
    # ... until an administrator adds the role on a command, as the steps say.
    await open_command(group, "schedule", mentors)
    assert "schedule list" in carol.available_commands(group.channel)
    listed = await carol.slash(group.channel, "schedule list")
    assert "No scheduled posts yet" in listed.response.embeds[0].description


async def test_settings_show_repeats_the_steps_while_a_role_is_set(group):
    coaches = group.guild.create_role("Career *Coaches*")
    before = await group.counsellor.slash(group.channel, "settings show")
    assert "Integrations" not in before.response.content  # no role, nothing to do

    await group.counsellor.slash(group.channel, "settings counsellor-role", role=coaches)
    shown = await group.counsellor.slash(group.channel, "settings show")

    says_what_discord_still_needs(shown.response.content, "Career \\*Coaches\\*")
    assert len(shown.response.content) <= 2000


async def test_counsellor_role_can_be_cleared(group):
    mentors = group.guild.create_role("Mentors")
    await group.counsellor.slash(group.channel, "settings counsellor-role", role=mentors)

    cleared = await group.counsellor.slash(group.channel, "settings counsellor-role")

    assert "cleared" in cleared.response.content
    assert settings_row(group.env.bot, group.guild.id) == (None, None)
    shown = await group.counsellor.slash(group.channel, "settings show")
    assert "Counsellor role: Not set" in shown.response.content


async def test_everyone_cannot_be_the_counsellor_role(group):
    result = await group.counsellor.slash(group.channel, "settings counsellor-role", role=group.guild.default_role)

    assert result.ephemeral
    assert "@everyone cannot be the counsellor role" in result.response.content
    assert settings_row(group.env.bot, group.guild.id) is None


async def test_timezone_is_saved_canonically_and_shown(group):
    result = await group.counsellor.slash(group.channel, "settings timezone", timezone="america/toronto")

    assert result.ephemeral
    assert "America/Toronto" in result.response.content
    assert settings_row(group.env.bot, group.guild.id) == (None, "America/Toronto")
    shown = await group.counsellor.slash(group.channel, "settings show")
    assert "Default timezone: America/Toronto" in shown.response.content


async def test_unknown_timezone_says_what_is_accepted_and_keeps_the_old_one(group):
    await group.counsellor.slash(group.channel, "settings timezone", timezone="Europe/Paris")

    result = await group.counsellor.slash(group.channel, "settings timezone", timezone="Mars/Olympus")

    assert result.ephemeral
    assert "'Mars/Olympus' is not a timezone I know" in result.response.content
    assert settings_row(group.env.bot, group.guild.id) == (None, "Europe/Paris")


async def test_timezone_autocomplete_suggests_zones(group):
    choices = await group.counsellor.autocomplete(group.channel, "settings timezone", "timezone", "toron")

    assert "America/Toronto" in [c["value"] for c in choices]
    assert len(choices) <= 25


async def test_a_plain_member_cannot_see_counsellor_commands_by_default(group):
    """Discord's default permissions hide them (the hint); the code check is tested below."""
    visible = group.alice.available_commands(group.channel)

    assert "tip" in visible
    assert not any(name.split()[0] in ("settings", "content", "group") for name in visible)
    assert "privacy delete" in visible


@pytest.mark.parametrize(("command", "options"), COUNSELLOR_COMMANDS, ids=[c for c, _ in COUNSELLOR_COMMANDS])
async def test_member_is_refused_even_when_the_server_opened_the_command(group, command, options):
    await group.counsellor.slash(group.channel, "settings timezone", timezone="Asia/Tokyo")
    await group.counsellor.slash(
        group.channel, "content add-tip", topic="profile", title="Kept", body="This tip must survive a refusal."
    )
    await open_command(group, command.split()[0])

    result = await group.alice.slash(group.channel, command, **options)

    assert result.ephemeral
    text = result.response.content
    assert text.startswith("Only counsellors can")
    db = group.env.bot
    assert settings_row(db, group.guild.id) == (None, "Asia/Tokyo")
    assert rows(db, "SELECT id, body FROM custom_content") == [(1, "This tip must survive a refusal.")]
    assert one(db, "SELECT COUNT(*) FROM members WHERE user_id = ?", (group.alice.id,)) == (0,)


async def test_settings_are_per_server(group):
    other = group.env.create_guild(name="Other Circle")
    channel = other.create_text_channel("general")
    admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    owner = other.add_member(group.env.create_user("olive"), roles=[admins])
    await group.counsellor.slash(group.channel, "settings timezone", timezone="Asia/Tokyo")

    shown = await owner.slash(channel, "settings show")

    assert "UTC (not set)" in shown.response.content
