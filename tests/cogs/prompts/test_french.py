"""/prompt and **Share your practice** in a French-speaking group: the public post in the
server's language, the form and the answers in the member's, English servers unchanged."""

from __future__ import annotations

from bot import create_bot
from tests.cogs.french import ENGLISH, FRENCH, NBSP, labels, speak_french

PRATIQUE = "J'ouvre chaque note d'invitation avec le projet que nous avons fait ensemble."


def inputs(modal) -> list[dict]:
    return [c for row in modal["components"] for c in row.get("components") or [row.get("component") or row]]


async def test_the_prompt_post_and_the_shared_practice_are_in_french(group):
    await speak_french(group)

    posted = await group.alice.slash(group.channel, "prompt", topic="connecting")

    assert not posted.ephemeral
    embed = posted.response.embeds[0]
    assert embed.title == "Sujet de discussion"
    prompt = next(p for p in FRENCH.prompts if p.text == embed.description)  # the French text of a prompt
    assert prompt.topic == "connecting" and ENGLISH.prompt(prompt.id).text != prompt.text
    assert embed.footer.text == (
        f"Thème{NBSP}: Réseautage · Répondez à partir de votre expérience avec le bouton ci-dessous"
    )
    assert labels(posted.response) == ["Partagez votre expérience"]

    shown = await group.bob.click(posted.response.message, label="Partagez votre expérience")
    assert shown.modal["title"] == "Partagez votre expérience"
    (box,) = inputs(shown.modal)
    assert box["label"] == "Ce que vous avez fait, et le résultat" and len(box["label"]) <= 45
    assert box["placeholder"].startswith(f"Soyez précis{NBSP}:")

    done = await group.bob.submit_modal(shown, {"practice": PRATIQUE})
    assert done.response.content.startswith(f"Merci — votre expérience est dans le fil{NBSP}: https://")
    assert done.response.content.endswith("Vous avez partagé 1 expérience avec ce groupe.")
    (thread,) = group.channel.threads
    assert prompt.text.startswith(thread.name.rstrip("…")[:40])  # named after the French prompt
    (answer,) = thread.history()
    assert answer.embeds[0].description == PRATIQUE
    assert answer.embeds[0].footer.text == "Expérience partagée"

    second = await group.bob.slash(group.channel, "prompt")
    third = await group.bob.click(second.response.message, label="Partagez votre expérience")
    done = await group.bob.submit_modal(third, {"practice": PRATIQUE + " Deux réponses sur trois."})
    assert done.response.content.endswith("Vous avez partagé 2 expériences avec ce groupe.")


async def test_refusals_are_in_french_and_give_the_text_back(group):
    await speak_french(group)
    posted = await group.alice.slash(group.channel, "prompt")

    too_soon = await group.alice.slash(group.channel, "prompt")
    assert too_soon.ephemeral
    text = too_soon.response.content
    assert text.startswith("Vous avez publié un sujet de discussion le <t:")
    assert "Chaque membre peut en publier un toutes les 10 minutes" in text
    assert text.endswith("avec son bouton **Partagez votre expérience**.")

    first = await group.bob.click(posted.response.message, label="Partagez votre expérience")
    second = await group.bob.click(posted.response.message, label="Partagez votre expérience")  # opened twice
    await group.bob.submit_modal(first, {"practice": PRATIQUE})
    refused = await group.bob.submit_modal(second, {"practice": "Une deuxième réponse, envoyée trop vite."})
    text = refused.response.content
    assert text.startswith("Vous avez partagé une expérience sur ce sujet de discussion le <t:")
    assert "Votre expérience n'a pas été publiée." in text
    assert "Une deuxième réponse, envoyée trop vite." in text  # given back, not lost

    cooldown = await group.bob.click(posted.response.message, label="Partagez votre expérience")
    assert cooldown.modal is None
    assert cooldown.response.content.startswith("Vous avez partagé une expérience sur ce sujet de discussion le <t:")
    assert "toutes les 5 minutes" in cooldown.response.content


async def test_the_public_post_follows_the_server_and_the_answers_follow_the_member(group, discord_locale):
    """Left on auto, a server whose preferred language is English posts its prompts in English,
    while a member whose Discord is in French is answered in French."""
    discord_locale[group.alice.id] = "fr"

    posted = await group.alice.slash(group.channel, "prompt")
    embed = posted.response.embeds[0]
    assert embed.title == "Discussion prompt"
    assert any(p.text == embed.description for p in ENGLISH.prompts)
    assert labels(posted.response) == ["Share your practice"]

    refused = await group.alice.slash(group.channel, "prompt")
    assert refused.response.content.startswith("Vous avez publié un sujet de discussion le")

    shown = await group.alice.click(posted.response.message, label="Share your practice")
    assert shown.modal["title"] == "Partagez votre expérience"  # her own form, in her language
    done = await group.alice.submit_modal(shown, {"practice": PRATIQUE})
    assert done.response.content.startswith("Merci — votre expérience est dans le fil")
    (thread,) = group.channel.threads
    (answer,) = thread.history()
    assert answer.embeds[0].footer.text == "Shared practice"  # the group's post: the server's language


async def test_a_french_server_and_an_english_one_side_by_side(group, database_url):
    await speak_french(group)
    other = group.env.create_guild(name="Job Club")
    channel = other.create_text_channel("general")
    member = other.add_member(group.env.create_user("sam", global_name="Sam"))

    french = await group.alice.slash(group.channel, "prompt")
    english = await member.slash(channel, "prompt")

    assert french.response.embeds[0].title == "Sujet de discussion"
    assert english.response.embeds[0].title == "Discussion prompt"
    assert english.response.embeds[0].footer.text.startswith("Topic: ")
    assert labels(english.response) == ["Share your practice"]

    await group.env.restart_bot(create_bot(database_url=database_url))  # the setting is kept in the database
    shown = await group.bob.click(french.response.message, label="Partagez votre expérience")
    assert shown.modal["title"] == "Partagez votre expérience"
