"""/review for a French-speaking member: French text gets the French rules' findings, the whole
answer (title, verdict, length, fields, forms, refusals) is French, and English text is still
reviewed by the English rules, said so in French."""

from __future__ import annotations

from cogs.review.rules import load_rules, review
from tests.cogs.french import NBSP, speak_french
from tests.payloads import text_inputs

TITRE = "Préposée aux bénéficiaires | Soins à domicile · RCR · Bilingue français-anglais"
NOTE = (
    "Bonjour Sophie, nous nous sommes rencontrées au salon de l'emploi de Moncton vendredi. "
    "Votre parcours en logistique m'a inspirée; j'aimerais rester en contact et vous envoyer la liste "
    "d'employeurs que j'ai préparée."
)
OFFRE = """Commis comptable

Le Groupe Boréal embauche un commis comptable pour son bureau de Québec.

Vos tâches :
- Saisir les factures fournisseurs dans Sage 50
- Faire les conciliations bancaires mensuelles
- Préparer les remises de TPS et TVQ

Exigences :
- DEC en comptabilité
- 2 ans d'expérience en comptes fournisseurs
- Maîtrise d'Excel"""
PROFIL = "Commis comptable | Comptes fournisseurs · Excel\n\nJe saisis les factures et fais les conciliations."


def fields(embed) -> dict[str, str]:
    return {field.name: field.value for field in embed.fields}


async def test_a_french_headline_gets_the_french_findings_in_a_french_answer(group):
    await speak_french(group)

    result = await group.alice.slash(group.channel, "review headline", text=TITRE)

    assert result.ephemeral
    expected = review("headline", TITRE, reader="fr")
    assert expected.language == "fr"  # the French rules reviewed it
    french_rules = {rule.id for rule in load_rules().sets["fr"].rules}
    assert {finding.rule_id for finding in expected.findings} <= french_rules
    embed = result.response.embeds[0]
    assert embed.title == f"Analyse du titre{NBSP}: {expected.score}/100"
    assert f"**Longueur{NBSP}:** {len(TITRE)}/220 caractères." in embed.description
    assert f"ensemble, ils donnent la note de {expected.score}." in embed.description
    assert "analysé avec les règles" not in embed.description  # French text for a French reader: nothing to say
    shown = "\n".join(fields(embed).values())
    for finding in expected.findings:
        assert finding.message in shown
    assert set(fields(embed)) <= {"Points forts", "Suggestions", "Points forts (suite)", "Suggestions (suite)"}
    assert " sur 10 points)" in shown or " sur 30 points)" in shown
    assert embed.footer.text == (
        "Rien de ce que vous collez n'est conservé. Note calculée par des règles fixes, pas par l'IA."
    )


async def test_an_english_headline_is_reviewed_by_the_english_rules_said_in_french(group):
    await speak_french(group)
    english = "Warehouse Supervisor | Inventory Control · Forklift Certified · Team Scheduling"

    result = await group.alice.slash(group.channel, "review headline", text=english)

    embed = result.response.embeds[0]
    assert embed.title.startswith(f"Analyse du titre{NBSP}: ")
    assert (
        f"Texte analysé avec les règles de l'anglais{NBSP}: votre texte est en anglais, "
        "les suggestions le sont donc aussi." in embed.description
    )
    for finding in review("headline", english).findings:
        assert finding.message in "\n".join(fields(embed).values())


async def test_nothing_to_review_is_explained_in_french(group):
    await speak_french(group)

    result = await group.alice.slash(group.channel, "review invite", text="!!! ...")

    embed = result.response.embeds[0]
    assert embed.title == f"Analyse de la note d'invitation{NBSP}: 0/100"
    assert fields(embed)["Suggestions"].startswith(
        "• Aucun mot à analyser pour l'instant. Collez la note que vous comptez joindre à votre demande de connexion"
    )


async def test_a_french_connection_note(group):
    await speak_french(group)

    result = await group.bob.slash(group.channel, "review invite", text=NOTE)

    expected = review("invite", NOTE, reader="fr")
    assert expected.language == "fr"
    embed = result.response.embeds[0]
    assert embed.title == f"Analyse de la note d'invitation{NBSP}: {expected.score}/100"
    assert "(la limite signalée avec Premium; les comptes gratuits permettraient 200 caractères)" in embed.description
    for finding in expected.findings:
        assert finding.message in "\n".join(fields(embed).values())


async def test_the_about_form_is_in_french(group):
    await speak_french(group)

    shown = await group.alice.slash(group.channel, "review about")

    assert shown.modal["title"] == "Analyser votre section Infos"
    box = text_inputs(shown.modal["components"])["text"]
    assert box["label"] == "Votre section Infos"
    assert box["placeholder"] == "Collez votre section Infos ou votre brouillon. LinkedIn permet 2\u00a0600 caractères."
    about = (
        "Je suis commis comptable depuis six ans dans une coopérative agricole de Saint-Hyacinthe. "
        "Je fais la paie de 80 employés et les conciliations bancaires chaque mois."
    )
    result = await group.alice.submit_modal(shown, {"text": about})
    assert result.response.embeds[0].title.startswith(f"Analyse de la section Infos{NBSP}: ")


async def test_job_match_in_french(group):
    await speak_french(group)

    shown = await group.alice.slash(group.channel, "review match")
    assert shown.modal["title"] == "Comparer avec une offre d'emploi"
    inputs = text_inputs(shown.modal["components"])
    assert inputs["posting"]["label"] == "L'offre d'emploi"
    assert inputs["profile"]["label"] == "Votre titre, vos infos ou vos compétences"

    result = await group.alice.submit_modal(shown, {"posting": OFFRE, "profile": PROFIL})
    embed = result.response.embeds[0]
    assert embed.title.startswith(f"Comparaison avec l'offre{NBSP}: ") and embed.title.endswith(f"{NBSP}%")
    assert embed.description.startswith("Votre profil montre **")
    names = [field.name for field in embed.fields]
    assert names[0].startswith("Dans votre profil (")
    assert names[1].startswith("Manquants (")
    assert names[2] == "Où les ajouter"
    assert embed.footer.text.endswith("N'ajoutez que ce qui est vrai pour vous.")


async def test_a_message_without_words_is_refused_in_french(group):
    await speak_french(group)
    tip = await group.alice.slash(group.channel, "tip", public=True)  # an embed, no words of its own

    result = await group.bob.context_menu(group.channel, "Review as headline", tip.response)

    assert result.ephemeral
    assert result.response.content.startswith(
        f"Ce message n'a pas de texte à analyser{NBSP}: il contient un encadré. Linkwise analyse les mots"
    )
    assert result.response.content.endswith("ou collez-le dans `/review headline`.")


async def test_numbers_are_written_the_french_way(group):
    await speak_french(group)
    sentence = "Je coordonne la logistique d'un entrepôt de Laval depuis huit ans et je forme les caristes. "
    about = (sentence * 40)[:3000]

    shown = await group.alice.slash(group.channel, "review about")
    result = await group.alice.submit_modal(shown, {"text": about})

    description = result.response.embeds[0].description
    assert f"**Longueur{NBSP}:** 3{NBSP}000/2{NBSP}600 caractères, 400 de trop." in description
