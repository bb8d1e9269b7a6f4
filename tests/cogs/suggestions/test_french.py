"""Suggestions in a French-speaking server: /suggest and /suggest status for the member, the
queue with its Approve and Decline buttons and the decline form for the counsellor, in French."""

from __future__ import annotations

from tests.cogs.french import FRENCH, NBSP, labels, speak_french

TITRE = "Demandez une présentation à votre mentor"
CORPS = (
    "À la fin d'une rencontre de mentorat, demandez à être présenté à une personne qui occupe le poste "
    "que vous visez, et offrez une phrase qui explique pourquoi vous aimeriez la rencontrer."
)
QUESTION = "Quelle personne hors de votre domaine vous a le plus appris sur la recherche d'emploi?"


async def test_suggest_approve_and_status_in_french(group):
    await speak_french(group)

    done = await group.alice.slash(group.channel, "suggest tip", topic="connecting", title=TITRE, body=CORPS)
    assert done.response.content == (
        "Merci! Votre astuce est la suggestion #1, en attente de la décision des conseillers et conseillères. "
        "Si elle est approuvée, elle s'ajoutera aux astuces propres à ce serveur, à votre nom. "
        "Suivez-la avec `/suggest status`."
    )
    status = await group.alice.slash(group.channel, "suggest status")
    embed = status.response.embeds[0]
    assert embed.title == "Vos suggestions"
    assert embed.description == f"`#1` Astuce · “{TITRE}” · **en attente**"
    assert embed.footer.text == "Les plus récentes d'abord, jusqu'à 15. Au plus 3 suggestions par période de 24 heures."

    queue = await group.counsellor.slash(group.channel, "content queue")
    assert queue.response.content == (
        f"**1** suggestion en attente{NBSP}: celles qui sont approuvées s'ajoutent aux astuces et sujets de discussion "
        "propres à ce serveur, au nom du membre."
    )
    shown = queue.response.embeds[0]
    assert shown.title == f"#1 · Astuce · Réseautage{NBSP}: {TITRE}"
    assert shown.footer.text == "Suggérée par Alice"
    assert labels(queue.response) == ["Approuver #1", "Refuser #1"]

    approved = await group.counsellor.click(queue.response.message, label="Approuver #1")
    assert approved.response.content.startswith(
        f"Suggestion #1 approuvée{NBSP}: c'est maintenant `custom-tip-1`, dans `/tip` et les publications "
        "d'astuces programmées d'ici, au nom du membre.\n\nAucune suggestion n'est en attente."
    )
    status = await group.alice.slash(group.channel, "suggest status")
    assert status.response.embeds[0].description.endswith("**approuvée** (maintenant `custom-tip-1`)")


async def test_decline_with_and_without_a_reason_in_french(group):
    await speak_french(group)
    await group.alice.slash(group.channel, "suggest prompt", text=QUESTION)
    await group.bob.slash(group.channel, "suggest prompt", text=QUESTION + " Et pourquoi cette personne?")

    queue = await group.counsellor.slash(group.channel, "content queue")
    assert queue.response.content.startswith("**2** suggestions en attente")
    similar = queue.response.embeds[1].fields[0]
    assert similar.name == "⚠️ Ressemble à du contenu que vous avez déjà"
    assert similar.value.startswith("100")  # Bob's repeats Alice's, which is waiting
    assert f"{NBSP}% semblable à une suggestion en attente{NBSP}: " in similar.value

    form = await group.counsellor.click(queue.response.message, label="Refuser #1")
    assert form.modal["title"] == "Refuser cette suggestion"
    (box,) = [c for row in form.modal["components"] for c in row.get("components") or [row.get("component") or row]]
    assert box["label"] == "Raison pour le membre (facultatif)"
    assert box["placeholder"].startswith(f"Par exemple{NBSP}: nous avons déjà une astuce là-dessus")
    done = await group.counsellor.submit_modal(form, {"reason": "Nous avons déjà une question semblable."})
    assert done.response.content.startswith(
        "Suggestion #1 refusée; le membre le verra dans `/suggest status` (avec votre raison)."
    )
    form = await group.counsellor.click(done.response.message, label="Refuser #2")
    done = await group.counsellor.submit_modal(form, {"reason": ""})
    assert done.response.content.startswith(
        "Suggestion #2 refusée; le membre le verra dans `/suggest status` (sans raison)."
    )

    alice = (await group.alice.slash(group.channel, "suggest status")).response.embeds[0].description
    assert alice.endswith(f"**refusée**{NBSP}: Nous avons déjà une question semblable.")
    assert alice.startswith("`#1` Sujet de discussion · “")
    bob = (await group.bob.slash(group.channel, "suggest status")).response.embeds[0].description
    assert bob.endswith("**refusée** (aucune raison donnée)")


async def test_the_daily_limit_is_explained_in_french_with_the_text_attached(group):
    await speak_french(group)
    for n in range(3):
        await group.alice.slash(group.channel, "suggest prompt", text=f"{QUESTION} ({n + 1})")

    refused = await group.alice.slash(group.channel, "suggest prompt", text=QUESTION + " Encore une.")

    assert refused.response.content.startswith(
        "Vous avez fait 3 suggestions au cours des dernières 24 heures, le maximum que Linkwise accepte."
    )
    assert refused.response.content.endswith("Rien n'a été enregistré; votre texte est joint.")
    assert (await refused.response.attachments[0].read()).decode() == QUESTION + " Encore une."

    empty = await group.bob.slash(group.channel, "suggest status")
    assert empty.response.content.startswith("Vous n'avez encore rien suggéré ici.")


async def test_a_copy_of_a_french_tip_is_flagged_like_a_copy_of_an_english_one(group):
    await speak_french(group)
    tip = FRENCH.tips[0]

    await group.alice.slash(group.channel, "suggest tip", topic=tip.topic, title=tip.title, body=tip.body)

    queue = await group.counsellor.slash(group.channel, "content queue")
    (similar,) = queue.response.embeds[0].fields
    assert similar.value == f"100{NBSP}% semblable à `{tip.id}`{NBSP}: {tip.title}"[:1024]
