"""/content in a French-speaking server: adding, listing and removing the server's own tips and
prompts, answered in French; what the counsellor wrote is kept as written."""

from __future__ import annotations

from tests.cogs.french import NBSP, speak_french

QUESTION = "Qui avez-vous remercié sur LinkedIn cette semaine, et pourquoi?"
TITRE = "Notre règle pour les validations"
CORPS = (
    "Validez seulement une compétence que vous avez vue à l'œuvre : dans un stage, un bénévolat ou un projet "
    "d'équipe. Une validation vraie compte plus qu'une liste de validations de complaisance."
)


async def test_add_list_and_remove_in_french(group):
    await speak_french(group)

    empty = await group.counsellor.slash(group.channel, "content list")
    assert empty.response.content.startswith(
        "Ce serveur n'a pas encore d'astuces ni de sujets de discussion bien à lui."
    )

    prompt = await group.counsellor.slash(group.channel, "content add-prompt", text=QUESTION)
    assert prompt.response.content == (
        "Votre sujet de discussion est ajouté sous `custom-prompt-1`. Il fait maintenant partie de `/prompt` et "
        "des publications programmées de sujets de discussion de ce serveur."
    )
    assert prompt.response.embeds[0].title == "Sujet de discussion"
    assert prompt.response.embeds[0].description == QUESTION

    tip = await group.counsellor.slash(group.channel, "content add-tip", topic="endorsements", title=TITRE, body=CORPS)
    assert tip.response.content == (
        "Votre astuce est ajoutée sous `custom-tip-2`. Les membres d'ici la reçoivent maintenant avec `/tip` "
        "(thème Validations de compétences) et dans les publications d'astuces programmées. "
        f"Voici de quoi elle a l'air{NBSP}:"
    )
    assert tip.response.embeds[0].title == TITRE  # as the counsellor wrote it (ids are numbered across kinds)

    listed = await group.counsellor.slash(group.channel, "content list")
    embed = listed.response.embeds[0]
    assert embed.title == "Les astuces et sujets de discussion propres à ce serveur"
    assert embed.description.splitlines() == [
        f"`custom-prompt-1` · Sujet de discussion · Tous les thèmes · {QUESTION}",
        f"`custom-tip-2` · Astuce · Validations de compétences · {TITRE}",
    ]
    assert embed.footer.text == (
        f"Astuces{NBSP}: 1, sujets de discussion{NBSP}: 1 (au plus 200). Retirez-en un avec /content remove id."
    )

    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-prompt-1")
    assert removed.response.content == (
        f"Le sujet de discussion `custom-prompt-1` ({QUESTION}) est retiré. Il ne sera plus publié ni affiché; "
        "les membres qui y ont répondu gardent leur progression."
    )
    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-2")
    assert removed.response.content.startswith(f"L'astuce `custom-tip-2` ({TITRE}) est retirée.")


async def test_a_long_list_pages_in_french(group):
    await speak_french(group)
    for n in range(30):
        await group.counsellor.slash(
            group.channel, "content add-prompt", text=f"Question numéro {n} : qu'avez-vous appris cette semaine?"
        )

    first = await group.counsellor.slash(group.channel, "content list")

    footer = first.response.embeds[0].footer.text
    assert footer == (
        f"Astuces{NBSP}: 0, sujets de discussion{NBSP}: 30 (au plus 200). Page 1 sur 2{NBSP}: voyez la suite avec "
        "/content list page:2. Retirez-en un avec /content remove id."
    )


async def test_refusals_are_in_french_and_give_the_text_back(group):
    await speak_french(group)

    refused = await group.counsellor.slash(group.channel, "content add-tip", topic="profile", title="Hé", body=CORPS)

    assert refused.ephemeral
    text = refused.response.content
    assert "Le titre compte 2 caractères; il en faut au moins 3 (jusqu'à 100)." in text
    assert "Rien n'a été enregistré; votre texte est joint" in text
    assert (await refused.response.attachments[0].read()).decode() == f"Hé\n\n{CORPS}"

    unknown = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-9")
    assert unknown.response.content.startswith(
        "Ce serveur n'a aucune astuce ni aucun sujet de discussion à lui avec l'identifiant `custom-tip-9`."
    )
    listed = await group.counsellor.slash(group.channel, "content list")
    assert listed.response.content.startswith("Ce serveur n'a pas encore d'astuces")  # nothing was added
