"""Mention injection (issue 10, case 10): user text echoed anywhere pings nobody.

One group session pushes hostile text through every place Linkwise echoes what a member or a
counsellor typed, or a member's display name: custom tips and prompts (/content add-tip,
add-prompt, list, /tip, /prompt, scheduled and test posts), shares (the practice modal and its
attribution), names (a member called "@everyone", one whose name carries a role mention) in
/progress member:, /group report and share attribution, and /review input (headline, invite,
About modal). Then it checks both ends:

* every REST payload that creates or edits a message (channel posts, interaction answers,
  follow-ups, edits) carries ``allowed_mentions`` with ``parse == []`` and no user or role
  list, so Discord would ping nobody whatever the text says;
* every message SimCord holds (channel, thread, ephemeral answers) mentions nobody.
"""

from __future__ import annotations

import discord

from tests.payloads import message_payloads


def pings(message: discord.Message) -> list:
    return [*message.mentions, *message.role_mentions, *(["everyone"] if message.mention_everyone else [])]


async def test_no_echo_of_user_text_or_names_pings_anyone(group, database_url, custom_first):
    env, guild, channel = group.env, group.guild, group.channel
    team = guild.create_role("Mentors", mentionable=True)
    eve = guild.add_member(env.create_user("eve", global_name="@everyone"))
    rolf = guild.add_member(env.create_user("rolf", global_name=f"<@&{team.id}> fan @here"))
    hostile = (
        f"@everyone @here <@{group.alice.id}> <@!{group.bob.id}> <@&{team.id}> <@&{guild.id}> "
        "please read this, it matters to everyone in the group"
    )
    results = []

    async def run(actor, name, **options):
        result = await actor.slash(channel, name, **options)
        results.append(result)
        return result

    # Custom content, as typed by a counsellor, then echoed everywhere.
    added = await run(
        group.counsellor, "content add-tip", topic="profile", title=f"@everyone <@&{team.id}>", body=hostile
    )
    assert "Added your tip" in added.response.content
    added = await run(group.counsellor, "content add-prompt", text=hostile[:300], topic="profile")
    assert "Added your prompt" in added.response.content
    await run(group.counsellor, "content list")

    tip = await run(eve, "tip", topic="profile", public=True)
    assert "@everyone" in tip.response.embeds[0].title  # shown as given...
    results.append(await eve.click(tip.response.message, label="I tried this"))
    prompt = await run(rolf, "prompt", topic="profile")
    assert "@everyone" in prompt.response.embeds[0].description

    # Shares: hostile text from members with hostile names, attributed by name.
    for actor in (eve, rolf):
        shown = await actor.click(prompt.response.message, label="Share your practice")
        results.append(await actor.submit_modal(shown, {"practice": hostile}))

    # Scheduled and test posts of the custom items.
    await run(group.counsellor, "schedule add", channel=channel, time="09:00", kind="tip", topic="profile")
    await run(group.counsellor, "schedule add", channel=channel, time="09:30", kind="prompt", topic="profile")
    await run(group.counsellor, "schedule test", id=2)
    await env.advance_time(86400)

    # Names in counsellor views.
    for member in (eve, rolf):
        shown = await run(group.counsellor, "progress", member=member)
        assert member.user.global_name in str(shown.response.content) + str(
            [e.to_dict() for e in shown.response.embeds]
        )
    report = await run(group.counsellor, "group report")
    assert report.ephemeral

    # Review input.
    await run(group.alice, "review headline", text=hostile)
    await run(group.alice, "review invite", text=hostile)
    about = await run(group.alice, "review about")
    results.append(await group.alice.submit_modal(about, {"text": hostile * 3}))

    # Removing a custom item quotes its first words.
    removed = await run(group.counsellor, "content remove", id="custom-tip-1")
    assert "Removed tip" in removed.response.content

    # 1. What Discord was asked to do: never ping.
    payloads = message_payloads(env.http_requests)
    assert len(payloads) >= 20
    for where, body in payloads:
        mentions = body.get("allowed_mentions")
        assert mentions is not None, where
        assert mentions.get("parse") == [], (where, mentions)
        assert not mentions.get("users") and not mentions.get("roles"), (where, mentions)

    # 2. What members saw: nobody mentioned, in the channel, the share thread, or any answer.
    seen = list(channel.history())
    for thread in channel.threads:
        seen.extend(thread.history())
    for result in results:
        answer = result.response.message if result.response else None
        seen.extend(m for m in (answer, *result.followups) if isinstance(m, discord.Message))
    assert len(seen) >= 20
    echoed = [m for m in seen if "@everyone" in str(m.content) + str([e.to_dict() for e in m.embeds])]
    assert len(echoed) >= 6  # the hostile text really was echoed...
    assert [(m.id, pings(m)) for m in seen if pings(m)] == []  # ...and pinged nobody
    assert [m for m in seen if m.embeds and m.embeds[0].author and "everyone" in str(m.embeds[0].author.name)]
