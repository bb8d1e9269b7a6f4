"""/group report keeps counsellors apart, marks them in the CSV, and attaches a chart of the
group's last 12 weeks drawn from the history Linkwise keeps."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import discord
import pytest
from PIL import Image

from bot.content import default_content
from bot.ui import percent
from cogs.group import chart, history
from tests.db import rows

CONTENT = default_content()
BASICS = CONTENT.checklist("profile-basics")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
ALL_ITEMS = sum(len(c.items) for c in CONTENT.checklists)


async def tick(actor, channel, checklist, item_ids):
    shown = await actor.slash(channel, "checklist", name=checklist.id)
    await actor.select(shown.response.message, item_ids, custom_id=f"linkwise:checklist:{checklist.id}")


async def csv_rows(result) -> dict[str, dict[str, str]]:
    attachment = next(a for a in result.response.attachments if a.filename.endswith(".csv"))
    table = list(csv.reader(io.StringIO((await attachment.read()).decode("utf-8"))))
    return {row[1]: dict(zip(table[0], row, strict=True)) for row in table[1:]}


def chart_of(result):
    return next(a for a in result.response.attachments if a.filename.endswith(".png"))


async def test_counsellors_are_listed_apart_and_not_counted(group):
    await tick(group.counsellor, group.channel, BASICS, [i.id for i in BASICS.items])  # a counsellor trying it out
    await tick(group.alice, group.channel, BASICS, [BASICS.items[0].id])

    result = await group.counsellor.slash(group.channel, "group report")

    embed = result.response.embeds[0]
    assert "**1** member has used Linkwise here; **1** was active in the last 7 days." in embed.description
    fields = {f.name: f.value for f in embed.fields}
    assert f"{percent(1, len(BASICS.items))}% · {BASICS.title}" in fields["Average checklist completion"]
    assert fields["Counsellors (not counted above)"] == "Morgan"
    least = fields["Least-done checklist items"]
    assert "(0 of 1)" in least and "of 2)" not in least
    table = await csv_rows(result)
    assert table["Morgan"]["counsellor"] == "yes" and table["Alice"]["counsellor"] == "no"
    assert table["Morgan"]["profile-basics"] == "100"  # the CSV still has the counsellor's own row


async def test_a_counsellor_by_role_is_seen_as_one_and_a_member_who_loses_it_is_not(group):
    leads = group.guild.create_role("Leads")
    quinn = group.guild.add_member(group.env.create_user("quinn", global_name="Quinn"), roles=[leads])
    await group.counsellor.slash(group.channel, "settings counsellor-role", role=leads)
    await quinn.slash(group.channel, "tip")
    await group.alice.slash(group.channel, "tip")

    table = await csv_rows(await group.counsellor.slash(group.channel, "group report"))
    assert (table["Quinn"]["counsellor"], table["Alice"]["counsellor"]) == ("yes", "no")

    # The role moves on; the next time Quinn uses Linkwise, they count as a member again.
    await group.counsellor.slash(group.channel, "settings counsellor-role", role=group.guild.create_role("Mentors"))
    await quinn.slash(group.channel, "tip")
    result = await group.counsellor.slash(group.channel, "group report")
    assert (await csv_rows(result))["Quinn"]["counsellor"] == "no"
    assert "**2** members have used Linkwise here" in result.response.embeds[0].description


async def test_the_report_attaches_a_phone_sized_png_chart_shown_in_the_embed(group):
    await tick(group.alice, group.channel, BASICS, [BASICS.items[0].id])

    result = await group.counsellor.slash(group.channel, "group report")

    chart = chart_of(result)
    data = await chart.read()
    assert data.startswith(PNG_SIGNATURE)
    assert 20_000 < len(data) < 1_000_000
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "PNG" and image.size == (1200, 700)
    assert result.response.embeds[0].image.url.endswith(chart.filename)


async def test_the_report_and_its_chart_come_after_the_extension_is_reloaded(group):
    # The report's modules are imported by the first /group report; a reload forgets them.
    await tick(group.alice, group.channel, BASICS, [BASICS.items[0].id])
    await group.counsellor.slash(group.channel, "group report")
    await group.env.bot.reload_extension("cogs.group")

    result = await group.counsellor.slash(group.channel, "group report")
    assert (await chart_of(result).read()).startswith(PNG_SIGNATURE)
    assert (await csv_rows(result))["Alice"]["counsellor"] == "no"


async def test_no_chart_for_a_server_nobody_used_yet(group):
    result = await group.counsellor.slash(group.channel, "group report")
    assert [a.filename.rsplit(".", 1)[1] for a in result.response.attachments] == ["csv"]


async def test_the_history_behind_the_chart_follows_the_weeks(group):
    env, store = group.env, group.env.bot.store
    items = [i.id for i in BASICS.items]
    await tick(group.alice, group.channel, BASICS, items[:2])  # week 1: Alice ticks two items
    await tick(group.counsellor, group.channel, BASICS, items)  # a counsellor: never counted
    await env.advance_time(7 * 86400)
    await tick(group.bob, group.channel, BASICS, items[:1])  # week 2: Bob joins with one item
    await env.advance_time(7 * 86400)
    await tick(group.alice, group.channel, BASICS, items[:1])  # week 3: Alice unticks one

    weeks = await history.history(CONTENT, store, group.guild.id, env.now())

    assert len(weeks) == 12 and weeks[-1].start == env.now().date() - (env.now().date() - weeks[-1].start)
    assert [w.active for w in weeks[-3:]] == [1, 1, 1]
    assert weeks[-4].active == 0 and weeks[-4].completion is None  # before anyone used Linkwise
    expected = [2 / ALL_ITEMS, 3 / (2 * ALL_ITEMS), 2 / (2 * ALL_ITEMS)]  # done items per member at each week's end
    assert [round(w.completion, 6) for w in weeks[-3:]] == [round(100 * e, 6) for e in expected]
    assert rows(env.bot, "SELECT user_id, item_id FROM checklist_undone") == [(group.alice.id, items[1])]


async def test_a_deleted_member_leaves_the_history(group):
    await tick(group.alice, group.channel, BASICS, [BASICS.items[0].id])
    await group.env.advance_time(8 * 86400)
    await tick(group.alice, group.channel, BASICS, [])
    asked = await group.alice.slash(group.channel, "privacy delete")
    await group.alice.click(asked.response.message, label="Delete my data")

    weeks = await history.history(CONTENT, group.env.bot.store, group.guild.id, group.env.now())
    assert all(w.active == 0 and w.completion is None for w in weeks)


# ---------------------------------------------------------------------- the renderer
def sample_weeks(active=(3, 5, 4, 8, 9, 7, 10, 12, 11, 13, 14, 9)) -> list[history.Week]:
    starts = history.week_starts(datetime(2026, 12, 1, tzinfo=UTC))
    return [
        history.Week(s.date(), a, None if n == 0 else 5 + 3 * n)
        for n, (s, a) in enumerate(zip(starts, active, strict=True))
    ]


@pytest.mark.parametrize("name", ["Career Circle", "🚀 Emploi $x$ Québec", "就职小组", "$\\frac{", "x" * 100])
def test_the_chart_renders_any_server_name(name):
    data = chart.render_chart(name, sample_weeks())
    assert data.startswith(PNG_SIGNATURE)
    with Image.open(io.BytesIO(data)) as image:
        assert image.size == (1200, 700)


def test_an_empty_history_still_renders():
    weeks = [history.Week(w.start, 0, None) for w in sample_weeks()]
    assert chart.render_chart("Career Circle", weeks).startswith(PNG_SIGNATURE)


def test_the_chart_draws_what_it_is_given():
    """Two charts of different data differ; the same data gives the same image."""
    first = chart.render_chart("Career Circle", sample_weeks())
    assert first == chart.render_chart("Career Circle", sample_weeks())
    assert first != chart.render_chart("Career Circle", sample_weeks(active=(1,) * 12))


def test_drawable_keeps_what_the_font_has():
    assert chart.drawable("🚀 Emploi Québec") == "Emploi Québec"
    assert chart.drawable("就职小组") == ""


def test_week_starts_are_mondays_ending_this_week():
    starts = history.week_starts(datetime(2026, 12, 3, 15, tzinfo=UTC))
    assert all(s.weekday() == 0 for s in starts) and starts[-1].date().isoformat() == "2026-11-30"
    assert (starts[-1] - starts[0]).days == 77


def test_no_pyplot_state_is_used():
    import sys

    chart.render_chart("Career Circle", sample_weeks())
    assert "matplotlib.pyplot" not in sys.modules


_ = discord  # the report's attachments are discord.File objects
