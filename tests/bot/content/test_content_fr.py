"""The French content: every item in both languages under the same ids, held to the English.

Each French entry has the English entry's id, topic and {placeholders}, fits the same Discord
limits, writes no figure of its own, and shows LinkedIn's figures as a francophone reader writes
them (2 600, with the no-break space). The loader refuses a French entry that breaks any of this.
"""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import discord
import pytest

from bot.content import (
    CONTENT_DIR,
    DIGITS,
    RETIRED_TIPS,
    TOPIC_LABELS,
    TOPICS,
    ContentError,
    Tip,
    default_content,
    fill,
    format_number,
    load_content,
    load_facts,
    placeholders,
    resolve_locale,
    supported_locale,
    topic_labels,
    untranslated,
)
from tests.bot.content.test_content import all_texts

FRENCH = CONTENT_DIR / "fr"
ACTION_MARKER = "**Aujourd'hui :**"  # the French of the English tips' **Today:**
NBSP = "\u00a0"  # Babel's thousands separator for Canadian French

# Discord's limits: embed title 256, embed description 4096, select option label/description 100,
# slash-command choice name 100.
EMBED_TITLE, EMBED_DESCRIPTION, OPTION_TEXT, CHOICE_NAME = 256, 4096, 100, 100

@pytest.fixture(scope="module")
def english():
    return default_content()


@pytest.fixture(scope="module")
def french(english):
    return english.localized("fr")


# ---------------------------------------------------------------------- every item in French
def test_every_content_item_has_its_french_version(english, french):
    """Tips, checklists, items and prompts: nothing is shown in English to a French member."""
    assert french.untranslated == ()
    assert untranslated(english) == ()
    assert all(t.locale == "fr" for t in french.tips)
    load_content(complete=True)  # the strict load agrees


def test_every_checklist_item_and_prompt_has_its_french_version(french):
    assert [entry for entry in french.untranslated if not entry.startswith("fr/tips/")] == []
    assert all(c.locale == "fr" for c in french.checklists)
    assert all(p.locale == "fr" for p in french.prompts)


def test_every_topic_has_a_french_label():
    assert set(TOPIC_LABELS) == {"en", "fr"}
    assert TOPIC_LABELS["en"] is TOPICS
    labels = TOPIC_LABELS["fr"]
    assert list(labels) == list(TOPICS)  # same ids, same order (they are slash-command choices)
    assert all(0 < len(label) <= CHOICE_NAME for label in labels.values())
    assert len(set(labels.values())) == len(labels)
    assert all(labels[topic] != TOPICS[topic] for topic in TOPICS)  # translated, not copied
    assert labels["connecting"] == "Réseautage"
    assert labels["safety"] == "Sécurité et confidentialité"


def test_french_has_the_same_items_in_the_same_order(english, french):
    assert [t.id for t in french.tips] == [t.id for t in english.tips]
    assert [t.topic for t in french.tips] == [t.topic for t in english.tips]
    assert [c.id for c in french.checklists] == [c.id for c in english.checklists]
    for en_list, fr_list in zip(english.checklists, french.checklists, strict=True):
        assert fr_list.item_ids == en_list.item_ids
    assert [(p.id, p.topic) for p in french.prompts] == [(p.id, p.topic) for p in english.prompts]


def test_translated_text_is_french_not_a_copy_of_the_english(english, french):
    copied = [
        where
        for (where, en_text), (_, fr_text) in zip(all_texts(english), all_texts(french), strict=True)
        if en_text == fr_text and not _shown_in_english(french, where)
    ]
    assert copied == []


def _shown_in_english(french, where: str) -> bool:
    kind, entry_id = where.split(" ")[:2]
    if kind == "tip":
        return french.tip(entry_id).locale != "fr"
    if kind == "prompt":
        return french.prompt(entry_id).locale != "fr"
    return False  # checklists are all translated (test above)


# ---------------------------------------------------------------------- placeholders and figures
def raw_french() -> list[tuple[str, str, str, dict[str, str]]]:
    """(kind, id, file, fields) for every French entry, as written."""
    found = []
    for path in sorted((FRENCH / "tips").glob("*.toml")):
        for tip in tomllib.loads(path.read_text(encoding="utf-8")).get("tip", []):
            found.append(("tip", tip["id"], f"tips/{path.name}", {k: tip[k] for k in ("title", "body")}))
    for checklist in tomllib.loads((FRENCH / "checklists.toml").read_text(encoding="utf-8"))["checklist"]:
        fields = {k: checklist[k] for k in ("title", "description")}
        found.append(("checklist", checklist["id"], "checklists.toml", fields))
        for item in checklist["item"]:
            found.append(("item", item["id"], "checklists.toml", {k: item[k] for k in ("label", "how")}))
    for prompt in tomllib.loads((FRENCH / "prompts.toml").read_text(encoding="utf-8"))["prompt"]:
        found.append(("prompt", prompt["id"], "prompts.toml", {"text": prompt["text"]}))
    return found


def raw_english() -> dict[tuple[str, str], dict[str, str]]:
    found = {}
    for path in sorted((CONTENT_DIR / "tips").glob("*.toml")):
        for tip in tomllib.loads(path.read_text(encoding="utf-8"))["tip"]:
            found["tip", tip["id"]] = {k: tip[k] for k in ("title", "body")}
    for checklist in tomllib.loads((CONTENT_DIR / "checklists.toml").read_text(encoding="utf-8"))["checklist"]:
        found["checklist", checklist["id"]] = {k: checklist[k] for k in ("title", "description")}
        for item in checklist["item"]:
            found["item", item["id"]] = {k: item[k] for k in ("label", "how")}
    for prompt in tomllib.loads((CONTENT_DIR / "prompts.toml").read_text(encoding="utf-8"))["prompt"]:
        found["prompt", prompt["id"]] = {"text": prompt["text"]}
    return found


def test_the_french_files_hold_every_checklist_item_and_prompt():
    written = {(kind, entry_id) for kind, entry_id, _, _ in raw_french()}
    expected = {key for key in raw_english() if key[0] != "tip"}
    assert expected - written == set()
    assert {key for key in written if key[0] != "tip"} - expected == set()


def test_placeholders_are_the_same_as_in_english():
    english = raw_english()
    differ = [
        (kind, entry_id, name, sorted(placeholders(text)), sorted(placeholders(english[kind, entry_id][name])))
        for kind, entry_id, _, fields in raw_french()
        for name, text in fields.items()
        if placeholders(text) != placeholders(english[kind, entry_id][name])
    ]
    assert differ == []


def test_no_digits_outside_placeholders_in_french():
    """Every figure comes from facts.toml; counts are written in words (« trois », « cinq »)."""
    facts = load_facts()
    written = []
    for kind, entry_id, where, fields in raw_french():
        for name, text in fields.items():
            literal = re.sub(r"\{[a-z_]+\}", "", text)
            written += [(where, entry_id, name, m.group()) for m in DIGITS.finditer(literal)]
            assert placeholders(text) <= facts.keys(), (kind, entry_id)
    assert written == []


def test_french_ordinals_are_words_and_figures_are_not():
    found = lambda text: [m.group() for m in DIGITS.finditer(text)]  # noqa: E731
    assert found("relations de 1er niveau, de 2e et de 3e niveau, la 1re fois") == []
    assert found("1st-degree connections") == []
    assert found("jusqu'à 2 600 caractères, 30 000 relations, 5 compétences") == ["2", "600", "30", "000", "5"]


def test_numbers_are_formatted_for_french(english, french):
    facts = load_facts()
    assert facts["about_limit"] == 2600  # the figure the examples below rely on
    assert format_number(2600, "fr") == f"2{NBSP}600"
    assert format_number(30000, "fr-CA") == f"30{NBSP}000"
    assert format_number(2600, "en") == "2,600"
    assert format_number(2600, "en-US") == format_number(2600, None) == format_number(2600, "de") == "2,600"
    assert format_number(220, "fr") == "220"
    assert fill("{about_limit} caractères", facts, "test", "fr") == f"2{NBSP}600 caractères"
    assert fill("{about_limit} characters", facts, "test") == "2,600 characters"
    # Years are years in every language.
    year = facts["skill_assessments_retired_year"]
    assert fill("en {skill_assessments_retired_year}", facts, "test", "fr") == f"en {year}"
    # In the content itself: the About limit in the profile-strength list.
    fr_item = next(i for i in french.checklist("all-star-profile").items if i.id == "all-star-profile-about")
    en_item = next(i for i in english.checklist("all-star-profile").items if i.id == "all-star-profile-about")
    assert f"2{NBSP}600 caractères" in fr_item.how
    assert "2,600 characters" in en_item.how
    assert french.format_number(facts["connections_max"]) == f"30{NBSP}000"


def test_no_placeholder_is_left_unfilled_in_french(french):
    assert [(where, text) for where, text in all_texts(french) if "{" in text or "}" in text] == []


# ---------------------------------------------------------------------- limits and form
def test_french_fits_discord_and_the_loaders_limits(french):
    for tip in french.tips:
        assert 3 <= len(tip.title) <= min(100, EMBED_TITLE), tip.id
        assert 120 <= len(tip.body) <= min(1500, EMBED_DESCRIPTION), tip.id
    for checklist in french.checklists:
        assert 0 < len(checklist.title) <= EMBED_TITLE, checklist.id
        assert 0 < len(checklist.description) <= EMBED_DESCRIPTION, checklist.id
        for item in checklist.items:
            assert 3 <= len(item.label) <= OPTION_TEXT, item.id  # a select option's label
            assert 3 <= len(item.how) <= OPTION_TEXT, item.id  # a select option's description
    for prompt in french.prompts:
        assert 20 <= len(prompt.text) <= 300, prompt.id


def tip_form_problems(tips) -> list[str]:
    """The English tips' shape, in French: why it matters, then one **Aujourd'hui :** action."""
    problems = []
    for tip in tips:
        if tip.body.count(ACTION_MARKER) != 1:
            problems.append(f"{tip.id}: no single {ACTION_MARKER} action")
            continue
        why, action = tip.body.split(ACTION_MARKER)
        if len(why.strip()) < 100:
            problems.append(f"{tip.id}: says too little about why it matters")
        if len(action.strip()) < 30:
            problems.append(f"{tip.id}: the action for today is too thin")
        if "**" not in why:
            problems.append(f"{tip.id}: no bold key sentence")
    return problems


def test_french_tips_keep_the_english_shape(french):
    assert tip_form_problems([t for t in french.tips if t.locale == "fr"]) == []
    # The check itself catches a tip written without its action for today.
    english_shaped = Tip(id="x", topic="profile", title="Titre", body="**Phrase clé.** " + "mot " * 40, locale="fr")
    assert tip_form_problems([english_shaped]) == ["x: no single **Aujourd'hui :** action"]


def test_french_uses_french_quotation_marks(french):
    """« guillemets », never straight double quotes, and every one closed."""
    translated = [(w, t) for w, t in all_texts(french) if not _shown_in_english(french, w)]
    assert [w for w, t in translated if '"' in t or "\u201c" in t] == []
    assert [w for w, t in translated if t.count("«") != t.count("»")] == []


# ---------------------------------------------------------------------- choosing a language
def test_localized_picks_the_language_discord_names(english, french):
    assert english.locales == french.locales == ("en", "fr")
    assert english.locale == "en" and french.locale == "fr"
    assert english.localized("fr") is french
    assert english.localized(discord.Locale.french) is french
    assert english.localized("fr-CA") is french
    assert french.localized("en-US") is english
    assert french.localized(discord.Locale.british_english) is english
    assert english.localized("de") is english  # a language Linkwise lacks: English
    assert french.localized(None) is english
    assert french.localized() is english
    # The first language it has, as SPEC "Languages" resolves a member, then their server.
    assert english.localized("ja", None, "fr") is french
    assert english.localized("pt-BR", "es-ES") is english


def test_locale_helpers():
    assert supported_locale("fr") == supported_locale("FR_ca") == supported_locale(discord.Locale.french) == "fr"
    assert supported_locale("en-GB") == "en"
    assert supported_locale("de") is None and supported_locale(None) is None and supported_locale("") is None
    assert resolve_locale(discord.Locale.german, discord.Locale.french) == "fr"
    assert resolve_locale(None, "es-ES") == "en"
    assert resolve_locale() == "en"
    assert topic_labels("fr-CA") is TOPIC_LABELS["fr"]
    assert topic_labels("de") is TOPICS


def test_french_topic_labels_and_lookups(english, french):
    assert french.topic_label("job-search") == "Recherche d'emploi"
    assert english.topic_label("job-search") == "Job search"
    assert french.topic_label(None) is None and french.topic_label("") is None and french.topic_label("x") is None
    assert french.topic_labels == TOPIC_LABELS["fr"]
    prompt = french.prompts[0]
    assert french.prompt(prompt.id) is prompt and prompt.locale == "fr"
    assert french.checklist("profile-basics").title == "Les bases du profil"
    assert english.checklist("profile-basics").title == "Profile basics"
    for tip in french.tips:
        assert tip.topic_label == TOPIC_LABELS[tip.locale][tip.topic]
    assert french.tips_for("safety") == tuple(t for t in french.tips if t.topic == "safety")
    assert french.prompts_for("safety") == tuple(p for p in french.prompts if p.topic == "safety")
    # A retired tip's id leads to the surviving tip in French too.
    for retired, survivor in RETIRED_TIPS.items():
        assert french.tip(retired) is french.tip(survivor) is not None


def test_the_default_content_is_still_english_and_unchanged(english):
    assert english is default_content()
    assert english.locale == "en"
    assert all(t.locale == "en" for t in english.tips)
    assert english.untranslated == ()
    assert english.checklist("profile-basics").title == "Profile basics"


# ---------------------------------------------------------------------- the loader refuses broken French
@pytest.fixture
def copy(tmp_path) -> Path:
    """A private copy of the shipped content, both languages, to corrupt."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_the_copy_loads_both_languages_like_the_original(copy, english, french):
    loaded = load_content(copy)
    assert loaded == english
    assert loaded.localized("fr") == french


def test_a_french_placeholder_that_differs_is_refused(copy):
    edit(copy / "fr" / "checklists.toml", "{about_limit} caractères", "{headline_limit} caractères")
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "fr/checklists.toml" in message and "all-star-profile-about" in message
    assert "placeholders {headline_limit} differ from the English {about_limit}" in message


def test_a_french_placeholder_dropped_is_refused(copy):
    edit(
        copy / "fr" / "checklists.toml",
        "Atteignez {allstar_min_connections} relations",
        "Atteignez cinquante relations",
    )
    with pytest.raises(ContentError, match=r"all-star-profile-connections.*placeholders \(none\) differ"):
        load_content(copy)


def test_a_figure_written_into_french_is_refused(copy):
    edit(copy / "fr" / "prompts.toml", 'text = "Si vous pouviez', 'text = "Avec 2 600 caractères, si vous pouviez')
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "fr/prompts.toml" in message and "connecting-first-line-of-note" in message
    assert "number(s) 2, 600" in message and "facts.toml" in message


def test_a_french_entry_with_no_english_id_is_refused(copy):
    edit(copy / "fr" / "prompts.toml", 'id = "connecting-your-test"', 'id = "connecting-votre-test"')
    with pytest.raises(
        ContentError, match="fr/prompts.toml prompt #6 .*no English prompt has the id 'connecting-votre-test'"
    ):
        load_content(copy)


def test_a_french_item_in_the_wrong_list_is_refused(copy):
    edit(copy / "fr" / "checklists.toml", 'id = "connecting-classmates"', 'id = "profile-basics-photo"')
    with pytest.raises(ContentError, match="no English item of 'connecting' has the id 'profile-basics-photo'"):
        load_content(copy)


def test_a_french_entry_twice_is_refused(copy):
    edit(copy / "fr" / "prompts.toml", 'id = "connecting-your-test"', 'id = "connecting-peer-abroad"')
    with pytest.raises(ContentError, match="fr prompt id 'connecting-peer-abroad' is already used"):
        load_content(copy)


def test_a_french_prompt_on_another_topic_is_refused(copy):
    edit(copy / "fr" / "prompts.toml", 'topic = "connecting"', 'topic = "profile"')
    with pytest.raises(ContentError, match="topic 'profile', but the English prompt's is 'connecting'"):
        load_content(copy)


def test_a_french_label_too_long_for_a_select_option_is_refused(copy):
    edit(copy / "fr" / "checklists.toml", 'label = "Indiquez votre secteur"', 'label = "' + "Indiquez " * 12 + '"')
    with pytest.raises(ContentError, match="all-star-profile-industry\\) label: 10[0-9] characters, expected 3-100"):
        load_content(copy)


def test_a_french_file_that_is_not_toml_is_refused_naming_it(copy):
    (copy / "fr" / "prompts.toml").write_text('[[prompt]\nid = "', encoding="utf-8")
    with pytest.raises(ContentError, match="fr/prompts.toml: cannot be read"):
        load_content(copy)


def test_french_tips_are_checked_against_the_english(copy, english):
    """A French tip file, written as the French writers do: checked like the checklists."""
    raw = raw_english()
    tip = next(
        t for t in english.tips_for("profile") if not placeholders(raw["tip", t.id]["body"] + raw["tip", t.id]["title"])
    )
    with_figure = next(t for t in english.tips_for("profile") if placeholders(raw["tip", t.id]["body"]))
    tips = copy / "fr" / "tips"
    tips.mkdir(exist_ok=True)
    body = "**Une phrase clé.** " + "Une explication en français qui dit pourquoi cela compte. " * 3
    entry = '[[tip]]\nid = "{}"\ntopic = "profile"\ntitle = "Un titre"\nbody = """{}"""\n'
    (tips / "profile.toml").write_text(entry.format(tip.id, body), encoding="utf-8")
    french = load_content(copy).localized("fr")
    assert french.tip(tip.id).title == "Un titre" and french.tip(tip.id).locale == "fr"
    assert french.tip(tip.id).topic_label == "Profil"
    assert f"fr/tips/profile.toml: tip {tip.id}" not in french.untranslated
    assert f"fr/tips/profile.toml: tip {with_figure.id}" in french.untranslated
    # A tip whose English has a figure must carry the same placeholder.
    (tips / "profile.toml").write_text(entry.format(with_figure.id, body), encoding="utf-8")
    with pytest.raises(ContentError, match=f"fr/tips/profile.toml tip #1 \\({with_figure.id}\\) body: placeholders"):
        load_content(copy)
    # In another topic's file it is refused.
    (tips / "profile.toml").write_text(entry.format(tip.id, body), encoding="utf-8")
    (tips / "profile.toml").rename(tips / "safety.toml")
    with pytest.raises(ContentError, match="a 'profile' tip is in safety.toml"):
        load_content(copy)


def test_a_missing_french_entry_is_shown_in_english_and_refused_by_the_strict_load(copy, english):
    path = copy / "fr" / "prompts.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[prompt]]\nid = "connecting-your-test"')
    path.write_text(text[:start] + text[text.index("# --- profile ---") :], encoding="utf-8")
    loaded = load_content(copy)  # a server set to French still gets every prompt
    french = loaded.localized("fr")
    assert french.prompt("connecting-your-test") == english.prompt("connecting-your-test")
    assert french.prompt("connecting-your-test").locale == "en"
    assert "fr/prompts.toml: prompt connecting-your-test" in french.untranslated
    assert "fr/prompts.toml: prompt connecting-your-test" in untranslated(loaded)
    with pytest.raises(ContentError, match="fr/prompts.toml: prompt connecting-your-test: no translation"):
        load_content(copy, complete=True)


def test_a_missing_french_file_leaves_every_entry_of_it_untranslated(copy):
    (copy / "fr" / "checklists.toml").unlink()
    french = load_content(copy).localized("fr")
    assert "fr/checklists.toml: checklist profile-basics (and its items)" in french.untranslated
    assert french.checklist("profile-basics").title == "Profile basics"
    with pytest.raises(ContentError, match="checklist newcomer-profile \\(and its items\\): no translation"):
        load_content(copy, complete=True)


def test_a_missing_french_item_is_listed_by_its_list(copy):
    path = copy / "fr" / "checklists.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[checklist.item]]\nid = "connecting-note-short"')
    end = text.index('[[checklist.item]]\nid = "connecting-save-personalised"')
    path.write_text(text[:start] + text[end:], encoding="utf-8")
    french = load_content(copy).localized("fr")
    assert [e for e in french.untranslated if "checklist" in e] == [
        "fr/checklists.toml: checklist connecting item connecting-note-short"
    ]
    items = french.checklist("connecting").items
    assert [i.id for i in items] == [i.id for i in default_content().checklist("connecting").items]
