"""/schedule in a French-speaking server: French days and times understood, every answer and
list in French, scheduled posts in the server's language, stored days unchanged.

SimCord's clock starts at 2026-01-01T00:00Z (a Thursday)."""

from __future__ import annotations

import re
from datetime import time

import pytest

from bot import create_bot
from bot.i18n import using_locale
from bot.input import InputError
from cogs.schedules import rules as scheduling
from tests.cogs.french import FRENCH, NBSP, labels, speak_french
from tests.scheduled import posts, travel_to, utc


@pytest.fixture
def simcord_bot(database_url):
    """Every test here runs on both engines (``--backend``)."""
    return create_bot(database_url=database_url)


async def rows(group, sql: str, params=()) -> list[tuple]:
    return [tuple(r) for r in await group.env.bot.store.fetchall(sql, params)]


def without_stamps(text: str) -> str:
    return re.sub(r"<t:\d+:[A-Za-z]>", "<t>", text)


async def test_add_and_list_in_french_with_french_days_and_times(group):
    await speak_french(group)

    added = await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="9h30", days="lun., mer., ven", topic="profile"
    )

    assert added.ephemeral
    assert without_stamps(added.response.content) == (
        f"La programmation **#1** est en place{NBSP}: une astuce sur le thème «{NBSP}Profil{NBSP}» à 09:30 (UTC), "
        f"lun., mer., ven., dans <#{group.channel.id}>.\n"
        f"Les trois prochaines publications{NBSP}:\n- <t> (<t>)\n- <t> (<t>)\n- <t> (<t>)"
    )
    # Stored as always, so an English counsellor reads the same schedule in English.
    assert await rows(group, "SELECT local_time, days, kind, topic FROM schedules") == [
        ("09:30", "Mon, Wed, Fri", "tip", "profile")
    ]

    weekend = await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="18 h", days="fin de semaine", kind="prompt"
    )
    assert "un sujet de discussion à 18:00 (UTC), la fin de semaine" in weekend.response.content

    listed = await group.counsellor.slash(group.channel, "schedule list")
    embed = listed.response.embeds[0]
    assert embed.title == "Publications programmées"
    fields = {field.name: field.value for field in embed.fields}
    assert without_stamps(fields["#1 · Astuce · Profil · #general"]) == (
        f"<#{group.channel.id}> · 09:30 UTC · lun., mer., ven.\nProchaine{NBSP}: <t> (<t>)"
    )
    assert "la fin de semaine" in fields["#2 · Sujet de discussion · #general"]
    assert embed.footer.text == "2 programmations sur 25."


async def test_bad_input_and_refusals_are_explained_in_french(group):
    await speak_french(group)

    bad_time = await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="25:00")
    assert bad_time.ephemeral
    assert "'25:00' n'est pas une heure. Utilisez le format 24 heures HH:MM" in bad_time.response.content
    bad_days = await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="09:00", days="lun,jour"
    )
    assert "'jour' n'est pas un jour. Utilisez quotidien, semaine, fin de semaine" in bad_days.response.content
    assert await rows(group, "SELECT COUNT(*) FROM schedules") == [(0,)]

    missing = await group.counsellor.slash(group.channel, "schedule remove", id=7)
    assert missing.response.content == (
        "Il n'y a pas de programmation #7 dans ce serveur. `/schedule list` montre les numéros de ses programmations."
    )

    await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="09:00")
    paused = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert paused.response.content == (
        "La programmation #1 est en pause. Utilisez `/schedule resume 1` pour la relancer."
    )
    again = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert again.response.content == (
        "La programmation #1 est déjà en pause (mise en pause par Morgan le 2026-01-01). "
        "Utilisez `/schedule resume 1` pour la relancer."
    )
    listed = await group.counsellor.slash(group.channel, "schedule list")
    (field,) = listed.response.embeds[0].fields
    assert field.value.endswith("**en pause** — mise en pause par Morgan le 2026-01-01")
    assert listed.response.embeds[0].footer.text.startswith("1 programmation sur 25. Relancez")

    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=1)
    assert without_stamps(resumed.response.content) == (
        f"La programmation #1 est relancée. Sa prochaine publication{NBSP}: <t> (<t>); "
        "les publications manquées pendant la pause ne sont pas envoyées."
    )
    removed = await group.counsellor.slash(group.channel, "schedule remove", id=1)
    assert removed.response.content == (
        f"La programmation #1 est retirée{NBSP}: une astuce à 09:00 (UTC), en semaine, dans <#{group.channel.id}>."
    )


async def test_scheduled_posts_are_in_the_servers_language(group, database_url):
    """A scheduled prompt and tip in a French server are French, and its schedules keep posting
    in French after a restart."""
    await speak_french(group)
    await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="10:00", kind="prompt", days="quotidien"
    )
    await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="11:00", days="jeu")

    await travel_to(group.env, utc("2026-01-01T12:00"))

    prompt_post, tip_post = posts(group.channel)
    embed = prompt_post.embeds[0]
    assert embed.title == "Sujet de discussion"
    assert any(p.text == embed.description for p in FRENCH.prompts)
    assert embed.footer.text.startswith(f"Thème{NBSP}: ")
    assert labels(prompt_post) == ["Partagez votre expérience"]
    assert any(t.title == tip_post.embeds[0].title for t in FRENCH.tips)

    await group.env.restart_bot(create_bot(database_url=database_url))
    await travel_to(group.env, utc("2026-01-02T10:30"))
    latest = posts(group.channel)[-1]
    assert latest.embeds[0].title == "Sujet de discussion"


async def test_a_test_post_in_a_french_server(group):
    await speak_french(group)
    await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, time="09:00", kind="prompt")

    tried = await group.counsellor.slash(group.channel, "schedule test", id=1)

    (posted,) = posts(group.channel)
    assert posted.embeds[0].title == "Sujet de discussion"
    assert without_stamps(tried.response.content).startswith(
        f"Le prochain élément de la programmation #1 est publié dans <#{group.channel.id}>{NBSP}: "
    )
    assert without_stamps(tried.response.content).endswith(
        f"Ses publications programmées continuent comme avant; la prochaine{NBSP}: <t>."
    )


@pytest.mark.parametrize(
    ("typed", "days"),
    [
        ("quotidien", set(range(7))),
        ("tous les jours", set(range(7))),
        ("semaine", set(range(5))),
        ("en semaine", set(range(5))),
        ("fin de semaine", {5, 6}),
        ("la fin de semaine", {5, 6}),
        ("lun,mer,ven", {0, 2, 4}),
        ("Lundi, jeudi", {0, 3}),
        ("mar. sam.", {1, 5}),
    ],
)
def test_french_days_are_read(typed, days):
    assert scheduling.parse_days(typed) == frozenset(days)


def test_french_days_shown_read_back_and_stored_days_stay_english():
    for stored in ("daily", "weekdays", "weekends", "Mon, Wed, Fri"):
        with using_locale("fr"):
            shown = scheduling.days_shown(stored)
        assert scheduling.format_days(scheduling.parse_days(shown)) == stored
        assert scheduling.days_shown(stored) == stored  # English as stored


@pytest.mark.parametrize(
    ("typed", "hour", "minute"), [("9h30", 9, 30), ("21h00", 21, 0), ("9 h", 9, 0), ("18h", 18, 0)]
)
def test_french_times_are_read(typed, hour, minute):
    assert scheduling.parse_time(typed) == time(hour, minute)


@pytest.mark.parametrize("typed", ["24h", "9h61", "h30", "9 heures"])
def test_impossible_french_times_are_refused(typed):
    with pytest.raises(InputError):
        scheduling.parse_time(typed)
