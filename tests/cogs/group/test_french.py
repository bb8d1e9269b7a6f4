"""/group report in a French-speaking server: the summary in French with the checklists' French
titles and items, the chart drawn with French labels, and the CSV the same in every language."""

from __future__ import annotations

import csv
import io
from datetime import date

from bot.i18n import using_locale
from bot.ui import percent
from cogs.group import chart
from cogs.group.history import Week
from tests.cogs.french import ENGLISH, FRENCH, NBSP, speak_french

BASICS_FR = FRENCH.checklist("profile-basics")


async def tick(actor, channel, checklist_id, item_ids):
    shown = await actor.slash(channel, "checklist", name=checklist_id)
    await actor.select(shown.response.message, item_ids, custom_id=f"linkwise:checklist:{checklist_id}")


async def test_the_report_is_in_french(group):
    await speak_french(group)
    await tick(group.alice, group.channel, "profile-basics", [i.id for i in BASICS_FR.items[:2]])
    await tick(group.bob, group.channel, "profile-basics", [BASICS_FR.items[0].id])
    await group.counsellor.slash(group.channel, "tip")  # counsellors are listed apart

    result = await group.counsellor.slash(group.channel, "group report")

    embed = result.response.embeds[0]
    assert embed.title == "Rapport du groupe"
    assert embed.description == (
        f"**2** membres ont utilisé Linkwise ici; actifs au cours des 7 derniers jours{NBSP}: **2**."
    )
    fields = {f.name: f.value for f in embed.fields}
    expected = percent(3, 2 * len(BASICS_FR.items))
    assert f"{expected}{NBSP}% · {BASICS_FR.title}" in fields["Progression moyenne des listes de vérification"]
    assert BASICS_FR.title != ENGLISH.checklist("profile-basics").title
    least = fields["Étapes les moins réalisées"].splitlines()
    assert len(least) == 3
    assert all(f"{NBSP}: 0{NBSP}% des membres (0 sur 2)" in line for line in least)
    french_labels = {item.label for checklist in FRENCH.checklists for item in checklist.items}
    assert all(any(label in line for label in french_labels) for line in least)
    assert fields["Conseillers et conseillères (non comptés ci-dessus)"] == "Morgan"
    assert embed.footer.text.startswith("Le fichier CSV a une ligne par membre")

    csv_file, png = result.response.attachments
    assert png.filename == chart.FILENAME and embed.image.url == f"attachment://{chart.FILENAME}"
    table = list(csv.reader(io.StringIO((await csv_file.read()).decode("utf-8"))))
    assert table[0][:2] == ["user_id", "name"] and table[0][-1] == "counsellor"  # the same columns everywhere
    assert {row[1] for row in table[1:]} == {"Alice", "Bob", "Morgan"}


async def test_one_member_reads_in_the_singular(group):
    await speak_french(group)
    await tick(group.alice, group.channel, "profile-basics", [BASICS_FR.items[0].id])

    result = await group.counsellor.slash(group.channel, "group report")

    assert result.response.embeds[0].description == (
        "**1** membre a utilisé Linkwise ici; **1** a été actif au cours des 7 derniers jours."
    )


async def test_nothing_to_report_in_french(group):
    await speak_french(group)

    result = await group.counsellor.slash(group.channel, "group report")

    embed = result.response.embeds[0]
    assert embed.title == "Rapport du groupe"
    assert embed.description.startswith("Personne n'a encore utilisé Linkwise dans ce serveur")


def test_the_charts_weeks_and_labels_are_french():
    weeks = [Week(date(2026, 1, 5), 3, 40.0), Week(date(2026, 2, 2), 1, None)]
    with using_locale("fr"):
        assert [chart.week_label(w.start) for w in weeks] == ["5\njanv.", "2\nfévr."]
        png = chart.render_chart("Cercle emploi", weeks)
    assert [chart.week_label(w.start) for w in weeks] == ["5\nJan", "2\nFeb"]  # English as before
    assert png.startswith(b"\x89PNG") and png != chart.render_chart("Cercle emploi", weeks)
