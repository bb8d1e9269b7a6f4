"""/group report: the counsellor's summary and the CSV, for a small group and a large one."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

from bot.clock import iso
from bot.content import default_content
from bot.ui import percent
from tests.db import executemany

CONTENT = default_content()
LISTS = CONTENT.checklists
BASICS = CONTENT.checklist("profile-basics")
HEADER = ["user_id", "name", *(c.id for c in LISTS), "tips_tried", "practices_shared", "last_active", "counsellor"]


async def parse(result):
    attachment = result.response.attachments[0]
    assert attachment.filename.endswith(".csv")
    return list(csv.reader(io.StringIO((await attachment.read()).decode("utf-8"))))


def answered_by_deferring(env):
    """The report's interaction was acknowledged with a deferral (type 5, "thinking") before the
    work started, as a large group needs; SimCord then shows the follow-up as the response."""
    callbacks = [r for r in env.http_requests if r.method == "POST" and r.path.endswith("/callback")]
    return (callbacks[-1].json or {}).get("type") == 5


async def tick(actor, channel, checklist, item_ids):
    shown = await actor.slash(channel, "checklist", name=checklist.id)
    await actor.select(shown.response.message, item_ids, custom_id=f"linkwise:checklist:{checklist.id}")


async def test_report_summary_and_csv_for_a_small_group(group):
    await tick(group.alice, group.channel, BASICS, [i.id for i in BASICS.items[:2]])
    tip = await group.alice.slash(group.channel, "tip")
    await group.alice.click(tip.response.message, label="I tried this")
    await tick(group.bob, group.channel, BASICS, [BASICS.items[0].id])

    result = await group.counsellor.slash(group.channel, "group report")

    assert result.ephemeral and answered_by_deferring(group.env)
    embed = result.response.embeds[0]
    assert "**2** members have used Linkwise here; **2** were active in the last 7 days." in embed.description
    fields = {f.name: f.value for f in embed.fields}
    expected_basics = percent(3, 2 * len(BASICS.items))
    assert f"{expected_basics}% · {BASICS.title}" in fields["Average checklist completion"]
    least = fields["Least-done checklist items"].splitlines()
    assert len(least) == 3
    assert all("0% of members (0 of 2)" in line for line in least)
    assert BASICS.items[0].label not in fields["Least-done checklist items"]

    table = await parse(result)
    assert table[0] == HEADER
    by_name = {row[1]: dict(zip(HEADER, row, strict=True)) for row in table[1:]}
    assert set(by_name) == {"Alice", "Bob"}  # one row per member with any activity; not the counsellor
    alice = by_name["Alice"]
    assert alice["user_id"] == str(group.alice.id)
    assert alice["profile-basics"] == str(percent(2, len(BASICS.items)))
    assert alice["all-star-profile"] == "0"
    assert (alice["tips_tried"], alice["practices_shared"]) == ("1", "0")
    assert alice["last_active"].startswith(group.env.now().date().isoformat())
    assert alice["last_active"].endswith("+00:00")
    assert by_name["Bob"]["profile-basics"] == str(percent(1, len(BASICS.items)))


async def test_empty_group_gets_a_clear_note_and_a_header_only_csv(group):
    result = await group.counsellor.slash(group.channel, "group report")

    assert "Nobody has used Linkwise in this server yet" in result.response.embeds[0].description
    assert await parse(result) == [HEADER]


async def test_names_that_look_like_formulas_are_made_safe(group):
    mallory = group.guild.add_member(group.env.create_user("mallory", global_name="=HYPERLINK(\"http://x\")"))
    plus = group.guild.add_member(group.env.create_user("plus", global_name="+1 Friendly"))
    await mallory.slash(group.channel, "tip")
    await plus.slash(group.channel, "tip")

    table = await parse(await group.counsellor.slash(group.channel, "group report"))

    names = sorted(row[1] for row in table[1:])
    assert names == ["'+1 Friendly", "'=HYPERLINK(\"http://x\")"]


async def test_activity_older_than_a_week_is_not_recent(group):
    await group.alice.slash(group.channel, "tip")
    await group.env.advance_time(8 * 24 * 3600)
    await group.bob.slash(group.channel, "tip")

    result = await group.counsellor.slash(group.channel, "group report")

    assert "**2** members have used Linkwise here; **1** was active" in result.response.embeds[0].description


async def test_report_of_two_thousand_members_is_deferred_and_correct(group, database_url):
    now = group.env.now()
    recent, old = iso(now - timedelta(days=1)), iso(now - timedelta(days=30))
    guild_id = group.guild.id
    members = [(guild_id, 10_000 + n, f"Member {n:04d}", old, recent if n % 2 == 0 else old) for n in range(2000)]
    executemany(
        database_url,
        "INSERT INTO members (guild_id, user_id, display_name, first_seen, last_active) VALUES (?, ?, ?, ?, ?)",
        members,
    )
    # Every member ticked the first basics item; every fourth one the whole list.
    done = [(guild_id, 10_000 + n, BASICS.id, BASICS.items[0].id, old) for n in range(2000)]
    done += [(guild_id, 10_000 + n, BASICS.id, item.id, old) for n in range(0, 2000, 4) for item in BASICS.items[1:]]
    executemany(
        database_url,
        "INSERT INTO checklist_done (guild_id, user_id, checklist_id, item_id, done_at) VALUES (?, ?, ?, ?, ?)",
        done,
    )
    executemany(
        database_url,
        "INSERT INTO tip_tried (guild_id, user_id, tip_id, tried_at) VALUES (?, ?, ?, ?)",
        [(guild_id, 10_000 + n, tip.id, old) for n in range(0, 2000, 10) for tip in CONTENT.tips[:3]],
    )

    result = await group.counsellor.slash(group.channel, "group report")

    assert answered_by_deferring(group.env)
    assert "**2000** members have used Linkwise here; **1000** were active" in result.response.embeds[0].description
    expected = percent(2000 + 500 * (len(BASICS.items) - 1), 2000 * len(BASICS.items))
    assert f"{expected}% · {BASICS.title}" in result.response.embeds[0].fields[0].value
    table = await parse(result)
    assert table[0] == HEADER
    assert len(table) == 2001
    rows = {int(row[0]): dict(zip(HEADER, row, strict=True)) for row in table[1:]}
    assert rows[10_000]["profile-basics"] == "100"
    assert rows[10_000]["tips_tried"] == "3"
    assert rows[10_001]["profile-basics"] == str(percent(1, len(BASICS.items)))
    assert rows[10_001]["tips_tried"] == "0"
    assert rows[10_002]["last_active"] == recent
    assert [row[1] for row in table[1:4]] == ["Member 0000", "Member 0001", "Member 0002"]
