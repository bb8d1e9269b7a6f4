"""The shipped content and the loader's validation (a broken file is refused, naming the problem)."""

from __future__ import annotations

import re
import shutil
from collections import Counter
from pathlib import Path

import pytest

from bot.content import (
    CHECKLIST_IDS,
    CONTENT_DIR,
    ID_PATTERN,
    TOPICS,
    ContentError,
    default_content,
    fill,
    load_content,
    load_facts,
)

KEBAB = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
ACTION_MARKER = "**Today:**"  # every shipped tip ends with the action a member can take today

# Discord's limits: embed title 256, embed description 4096, select option label/description 100.
EMBED_TITLE, EMBED_DESCRIPTION, OPTION_TEXT = 256, 4096, 100


@pytest.fixture(scope="module")
def content():
    return default_content()


def all_texts(content) -> list[tuple[str, str]]:
    texts = []
    for tip in content.tips:
        texts += [(f"tip {tip.id} title", tip.title), (f"tip {tip.id} body", tip.body)]
    for checklist in content.checklists:
        texts += [(f"checklist {checklist.id} title", checklist.title)]
        texts += [(f"checklist {checklist.id} description", checklist.description)]
        for item in checklist.items:
            texts += [(f"item {item.id} label", item.label), (f"item {item.id} how", item.how)]
    for prompt in content.prompts:
        texts.append((f"prompt {prompt.id}", prompt.text))
    return texts


# ---------------------------------------------------------------------- the shipped content
def test_shipped_content_loads_and_is_cached(content):
    assert content is default_content()
    assert load_content() == content  # loading again from disk gives the same content


def test_topics_are_the_nine_of_the_spec():
    assert list(TOPICS) == [
        "connecting",
        "profile",
        "endorsements",
        "recommendations",
        "messaging",
        "job-search",
        "recruiters",
        "companies",
        "contributing",
    ]


def test_at_least_90_tips_and_10_per_topic(content):
    assert len(content.tips) >= 90
    per_topic = Counter(tip.topic for tip in content.tips)
    assert set(per_topic) == set(TOPICS)
    thin = {topic: per_topic[topic] for topic in TOPICS if per_topic[topic] < 10}
    assert not thin, f"topics with fewer than 10 tips: {thin}"
    for topic in TOPICS:
        assert content.tips_for(topic) == tuple(t for t in content.tips if t.topic == topic)
    assert content.tips_for(None) == content.tips


def test_ids_are_kebab_case_and_unique_per_kind(content):
    kinds = {
        "tip": [t.id for t in content.tips],
        "checklist": [c.id for c in content.checklists],
        "item": [i.id for c in content.checklists for i in c.items],
        "prompt": [p.id for p in content.prompts],
    }
    for kind, ids in kinds.items():
        duplicates = [i for i, n in Counter(ids).items() if n > 1]
        assert not duplicates, f"duplicate {kind} ids: {duplicates}"
        bad = [i for i in ids if not KEBAB.match(i) or not ID_PATTERN.match(i)]
        assert not bad, f"{kind} ids that are not kebab-case: {bad}"
        # Room for the namespace in a 100-character custom_id such as linkwise:tip:tried:<id>.
        assert all(len(f"linkwise:tip:tried:{i}") <= 100 for i in ids)


def test_lookups_by_id(content):
    tip = content.tips[0]
    assert content.tip(tip.id) is tip
    assert content.tip("no-such-tip") is None
    assert content.checklist("profile-basics").id == "profile-basics"
    assert content.prompt(content.prompts[0].id) is content.prompts[0]


def test_every_tip_has_a_title_substance_and_an_action_for_today(content):
    for tip in content.tips:
        assert 3 <= len(tip.title) <= EMBED_TITLE, tip.id
        assert len(tip.body) <= EMBED_DESCRIPTION, tip.id
        assert tip.body.count(ACTION_MARKER) == 1, f"{tip.id}: no single {ACTION_MARKER} action"
        why, action = tip.body.split(ACTION_MARKER)
        assert len(why.strip()) >= 100, f"{tip.id}: says too little about why it matters"
        assert len(action.strip()) >= 30, f"{tip.id}: the action for today is too thin"
        assert tip.topic_label == TOPICS[tip.topic]


def test_no_two_tips_share_a_title_or_a_body(content):
    titles = Counter(t.title.casefold() for t in content.tips)
    assert [t for t, n in titles.items() if n > 1] == []
    bodies = Counter(t.body for t in content.tips)
    assert [b[:60] for b, n in bodies.items() if n > 1] == []


def test_placeholders_are_all_substituted(content):
    leftovers = [(where, text) for where, text in all_texts(content) if "{" in text or "}" in text]
    assert leftovers == []


def test_figures_come_from_facts(content):
    facts = load_facts()
    assert fill("{headline_limit}", facts, "test") == str(facts["headline_limit"])
    assert fill("up to {connections_max}", facts, "test") == f"up to {facts['connections_max']:,}"
    headline_tip = content.tip("profile-headline-target-role")
    if headline_tip is not None:
        assert str(facts["headline_limit"]) in headline_tip.body


def test_the_five_checklists_in_spec_order(content):
    assert CHECKLIST_IDS == (
        "profile-basics",
        "all-star-profile",
        "connecting",
        "job-search",
        "recommendations-endorsements",
    )
    assert tuple(c.id for c in content.checklists) == CHECKLIST_IDS
    assert sum(len(c.items) for c in content.checklists) >= 50
    for checklist in content.checklists:
        assert 4 <= len(checklist.items) <= 20, checklist.id
        assert checklist.title and len(checklist.title) <= EMBED_TITLE
        assert checklist.description and len(checklist.description) <= EMBED_DESCRIPTION
        assert checklist.item_ids == tuple(i.id for i in checklist.items)
        for item in checklist.items:
            assert 3 <= len(item.label) <= OPTION_TEXT, item.id
            assert 3 <= len(item.how) <= OPTION_TEXT, item.id


def test_at_least_40_prompts_covering_every_topic(content):
    assert len(content.prompts) >= 40
    assert {p.topic for p in content.prompts} == set(TOPICS)
    for prompt in content.prompts:
        assert 20 <= len(prompt.text) <= 300, prompt.id
    assert len({p.text for p in content.prompts}) == len(content.prompts)
    assert content.prompts_for("profile") == tuple(p for p in content.prompts if p.topic == "profile")


# ---------------------------------------------------------------------- validation of broken content
@pytest.fixture
def copy(tmp_path) -> Path:
    """A private copy of the shipped content to corrupt."""
    target = tmp_path / "content"
    shutil.copytree(CONTENT_DIR, target, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    return target


def first_tip_id(path: Path) -> str:
    return re.search(r'^id = "([^"]+)"', path.read_text(encoding="utf-8"), re.M).group(1)


def test_the_copy_loads_like_the_original(copy, content):
    assert load_content(copy) == content


def test_an_unknown_placeholder_is_refused_naming_it(copy):
    path = copy / "tips" / "messaging.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('body = """', 'body = """\nYou can send {no_such_figure} notes.', 1))
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "no_such_figure" in message
    assert "unknown placeholder" in message
    assert "messaging.toml" in message
    assert first_tip_id(path) in message


def test_an_unknown_placeholder_in_a_checklist_is_refused(copy):
    path = copy / "checklists.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('how = "', 'how = "{made_up} ', 1))
    with pytest.raises(ContentError, match="made_up"):
        load_content(copy)


def test_a_duplicate_tip_id_is_refused(copy):
    source = copy / "tips" / "profile.toml"
    taken = first_tip_id(source)
    path = copy / "tips" / "connecting.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'id = "{first_tip_id(path)}"', f'id = "{taken}"', 1))
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert repr(taken) in message
    assert "already used" in message


def test_a_duplicate_prompt_id_is_refused(copy):
    path = copy / "prompts.toml"
    ids = re.findall(r'^id = "([^"]+)"', path.read_text(encoding="utf-8"), re.M)
    path.write_text(path.read_text(encoding="utf-8").replace(f'id = "{ids[1]}"', f'id = "{ids[0]}"', 1))
    with pytest.raises(ContentError, match=f"prompt id '{ids[0]}' is already used"):
        load_content(copy)


def test_an_unknown_topic_and_a_bad_id_are_both_reported(copy):
    path = copy / "tips" / "recruiters.toml"
    text = path.read_text(encoding="utf-8")
    text = text.replace('topic = "recruiters"', 'topic = "networking"', 1)
    text = text.replace(f'id = "{first_tip_id(path)}"', 'id = "Not_Kebab"', 1)
    path.write_text(text)
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "unknown topic 'networking'" in message
    assert "'Not_Kebab' must be kebab-case" in message


def test_a_tip_title_too_long_is_refused(copy):
    path = copy / "tips" / "companies.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(r'^title = "', 'title = "' + "Very " * 60, text, count=1, flags=re.M))
    with pytest.raises(ContentError, match="title: .* characters, expected"):
        load_content(copy)


def test_checklists_out_of_order_are_refused(copy):
    path = copy / "checklists.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('id = "connecting"', 'id = "networking"', 1))
    with pytest.raises(ContentError, match="lists must be"):
        load_content(copy)


def test_a_file_that_is_not_toml_is_refused_naming_it(copy):
    (copy / "prompts.toml").write_text("[[prompt]\nid = ", encoding="utf-8")
    with pytest.raises(ContentError, match="prompts.toml: cannot be read"):
        load_content(copy)
