"""Linkwise in French, as members of a francophone group meet it: a server set to French with
/settings language, a member whose Discord is in French on a server left on auto, and English
servers unchanged next to them."""

from __future__ import annotations

import sqlite3

import discord
import pytest
import simcord.interactions
from scheduled import posts, travel_to, utc

from bot.content import default_content

FRENCH = default_content().localized("fr")
ENGLISH = default_content()


def language_row(db_path, guild_id):
    with sqlite3.connect(db_path) as conn:
        return conn.execute("SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,)).fetchone()


def button_labels(message):
    return [c["label"] for row in message.components for c in row["components"]]


async def set_language(group, language):
    return await group.counsellor.slash(group.channel, "settings language", language=language)


@pytest.fixture
def discord_locale(monkeypatch):
    """Members whose Discord client is set to another language (user id -> locale): their
    interactions carry that ``locale``, as Discord sends it (SimCord sends every interaction
    as en-US; this changes only that field of the payload)."""
    locales: dict[int, str] = {}
    built = simcord.interactions.base_payload

    def base_payload(backend, **kwargs):
        record, payload = built(backend, **kwargs)
        if kwargs["user_id"] in locales:
            payload["locale"] = locales[kwargs["user_id"]]
        return record, payload

    monkeypatch.setattr(simcord.interactions, "base_payload", base_payload)
    return locales


# ---------------------------------------------------------------------- /settings language
async def test_setting_french_answers_in_french_and_is_stored(group):
    result = await set_language(group, "fr")

    assert result.ephemeral
    assert result.response.content.startswith("Linkwise parle maintenant français dans ce serveur")
    assert language_row(group.env.bot.db_path, group.guild.id) == ("fr",)
    shown = await group.counsellor.slash(group.channel, "settings show")
    text = shown.response.content
    assert "**Paramètres de Linkwise pour ce serveur**" in text
    assert "Langue : Français" in text
    assert "Rôle des conseillers : Non défini" in text
    assert "Fuseau horaire par défaut : UTC (non défini)" in text


async def test_language_round_trip_back_to_english_and_to_auto(group):
    await set_language(group, "fr")

    english = await set_language(group, "en")
    assert english.response.content.startswith("Linkwise now speaks English in this server")
    assert language_row(group.env.bot.db_path, group.guild.id) == ("en",)
    assert "Language: English" in (await group.counsellor.slash(group.channel, "settings show")).response.content

    auto = await set_language(group, "auto")
    assert auto.response.content.startswith("Linkwise now answers each member in their Discord language")
    assert language_row(group.env.bot.db_path, group.guild.id) == (None,)  # auto: not set
    shown = (await group.counsellor.slash(group.channel, "settings show")).response.content
    assert "Language: Auto: each member in their Discord language" in shown
    assert shown.rstrip().endswith("`/settings language`.")


async def test_only_counsellors_set_the_language_and_the_refusal_is_in_the_servers_language(group):
    await set_language(group, "fr")
    await group.env.bot.tree.fetch_commands()
    commands = await group.env.bot.tree.fetch_commands()
    settings = next(c for c in commands if c.name == "settings")
    group.guild.set_command_permissions(settings, {group.guild.default_role: True})

    refused = await group.alice.slash(group.channel, "settings language", language="en")

    assert refused.ephemeral
    assert refused.response.content.startswith(
        "Seuls les conseillers peuvent changer la langue que Linkwise parle ici."
    )
    assert language_row(group.env.bot.db_path, group.guild.id) == ("fr",)


async def test_language_is_per_server(group):
    other = group.env.create_guild(name="Cercle anglais")
    channel = other.create_text_channel("general")
    dana = other.add_member(group.env.create_user("dana"))
    await set_language(group, "fr")

    result = await dana.slash(channel, "tip")

    assert button_labels(result.response) == ["Another tip", "I tried this"]
    assert result.response.embeds[0].title in {tip.title for tip in ENGLISH.tips}


# ---------------------------------------------------------------------- /tip
async def test_a_french_server_gets_french_tips_and_buttons(group):
    await set_language(group, "fr")

    result = await group.alice.slash(group.channel, "tip", topic="job-search")

    embed = result.response.embeds[0]
    tip = next(t for t in FRENCH.tips if t.title == embed.title)
    assert tip.topic == "job-search" and embed.description == tip.body
    assert embed.footer.text == "Thème : Recherche d'emploi · astuce Linkwise"
    assert button_labels(result.response) == ["Une autre astuce", "J'ai essayé"]

    tried = await group.alice.click(result.response, label="J'ai essayé")
    assert tried.response.content == (
        f"Bravo : **{tip.title}** est marquée comme essayée. Vous avez essayé 1 astuce jusqu'ici."
    )
    another = await group.alice.click(result.response, label="Une autre astuce")
    assert another.response.embeds[0].title in {t.title for t in FRENCH.tips_for("job-search")}


async def test_progress_carries_across_a_language_change(group):
    first = await group.alice.slash(group.channel, "tip", topic="safety")
    await group.alice.click(first.response, label="I tried this")
    await set_language(group, "fr")

    second = await group.alice.slash(group.channel, "tip", topic="safety")
    tried = await group.alice.click(second.response, label="J'ai essayé")

    # The tip ids are the same in both languages: the count goes on, and no tip repeats.
    assert "Vous avez essayé 2 astuces jusqu'ici." in tried.response.content
    english_title = first.response.embeds[0].title
    same_tip = next(t.id for t in ENGLISH.tips if t.title == english_title)
    assert FRENCH.tip(same_tip).title != second.response.embeds[0].title


async def test_a_member_with_discord_in_french_gets_french_on_an_auto_server(group, discord_locale):
    discord_locale[group.alice.id] = "fr"

    french = await group.alice.slash(group.channel, "tip")
    english = await group.bob.slash(group.channel, "tip")

    assert french.response.embeds[0].title in {t.title for t in FRENCH.tips}
    assert button_labels(french.response) == ["Une autre astuce", "J'ai essayé"]
    assert english.response.embeds[0].title in {t.title for t in ENGLISH.tips}
    assert button_labels(english.response) == ["Another tip", "I tried this"]
    # The server's setting wins over the member's own language.
    await set_language(group, "en")
    assert button_labels((await group.alice.slash(group.channel, "tip")).response) == ["Another tip", "I tried this"]


async def test_on_auto_a_language_linkwise_lacks_falls_back_to_the_servers(simcord_env, discord_locale):
    """auto: the member's own language where Linkwise has it, else the server's preferred
    locale, else English."""
    guild = simcord_env.create_guild(name="Cercle Carrière", preferred_locale="fr")
    channel = guild.create_text_channel("general")
    english_speaker = guild.add_member(simcord_env.create_user("eli"))  # en-US: Linkwise has English
    japanese_speaker = guild.add_member(simcord_env.create_user("kenji"))
    discord_locale[japanese_speaker.id] = "ja"
    elsewhere = simcord_env.create_guild(name="Career Circle", preferred_locale="de")
    other_channel = elsewhere.create_text_channel("general")
    german_speaker = elsewhere.add_member(simcord_env.create_user("greta"))
    discord_locale[german_speaker.id] = "de"

    assert button_labels((await english_speaker.slash(channel, "tip")).response) == ["Another tip", "I tried this"]
    assert button_labels((await japanese_speaker.slash(channel, "tip")).response) == ["Une autre astuce", "J'ai essayé"]
    assert button_labels((await german_speaker.slash(other_channel, "tip")).response) == ["Another tip", "I tried this"]


# ---------------------------------------------------------------------- public posts
async def test_scheduled_tips_are_posted_in_the_servers_language(group):
    """A public post has no member to answer: it is in the server's language (its setting,
    else its preferred locale), whoever set the schedule up."""
    await set_language(group, "fr")
    await group.counsellor.slash(
        group.channel, "schedule add", channel=group.channel, time="09:00", timezone="UTC", days="daily"
    )

    await group.counsellor.slash(group.channel, "schedule test", id=1)
    await travel_to(group.env, utc("2026-01-01T09:01"))

    tips = [m for m in posts(group.channel) if m.embeds]
    assert len(tips) == 2
    for posted in tips:
        assert posted.embeds[0].title in {t.title for t in FRENCH.tips}
        assert posted.embeds[0].footer.text.startswith("Thème : ")
        assert [c.label for row in posted.components for c in row.children] == ["Une autre astuce", "J'ai essayé"]


async def test_a_server_whose_discord_is_in_french_gets_french_posts_on_auto(simcord_env):
    guild = simcord_env.create_guild(name="Cercle Carrière", preferred_locale="fr")
    channel = guild.create_text_channel("general")
    staff = guild.create_role("Staff", permissions=discord.Permissions(manage_guild=True))
    counsellor = guild.add_member(simcord_env.create_user("odile"), roles=[staff])

    await counsellor.slash(channel, "schedule add", channel=channel, time="09:00", timezone="UTC", days="daily")
    await counsellor.slash(channel, "schedule test", id=1)

    [posted] = [m for m in posts(channel) if m.embeds]
    assert posted.embeds[0].title in {t.title for t in FRENCH.tips}
