"""/content: the server's own tips and prompts, and how they join /tip in that server only."""

from __future__ import annotations

import discord

from bot.content import default_content
from tests.db import columns, executemany, rows

BODY = "Before a coffee chat, read the person's last three posts and mention one of them."


async def add_tip(group, topic="endorsements", title="Our group's endorsement rule", body=BODY):
    return await group.counsellor.slash(group.channel, "content add-tip", topic=topic, title=title, body=body)


async def test_add_tip_stores_it_and_shows_how_it_looks(group):
    result = await add_tip(group)

    assert result.ephemeral
    assert "`custom-tip-1`" in result.response.content
    embed = result.response.embeds[0]
    assert (embed.title, embed.description) == ("Our group's endorsement rule", BODY)
    assert "Endorsements" in embed.footer.text
    assert rows(
        group.env.bot, "SELECT id, guild_id, kind, topic, title, body, created_by FROM custom_content"
    ) == [(1, group.guild.id, "tip", "endorsements", "Our group's endorsement rule", BODY, group.counsellor.id)]


async def test_custom_content_has_a_creator_not_a_user_column(group):
    names = columns(group.env.bot, "custom_content")
    assert "created_by" in names and "user_id" not in names


async def test_too_short_title_and_too_long_body_say_the_limits_and_give_the_text_back(group):
    long_body = "Endorse only what you have seen. " * 60  # 1,980 characters
    result = await add_tip(group, title="Hi", body=long_body)

    assert result.ephemeral
    text = result.response.content
    assert "The title is 2 characters long; it needs at least 3 (up to 100)." in text
    assert f"The tip text is {len(long_body.strip())} characters long; the limit is 1500" in text
    assert "Nothing was saved" in text
    attachment = result.response.attachments[0]
    assert attachment.filename == "your-text.txt"
    assert (await attachment.read()).decode() == f"Hi\n\n{long_body.strip()}"
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(0,)]


async def test_prompt_length_is_checked(group):
    short = await group.counsellor.slash(group.channel, "content add-prompt", text="Why?")
    assert "The prompt is 4 characters long; it needs at least 20 (up to 300)." in short.response.content
    long = await group.counsellor.slash(group.channel, "content add-prompt", text="x" * 301)
    assert "301 characters long; the limit is 300" in long.response.content
    assert (await long.response.attachments[0].read()).decode() == "x" * 301

    ok = await group.counsellor.slash(
        group.channel, "content add-prompt", text="Who did you thank on LinkedIn this week, and why?"
    )
    assert "`custom-prompt-1`" in ok.response.content
    assert ok.response.embeds[0].description == "Who did you thank on LinkedIn this week, and why?"
    assert rows(group.env.bot, "SELECT kind, topic, title FROM custom_content") == [("prompt", None, None)]


async def test_list_shows_ids_kinds_topics_and_text(group):
    await add_tip(group, topic="profile", title="Photo day on Friday")
    await group.counsellor.slash(
        group.channel, "content add-prompt", text="Which company would you most like to learn from, and why?",
        topic="companies",
    )

    result = await group.counsellor.slash(group.channel, "content list")

    assert result.ephemeral
    lines = result.response.embeds[0].description.splitlines()
    assert lines == [
        "`custom-tip-1` · Tip · Profile · Photo day on Friday",
        "`custom-prompt-2` · Prompt · Companies · Which company would you most like to learn from, and why?",
    ]
    assert "1 tips, 1 prompts" in result.response.embeds[0].footer.text


async def test_list_when_empty_says_how_to_add(group):
    result = await group.counsellor.slash(group.channel, "content list")

    assert "no tips or prompts of its own yet" in result.response.content


async def test_a_long_list_is_paged_within_discord_limits(group):
    for n in range(30):
        await add_tip(group, title=f"Tip number {n:02d} " + "with a long title " * 4, body=BODY)

    first = await group.counsellor.slash(group.channel, "content list")
    second = await group.counsellor.slash(group.channel, "content list", page=2)

    first_embed, second_embed = first.response.embeds[0], second.response.embeds[0]
    assert len(first_embed.description.splitlines()) == 25
    assert len(second_embed.description.splitlines()) == 5
    assert len(first_embed.description) <= 4096
    assert "Page 1 of 2" in first_embed.footer.text and "page:2" in first_embed.footer.text
    assert "`custom-tip-30`" in second_embed.description
    assert all(len(line) < 150 for line in first_embed.description.splitlines())


async def test_remove_unknown_or_builtin_ids_is_explained(group):
    unknown = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-99")
    assert "no tip or prompt of its own with the id `custom-tip-99`" in unknown.response.content

    builtin = default_content().tips[0].id
    refused = await group.counsellor.slash(group.channel, "content remove", id=builtin)
    assert "built-in" in refused.response.content


async def test_remove_takes_the_tip_out_of_the_server(group):
    await add_tip(group)

    result = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")

    assert "Removed tip `custom-tip-1`" in result.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(0,)]
    listed = await group.counsellor.slash(group.channel, "content list")
    assert "no tips or prompts of its own yet" in listed.response.content


async def test_another_servers_item_cannot_be_removed(group):
    await add_tip(group)
    other = group.env.create_guild(name="Other Circle")
    channel = other.create_text_channel("general")
    admins = other.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    owner = other.add_member(group.env.create_user("olive"), roles=[admins])

    result = await owner.slash(channel, "content remove", id="custom-tip-1")

    assert "no tip or prompt of its own" in result.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(1,)]


async def test_remove_autocomplete_offers_the_servers_items_to_counsellors_only(group):
    await add_tip(group, title="Photo day on Friday")

    mine = await group.counsellor.autocomplete(group.channel, "content remove", "id", "photo")
    assert mine == [{"name": "custom-tip-1 · Photo day on Friday", "value": "custom-tip-1"}]


async def test_custom_tip_joins_the_topic_rotation_in_its_server_only(group):
    await add_tip(group)
    pool = default_content().tips_for("endorsements")

    titles = []
    for _ in range(len(pool) + 1):
        shown = await group.alice.slash(group.channel, "tip", topic="endorsements")
        assert shown.response.content in ("", None)  # no cycle restart before the custom tip was seen
        titles.append(shown.response.embeds[0].title)
    assert sorted(titles) == sorted([t.title for t in pool] + ["Our group's endorsement rule"])
    again = await group.alice.slash(group.channel, "tip", topic="endorsements")
    assert f"You have seen all {len(pool) + 1}" in again.response.content

    # In another server the same topic holds only Linkwise's own tips.
    other = group.env.create_guild(name="Other Circle")
    channel = other.create_text_channel("general")
    dana = other.add_member(group.env.create_user("dana"))
    seen = [(await dana.slash(channel, "tip", topic="endorsements")).response.embeds[0].title for _ in pool]
    assert "Our group's endorsement rule" not in seen
    restart = await dana.slash(channel, "tip", topic="endorsements")
    assert f"You have seen all {len(pool)}" in restart.response.content


async def test_custom_tip_can_be_tried_and_removing_it_keeps_progress(group):
    await add_tip(group)
    for _ in range(len(default_content().tips_for("endorsements")) + 1):
        shown = await group.alice.slash(group.channel, "tip", topic="endorsements")
        if shown.response.embeds[0].title == "Our group's endorsement rule":
            break
    tried = await group.alice.click(shown.response.message, label="I tried this")
    assert "**Our group's endorsement rule** is marked as tried" in tried.response.content
    assert rows(group.env.bot, "SELECT tip_id FROM tip_tried") == [("custom-tip-1",)]

    await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")

    assert rows(group.env.bot, "SELECT tip_id FROM tip_tried") == [("custom-tip-1",)]
    progress = await group.alice.slash(group.channel, "progress")
    fields = {f.name: f.value for f in progress.response.embeds[0].fields}
    assert fields["Tips tried"] == "1"
    gone = await group.alice.click(shown.response.message, label="I tried this")
    assert "no longer in Linkwise" in gone.response.content


async def test_a_new_tip_never_takes_a_removed_tips_id(group):
    await add_tip(group)
    await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")

    again = await add_tip(group, title="A new rule")

    assert "`custom-tip-2`" in again.response.content


async def test_custom_text_never_pings(group):
    role = group.guild.create_role("Everyone Else")
    body = f"Say hi to @everyone and <@&{role.id}> and <@{group.alice.id}> when you join a group."
    await add_tip(group, title="Mentions stay text", body=body)
    for _ in range(len(default_content().tips_for("endorsements")) + 1):
        shown = await group.bob.slash(group.channel, "tip", topic="endorsements", public=True)
        if shown.response.embeds[0].title == "Mentions stay text":
            break
    assert shown.response.embeds[0].description == body
    message = shown.response.message
    assert message.mentions == [] and message.role_mentions == [] and not message.mention_everyone


async def test_custom_prompt_joins_prompt_rotation_in_its_server(group):
    text = "Which company did you follow this week, and what did you learn from its people?"
    await group.counsellor.slash(group.channel, "content add-prompt", text=text, topic="companies")
    pool = default_content().prompts_for("companies")

    posted = []
    for _ in range(len(pool) + 1):
        result = await group.alice.slash(group.channel, "prompt", topic="companies")
        posted.append(result.response.embeds[0].description)
        await group.env.advance_time(11 * 60)  # past the per-member /prompt cooldown
    assert text in posted
    assert len(set(posted)) == len(pool) + 1


async def test_scheduled_posts_include_the_servers_own_tips(group):
    await add_tip(group)
    await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="09:00", kind="tip", topic="endorsements"
    )

    titles = []
    for _ in range(len(default_content().tips_for("endorsements")) + 1):
        await group.counsellor.slash(group.channel, "schedule test", id=1)
        titles.append(group.channel.last_message.embeds[0].title)

    assert "Our group's endorsement rule" in titles
    assert len(set(titles)) == len(titles)


async def test_a_server_can_keep_at_most_200_items(group):
    executemany(
        group.env.bot,
        "INSERT INTO custom_content (guild_id, kind, topic, title, body, created_by, created_at) "
        "VALUES (?, 'prompt', NULL, NULL, ?, ?, '2026-01-01T00:00:00+00:00')",
        [(group.guild.id, f"Seeded prompt number {n}, long enough.", group.counsellor.id) for n in range(200)],
    )

    result = await add_tip(group)

    assert "already has 200 tips and prompts of its own" in result.response.content
    assert rows(group.env.bot, "SELECT COUNT(*) FROM custom_content") == [(200,)]


async def test_remove_autocomplete_offers_nothing_to_a_member(group):
    await add_tip(group, title="Photo day on Friday")
    command = next(c for c in await group.env.bot.tree.fetch_commands() if c.name == "content")
    group.guild.set_command_permissions(command, {group.guild.default_role: True})

    assert await group.alice.autocomplete(group.channel, "content remove", "id", "") == []
