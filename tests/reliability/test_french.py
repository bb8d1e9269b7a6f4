"""Linkwise in French, as members of a francophone group meet it: a server set to French with
/settings language, a member whose Discord is in French on a server left on auto, and English
servers unchanged next to them."""

from __future__ import annotations

import discord

from bot.content import default_content
from bot.i18n import using_locale
from bot.ui import persistent_view
from cogs.privacy.cog import DeleteMyData
from tests.db import one
from tests.scheduled import posts, travel_to, utc

FRENCH = default_content().localized("fr")
ENGLISH = default_content()


def language_row(bot, guild_id):
    return one(bot, "SELECT language FROM guild_settings WHERE guild_id = ?", (guild_id,))


def button_labels(message):
    return [c["label"] for row in message.components for c in row["components"]]


async def set_language(group, language):
    return await group.counsellor.slash(group.channel, "settings language", language=language)


# ---------------------------------------------------------------------- /settings language
async def test_setting_french_answers_in_french_and_is_stored(group):
    result = await set_language(group, "fr")

    assert result.ephemeral
    assert result.response.content.startswith("Linkwise parle maintenant français dans ce serveur")
    assert language_row(group.env.bot, group.guild.id) == ("fr",)
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
    assert language_row(group.env.bot, group.guild.id) == ("en",)
    assert "Language: English" in (await group.counsellor.slash(group.channel, "settings show")).response.content

    auto = await set_language(group, "auto")
    assert auto.response.content.startswith("Linkwise now answers each member in their Discord language")
    assert language_row(group.env.bot, group.guild.id) == (None,)  # auto: not set
    shown = (await group.counsellor.slash(group.channel, "settings show")).response.content
    assert "Language: Auto: each member in their Discord language" in shown
    assert shown.rstrip().endswith("`/settings language`.")


async def test_only_counsellors_set_the_language_and_the_refusal_is_in_the_servers_language(group):
    await set_language(group, "fr")
    commands = await group.env.bot.tree.fetch_commands()
    settings = next(c for c in commands if c.name == "settings")
    group.guild.set_command_permissions(settings, {group.guild.default_role: True})

    refused = await group.alice.slash(group.channel, "settings language", language="en")

    assert refused.ephemeral
    assert refused.response.content.startswith(
        "Seuls les conseillers peuvent changer la langue que Linkwise parle ici."
    )
    assert language_row(group.env.bot, group.guild.id) == ("fr",)


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
        f"Bravo : l'astuce **{tip.title}** est marquée comme essayée. Vous avez essayé 1 astuce jusqu'ici."
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


# ---------------------------------------------------------------------- /checklist and /progress
def select_of(message):
    return next(c for row in message.components for c in row["components"] if c["type"] == 3)


async def test_a_french_server_gets_french_checklists(group):
    await set_language(group, "fr")
    basics = FRENCH.checklist("profile-basics")

    overview = await group.alice.slash(group.channel, "checklist")
    embed = overview.response.embeds[0]
    assert embed.title == "Vos listes de vérification LinkedIn"
    assert [f.name for f in embed.fields] == [c.title for c in FRENCH.checklists]

    shown = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    embed = shown.response.embeds[0]
    assert embed.title == basics.title and embed.description.startswith(basics.description)
    assert f"⬜ {basics.items[0].label}" in embed.description
    assert embed.fields[0].name == "Progression"
    select = select_of(shown.response)
    assert select["placeholder"] == "Cochez ce que vous avez fait"
    assert [o["label"] for o in select["options"]] == [item.label for item in basics.items]

    finished = await group.alice.select(shown.response.message, list(basics.item_ids))
    assert finished.response.content == (
        f"🎉 Vous avez terminé **{basics.title}**! C'est un vrai progrès. "
        "Choisissez votre prochaine liste avec `/checklist`."
    )

    # A French title finds the list too, and the same ids: the English list shows the progress.
    by_title = await group.alice.slash(group.channel, "checklist", name=basics.title)
    assert by_title.response.embeds[0].title == basics.title
    await set_language(group, "en")
    english = await group.alice.slash(group.channel, "checklist", name="profile-basics")
    assert english.response.embeds[0].title == ENGLISH.checklist("profile-basics").title
    assert f"{len(basics.items)}/{len(basics.items)}" in english.response.embeds[0].fields[0].value


async def test_an_unknown_checklist_is_refused_in_french(group):
    await set_language(group, "fr")

    result = await group.alice.slash(group.channel, "checklist", name="mon-cv")

    assert result.ephemeral
    assert result.response.content.startswith("Il n'y a aucune liste appelée « mon-cv ». Les listes sont : ")
    assert "`profile-basics`" in result.response.content


async def test_progress_in_french(group):
    await set_language(group, "fr")
    tip = await group.alice.slash(group.channel, "tip")
    await group.alice.click(tip.response, label="J'ai essayé")

    result = await group.alice.slash(group.channel, "progress")

    embed = result.response.embeds[0]
    assert embed.title == "Progression : Alice"
    fields = {f.name: f.value for f in embed.fields}
    assert fields["Astuces essayées"] == "1"
    assert fields["Expériences partagées"] == "0"
    assert fields["Série hebdomadaire"] == "1 semaine"
    assert FRENCH.checklist("profile-basics").title in fields

    refused = await group.alice.slash(group.channel, "progress", member=group.bob)
    assert refused.response.content.startswith("Seuls les conseillers peuvent voir la progression d'un autre membre.")


# ---------------------------------------------------------------------- /help and /privacy
async def test_help_in_french(group):
    await set_language(group, "fr")

    result = await group.alice.slash(group.channel, "help")

    embed = result.response.embeds[0]
    assert embed.title == "Linkwise — le savoir-faire LinkedIn pour votre groupe de recherche d'emploi"
    fields = {f.name: f.value for f in embed.fields}
    assert set(fields) == {"Pour commencer", "Pour les membres", "Pour les conseillers"}
    assert fields["Pour commencer"].splitlines()[0].startswith("1. **/tip** — lisez une astuce")
    assert "`/tip [topic] [public]` — une astuce LinkedIn que vous n'avez pas encore vue" in fields["Pour les membres"]
    assert "**Évaluer comme titre** ou **Évaluer comme note d'invitation**" in fields["Pour les membres"]
    assert "`/settings show|counsellor-role|timezone|language`" in fields["Pour les conseillers"]
    assert all(len(value) <= 1024 for value in fields.values())
    assert len(embed.description) <= 4096


async def test_privacy_in_french(group):
    await set_language(group, "fr")
    await group.alice.slash(group.channel, "tip")

    exported = await group.alice.slash(group.channel, "privacy export")
    assert exported.response.content.startswith(
        "Tout ce que Linkwise conserve à votre sujet dans ce serveur se trouve dans le fichier joint :\n"
    )
    assert "• les astuces que vous avez vues : 1" in exported.response.content

    asked = await group.alice.slash(group.channel, "privacy delete")
    assert asked.response.embeds[0].title == "Supprimer vos données Linkwise ici?"
    assert button_labels(asked.response) == ["Supprimer mes données"]
    done = await group.alice.click(asked.response, label="Supprimer mes données")
    assert done.response.content.startswith("Vos données Linkwise dans ce serveur sont supprimées.")

    # Alice's button, where Bob can press it: the refusal is in the server's language.
    with using_locale("fr"):
        view = persistent_view(DeleteMyData(group.alice.id))
    posted = await group.env.bot.get_channel(group.channel.id).send("Alice's button", view=view)
    refused = await group.bob.click(posted, label="Supprimer mes données")
    assert refused.ephemeral
    assert refused.response.content.startswith("Ce bouton appartient au membre qui a demandé")


# ---------------------------------------------------------------------- errors
async def test_errors_a_member_meets_are_in_french(group):
    await set_language(group, "fr")
    commands = await group.env.bot.tree.fetch_commands()
    content = next(c for c in commands if c.name == "content")
    group.guild.set_command_permissions(content, {group.guild.default_role: True})

    refused = await group.alice.slash(group.channel, "content list")
    assert refused.response.content == (
        "Seuls les conseillers peuvent voir les astuces et sujets de discussion propres au serveur. Les "
        "conseillers ont l'autorisation Gérer le serveur; demandez à l'un d'eux si vous en avez besoin."
    )

    # A control no handler knows (an old version's, or forged), as Discord would bring it.
    view = discord.ui.View(timeout=None)
    view.add_item(discord.ui.Button(label="Click", custom_id="linkwise:retired:control"))
    view.stop()
    posted = await group.env.bot.get_channel(group.channel.id).send("A control", view=view)
    stale = await group.alice.click(posted, custom_id="linkwise:retired:control")
    assert stale.ephemeral
    assert stale.response.content.startswith("Ce bouton n'est plus valide : Linkwise n'en a rien fait.")

    zone = await group.counsellor.slash(group.channel, "settings timezone", timezone="Mars/Olympus")
    assert zone.ephemeral
    assert zone.response.content == (
        "'Mars/Olympus' n'est pas un fuseau horaire que je connais. "
        "Utilisez un nom IANA comme America/Toronto ou America/Montreal."
    )

    too_short = await group.counsellor.slash(
        group.channel, "content add-tip", topic="profile", title="Hi", body="Trop court."
    )
    assert too_short.ephemeral
    assert "Le titre compte 2 caractères; il en faut au moins" in too_short.response.content
    assert "Le texte de l'astuce compte 11 caractères" in too_short.response.content
    assert "Rien n'a été enregistré; votre texte est joint" in too_short.response.content


async def test_an_english_server_is_unchanged_next_to_a_french_one(group):
    french = group.env.create_guild(name="Cercle Carrière")
    channel = french.create_text_channel("general")
    admins = french.create_role("Admins", permissions=discord.Permissions(manage_guild=True))
    owner = french.add_member(group.env.create_user("odile"), roles=[admins])
    await owner.slash(channel, "settings language", language="fr")

    help_text = (await group.alice.slash(group.channel, "help")).response.embeds[0]
    checklist = (await group.alice.slash(group.channel, "checklist")).response.embeds[0]

    assert help_text.title == "Linkwise — LinkedIn know-how for your job search group"
    assert {f.name for f in help_text.fields} == {"Start here", "For members", "For counsellors"}
    assert checklist.title == "Your LinkedIn checklists"
    assert [f.name for f in checklist.fields] == [c.title for c in ENGLISH.checklists]


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


async def test_checklist_suggestions_as_a_member_types_are_french_on_a_french_server(group):
    await set_language(group, "fr")

    choices = await group.alice.autocomplete(group.channel, "checklist", "name", "")

    assert [c["name"] for c in choices] == [c.title for c in FRENCH.checklists]
    assert [c["value"] for c in choices] == [c.id for c in FRENCH.checklists]
