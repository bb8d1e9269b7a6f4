"""/checklist and /progress as members use them."""

from __future__ import annotations

import discord

from bot import create_bot
from bot.content import default_content
from tests.db import one, rows

BASICS = default_content().checklist("profile-basics")


def done_rows(database_url, user_id=None):
    sql = "SELECT user_id, checklist_id, item_id FROM checklist_done"
    if user_id is not None:
        return sorted(rows(database_url, sql + " WHERE user_id = ?", (user_id,)))
    return sorted(rows(database_url, sql))


def select_of(message):
    return next(c for row in message.components for c in row["components"] if c["type"] == 3)


async def test_overview_lists_every_checklist_with_bar_and_count(group):
    result = await group.alice.slash(group.channel, "checklist")

    assert result.ephemeral
    fields = result.response.embeds[0].fields
    assert [f.name for f in fields] == [c.title for c in default_content().checklists]
    for field, checklist in zip(fields, default_content().checklists, strict=True):
        assert f"0/{len(checklist.items)}" in field.value and "░" in field.value


async def test_one_list_shows_items_and_a_select_of_item_ids(group):
    result = await group.alice.slash(group.channel, "checklist", name="profile-basics")

    assert result.ephemeral
    embed = result.response.embeds[0]
    assert embed.title == BASICS.title
    for item in BASICS.items:
        assert f"⬜ {item.label}" in embed.description
    assert f"0/{len(BASICS.items)}" in embed.fields[0].value
    select = select_of(result.response)
    assert [o["value"] for o in select["options"]] == list(BASICS.item_ids)
    assert select["min_values"] == 0 and select["max_values"] == len(BASICS.items)
    assert all(len(o["label"]) <= 100 and len(o.get("description", "")) <= 100 for o in select["options"])


async def test_select_sets_exactly_the_selection(group, database_url):
    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    first3 = list(BASICS.item_ids[:3])

    await group.alice.select(shown.response.message, first3)
    assert done_rows(database_url) == sorted((group.alice.id, "profile-basics", i) for i in first3)
    updated = shown.response
    assert f"3/{len(BASICS.items)}" in updated.embeds[0].fields[0].value
    assert [o["value"] for o in select_of(updated)["options"] if o.get("default")] == first3

    # Untick two: exactly one remains.
    await group.alice.select(updated.message, first3[:1])
    assert done_rows(database_url) == [(group.alice.id, "profile-basics", first3[0])]
    assert f"1/{len(BASICS.items)}" in shown.response.embeds[0].fields[0].value


async def test_double_submit_and_concurrent_members_keep_exact_state(group, database_url):
    alice_view = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    bob_view = await group.bob.slash(group.channel, "checklist", name="profile-basics")
    picks = list(BASICS.item_ids[2:6])

    await group.alice.select(alice_view.response.message, picks)
    await group.alice.select(alice_view.response.message, picks)
    await group.bob.select(bob_view.response.message, picks[:2])

    assert done_rows(database_url, group.alice.id) == sorted((group.alice.id, "profile-basics", i) for i in picks)
    assert done_rows(database_url, group.bob.id) == sorted((group.bob.id, "profile-basics", i) for i in picks[:2])


async def test_finishing_a_list_is_celebrated_once(group, database_url):
    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    everything = list(BASICS.item_ids)

    await group.alice.select(shown.response.message, everything)
    assert "You finished" in shown.response.content
    assert f"{len(everything)}/{len(everything)}" in shown.response.embeds[0].fields[0].value

    await group.alice.select(shown.response.message, everything[:-1])
    assert not shown.response.content
    await group.alice.select(shown.response.message, everything)
    assert not shown.response.content  # no second celebration


async def test_unknown_checklist_name_lists_the_valid_ones(group):
    result = await group.alice.slash(group.channel, "checklist", name="linkedin-mastery")

    assert result.ephemeral
    assert "linkedin-mastery" in result.response.content
    for checklist in default_content().checklists:
        assert checklist.id in result.response.content


async def test_names_are_matched_by_title_and_autocompleted(group):
    by_title = await group.alice.slash(group.channel, "checklist", name="Profile Basics")
    assert by_title.response.embeds[0].title == BASICS.title
    choices = await group.alice.autocomplete(group.channel, "checklist", "name", "job")
    assert [c["value"] for c in choices] == ["job-search"]


async def test_progress_shows_checklists_tips_streak_and_last_active(group):
    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    await group.alice.select(shown.response.message, list(BASICS.item_ids[:2]))
    tip = await group.alice.slash(group.channel, "tip")
    await group.alice.click(tip.response.message, label="I tried this")

    result = await group.alice.slash(group.channel, "progress")

    assert result.ephemeral
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert f"2/{len(BASICS.items)}" in fields[BASICS.title]
    assert fields["Tips tried"] == "1"
    assert fields["Practices shared"] == "0"
    assert fields["Weekly streak"] == "1 week"
    at = int(group.env.now().timestamp())  # the tick and the tried tip, just now
    assert fields["Last active"] == f"<t:{at}:f> (<t:{at}:R>)"  # the date and time, then how long ago


async def test_weekly_streak_counts_weeks_in_a_row(group):
    for _ in range(3):
        await group.alice.slash(group.channel, "tip")
        await group.env.advance_time(7 * 24 * 3600)
    result = await group.alice.slash(group.channel, "progress")
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    # Three weeks with a tip, and this week has none yet: the streak is still alive.
    assert fields["Weekly streak"] == "3 weeks"

    await group.env.advance_time(14 * 24 * 3600)
    result = await group.alice.slash(group.channel, "progress")
    assert {f.name: f.value for f in result.response.embeds[0].fields}["Weekly streak"] == "0 weeks"


async def test_another_members_progress_is_for_counsellors_only(group):
    refused = await group.bob.slash(group.channel, "progress", member=group.alice)
    assert refused.ephemeral
    assert "Only counsellors" in refused.response.content
    assert not refused.response.embeds

    allowed = await group.counsellor.slash(group.channel, "progress", member=group.alice)
    assert allowed.response.embeds[0].title == "Progress: Alice"


async def test_counsellor_role_grants_access_to_anothers_progress(group):
    from bot.store import settings

    coaches = group.guild.create_role("Coaches", permissions=discord.Permissions.none())
    coach = group.guild.add_member(group.env.create_user("casey"), roles=[coaches])
    await settings.set_counsellor_role(group.env.bot.store, group.guild.id, coaches.id)

    allowed = await coach.slash(group.channel, "progress", member=group.alice)
    assert allowed.response.embeds[0].title == "Progress: Alice"


async def test_progress_survives_a_restart(group, database_url):
    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    await group.alice.select(shown.response.message, list(BASICS.item_ids[:4]))

    await group.env.restart_bot(create_bot(database_url=database_url))

    result = await group.alice.slash(group.channel, "progress")
    fields = {f.name: f.value for f in result.response.embeds[0].fields}
    assert f"4/{len(BASICS.items)}" in fields[BASICS.title]
    # The old message's select still works after the restart.
    await group.alice.select(shown.response.message, list(BASICS.item_ids[:5]))
    assert len(done_rows(database_url, group.alice.id)) == 5


async def test_progress_of_someone_who_left_the_server_says_so(group, database_url):
    tip = await group.alice.slash(group.channel, "tip")
    await group.alice.click(tip.response.message, label="I tried this")
    group.guild.remove_member(group.alice)

    result = await group.counsellor.slash(group.channel, "progress", member=group.alice.user)

    assert result.ephemeral
    text = result.response.content
    assert text.startswith("**Alice** is not a member of this server")
    assert "/group report" in text  # where what they did here is still listed
    assert not result.response.embeds
    assert result.response.message.mentions == []
    # nothing about them was touched
    assert one(database_url, "SELECT COUNT(*) FROM tip_tried WHERE user_id = ?", (group.alice.id,)) == (1,)


async def test_progress_of_a_user_from_another_server_says_so(group):
    other = group.env.create_guild(name="Night Class")
    stranger = other.add_member(group.env.create_user("sam", global_name="Sam"))
    await stranger.slash(other.create_text_channel("general"), "tip")

    result = await group.counsellor.slash(group.channel, "progress", member=stranger.user)

    assert result.ephemeral
    assert result.response.content.startswith("**Sam** is not a member of this server")
    assert not result.response.embeds


async def test_a_member_asking_about_a_non_member_is_refused_as_for_anyone_else(group):
    outsider = group.env.create_user("sam", global_name="Sam")

    result = await group.bob.slash(group.channel, "progress", member=outsider)

    assert result.ephemeral
    assert "Only counsellors" in result.response.content
