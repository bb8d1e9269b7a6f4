"""The shipped content and the loader's validation (a broken file is refused, naming the problem)."""

from __future__ import annotations

import hashlib
import itertools
import re
import shutil
import sys
import tomllib
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
import snowballstemmer

from bot.content import (
    CHECKLIST_IDS,
    CONTENT_DIR,
    DIGITS,
    ID_PATTERN,
    RETIRED_TIPS,
    TOPICS,
    ContentError,
    Tip,
    default_content,
    fill,
    load_content,
    load_facts,
)
from bot.store import Store, load_migrations

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


def test_topics_are_the_eleven_of_the_spec():
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
        "safety",
        "newcomers",
    ]
    # Every topic is a slash-command choice: Discord allows 25, a choice name at most 100.
    assert len(TOPICS) <= 25
    assert all(0 < len(label) <= 100 for label in TOPICS.values())
    # The topic rides in the Another tip button's custom_id (linkwise:tip:next:<topic>).
    assert all(len(topic) <= 20 for topic in TOPICS)


def test_at_least_a_dozen_tips_per_topic(content):
    per_topic = Counter(tip.topic for tip in content.tips)
    assert set(per_topic) == set(TOPICS)
    thin = {topic: per_topic[topic] for topic in TOPICS if per_topic[topic] < 12}
    assert not thin, f"topics with fewer than 12 tips: {thin}"
    assert len(content.tips) >= 12 * len(TOPICS)
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


def test_the_seven_checklists_in_spec_order(content):
    assert CHECKLIST_IDS == (
        "profile-basics",
        "all-star-profile",
        "connecting",
        "job-search",
        "recommendations-endorsements",
        "privacy-while-employed",
        "newcomer-profile",
    )
    assert tuple(c.id for c in content.checklists) == CHECKLIST_IDS
    assert sum(len(c.items) for c in content.checklists) >= 90
    for checklist in content.checklists:
        assert 6 <= len(checklist.items) <= 20, checklist.id
        assert checklist.title and len(checklist.title) <= EMBED_TITLE
        assert checklist.description and len(checklist.description) <= EMBED_DESCRIPTION
        assert checklist.item_ids == tuple(i.id for i in checklist.items)
        for item in checklist.items:
            assert 3 <= len(item.label) <= OPTION_TEXT, item.id
            assert 3 <= len(item.how) <= OPTION_TEXT, item.id


def test_at_least_60_prompts_and_5_per_topic(content):
    assert len(content.prompts) >= 60
    per_topic = Counter(p.topic for p in content.prompts)
    assert set(per_topic) == set(TOPICS)
    thin = {topic: n for topic, n in per_topic.items() if n < 5}
    assert not thin, f"topics with fewer than 5 prompts: {thin}"
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


# ---------------------------------------------------------------------- the writing
# Two measures of "two tips say the same thing", both on a tip's title and body:
#
# 1. Vocabulary overlap: the Jaccard index of the tips' content words (stop words dropped,
#    Snowball-stemmed, so "connect", "connected" and "connections" count once). On the content
#    as a counsellor graded it, the doubled pair they found worded most alike
#    (job-search-open-to-work-current / profile-open-to-work-visibility) scored 0.37, and the
#    next, two note tips sharing a pasted sentence, 0.29; the closest distinct tips, on
#    neighbouring subjects such as the headline and a recruiter's search, scored 0.25 at most.
#    0.30 sits above every distinct pair with a margin, and below the double. A pair above
#    it is refused whatever its topics; within one topic the vocabulary is shared anyway, so a
#    pair there reaching the threshold is all the more surely a double.
# 2. A copied sentence: a run of eight or more words that two tips share. Runs of six or seven
#    turn up between distinct tips ("invite them with a note naming"); eight did only where a
#    sentence had been pasted from one tip into another.
#
# Both compare wording, not ideas: two tips can make one point in different words and pass. That
# part is editorial; these tests keep the mechanical doubles out.
OVERLAP_MAX = 0.30
SHARED_RUN_MAX = 7  # words; a run of eight is a copied sentence
SEED_RUN_MAX = 5  # words; a run of six shared with the seed article is an echo of it
# The seed article is not part of this repository (it is someone else's writing), so the check uses
# its fingerprint: a short hash of every run of six words in it, one per line. Regenerate with
# ``python tests/bot/content/test_content.py path/to/why-we-use-linkedin.txt``.
SEED_FINGERPRINT = Path(__file__).with_name("seed_runs.txt")

STOP_WORDS = frozenset(
    """a an the and or but nor of to in on for with at by from as into onto about over under after
    before between through during up down out off is are was were be been being am it its this that
    these those there here you your yours yourself they them their theirs we our us i me my he him
    his she her not no do does did done so if then than can could will would shall should may might
    must just only also more most very much many some any each every all both one own same such too
    what which who whom whose how why when where while again once""".split()
)


def words(text: str) -> list[str]:
    """Lower-case words of ``text``, with typographic apostrophes made plain and markup dropped."""
    return re.findall(r"[a-z0-9]+(?:'[a-z]+)?", text.lower().replace("\u2019", "'").replace("\u2018", "'"))


def content_words(text: str) -> frozenset[str]:
    stemmer = snowballstemmer.stemmer("english")
    return frozenset(stemmer.stemWords([w for w in words(text) if w not in STOP_WORDS and len(w) > 2]))


def runs(text: str, length: int) -> set[tuple[str, ...]]:
    found = words(text)
    return {tuple(found[i : i + length]) for i in range(len(found) - length + 1)}


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    return len(a & b) / len(a | b) if a | b else 0.0


def overlapping_tips(tips) -> list[tuple[float, str, str]]:
    words_of = {t.id: content_words(f"{t.title} {t.body}") for t in tips}
    pairs = []
    for first, second in itertools.combinations(tips, 2):
        score = jaccard(words_of[first.id], words_of[second.id])
        if score > OVERLAP_MAX:
            pairs.append((round(score, 2), first.id, second.id))
    return pairs


def copied_runs(tips) -> list[tuple[str, str, str]]:
    runs_of = {t.id: runs(f"{t.title}. {t.body}", SHARED_RUN_MAX + 1) for t in tips}
    return [
        (first.id, second.id, " ".join(sorted(shared)[0]))
        for first, second in itertools.combinations(tips, 2)
        if (shared := runs_of[first.id] & runs_of[second.id])
    ]


def test_no_two_tips_overlap_in_wording(content):
    assert overlapping_tips(content.tips) == []
    assert copied_runs(content.tips) == []


# The doubled pair as it shipped before it was rewritten (content round 2): the threshold's
# reference point.
SHIPPED_DOUBLE = (
    Tip(
        id="job-search-open-to-work-current",
        topic="job-search",
        title="Keep your Open to Work preferences in step with your search",
        body="Recruiters filter on the job titles, locations, workplace types and start date you enter in Open "
        "to Work, so settings you filled in months ago may hide you from the roles you now want. **Review them "
        'whenever your search changes**. Check the audience too: "Recruiters only" leaves your photo unchanged, '
        'while "All LinkedIn members" adds the green frame. If you are still employed, LinkedIn tries to hide the '
        "setting from your company's recruiters but cannot guarantee it.\n\n**Today:** open your Open to Work "
        "settings and make the titles and locations match the last three jobs you applied for.",
    ),
    Tip(
        id="profile-open-to-work-visibility",
        topic="profile",
        title="Choose who can see that you are open to work",
        body="The Open to Work setting tells recruiters you are available and which roles you want. **You choose "
        "the audience**: recruiters only, with no change to your photo, or all members, which adds a green frame to "
        "your photo. LinkedIn tries to hide the setting from recruiters at your current employer, but it cannot "
        "guarantee that, so think twice about the frame if you are still employed. If you are between jobs, a "
        "visible frame invites help from your wider network.\n\n**Today:** turn on Open to Work with the audience "
        "that suits your situation, and enter the exact job titles and locations you are applying for.",
    ),
)


def test_the_overlap_measures_catch_a_double(content):
    """The double as it shipped is caught, the same two tips as they are now are not; a sentence
    pasted from one tip into another is caught too."""
    (score, *ids), *more = overlapping_tips(SHIPPED_DOUBLE)
    assert ids == [t.id for t in SHIPPED_DOUBLE] and more == []
    assert score > OVERLAP_MAX
    assert overlapping_tips([content.tip(t.id) for t in SHIPPED_DOUBLE]) == []
    original = content.tip("profile-open-to-work-visibility")
    pasted = Tip(
        id="pasted",
        topic="connecting",
        title="Another subject",
        body="Start somewhere else entirely. " + original.body.split(". ")[1] + ". Then end elsewhere.",
    )
    assert [pair[:2] for pair in copied_runs([original, pasted])] == [(original.id, "pasted")]


def run_hash(run: tuple[str, ...]) -> str:
    return hashlib.blake2b(" ".join(run).encode(), digest_size=8).hexdigest()


def fingerprint(text: str) -> list[str]:
    return sorted({run_hash(run) for run in runs(text, SEED_RUN_MAX + 1)})


@cache
def seed_hashes() -> frozenset[str]:
    lines = SEED_FINGERPRINT.read_text(encoding="utf-8").splitlines()
    return frozenset(line for line in lines if line and not line.startswith("#"))


def seed_echoes(text: str) -> list[str]:
    return [" ".join(run) for run in sorted(runs(text, SEED_RUN_MAX + 1)) if run_hash(run) in seed_hashes()]


def test_no_run_of_six_words_from_the_seed_article(content):
    assert len(seed_hashes()) > 500  # the whole article, not an empty file
    echoes = [(where, echo) for where, text in all_texts(content) for echo in seed_echoes(text)]
    assert echoes == []


def test_the_seed_check_catches_an_echo():
    # Six words from the article's line on underdeveloped profiles, inside a sentence of our own.
    assert seed_echoes("So many profiles show a name and a job title, and stop there.") == ["a name and a job title"]
    assert seed_echoes("A profile with only your name gets few visits.") == []


# ---------------------------------------------------------------------- figures and placeholders
def raw_texts(directory: Path = CONTENT_DIR) -> list[tuple[str, str]]:
    """Every text a person reads, as written in the files (before placeholders are filled)."""
    texts = []
    for path in sorted((directory / "tips").glob("*.toml")):
        for tip in tomllib.loads(path.read_text(encoding="utf-8")).get("tip", []):
            texts += [(f"{path.name} {tip['id']} title", tip["title"]), (f"{path.name} {tip['id']} body", tip["body"])]
    lists = tomllib.loads((directory / "checklists.toml").read_text(encoding="utf-8"))["checklist"]
    for checklist in lists:
        texts += [(f"checklist {checklist['id']} {k}", checklist[k]) for k in ("title", "description")]
        for item in checklist["item"]:
            texts += [(f"item {item['id']} {k}", item[k]) for k in ("label", "how")]
    for prompt in tomllib.loads((directory / "prompts.toml").read_text(encoding="utf-8"))["prompt"]:
        texts.append((f"prompt {prompt['id']}", prompt["text"]))
    return texts


def test_every_figure_is_a_placeholder_from_facts():
    """No digit in any text outside a {placeholder}: a LinkedIn figure is written once, in
    facts.toml. (Ordinals such as LinkedIn's "1st-degree" are words, not figures.)"""
    facts = load_facts()
    written = []
    for where, text in raw_texts():
        literal = re.sub(r"\{[a-z_]+\}", "", text)
        written += [(where, m.group()) for m in DIGITS.finditer(literal)]
        assert set(re.findall(r"\{([a-z_]+)\}", text)) <= facts.keys(), where
    assert written == []


def test_the_facts_the_content_relies_on():
    facts = load_facts()
    assert all(isinstance(v, int) and not isinstance(v, bool) for v in facts.values())  # review rules need numbers
    assert facts["photo_recommended_px"] > facts["photo_min_px"]
    assert facts["top_skills_max"] <= facts["skills_max"]
    # Years are shown as years, other figures of 1,000 and over with a comma.
    assert fill("in {skill_assessments_retired_year}", facts, "test") == f"in {facts['skill_assessments_retired_year']}"
    assert "," in fill("{about_limit}", facts, "test")
    # The photo's views multiple is LinkedIn's own figure, and facts.toml says where it comes from.
    facts_text = (CONTENT_DIR / "facts.toml").read_text(encoding="utf-8")
    note = facts_text[facts_text.index("photo_views_multiple") :].split("\n\n")[0]
    assert "source" in note and "LinkedIn" in note


def test_corrected_facts_are_stated_the_new_way(content):
    """The facts LinkedIn changed, as the content now states them."""
    facts = load_facts()
    body = {t.id: t.body for t in content.tips}
    assert "pin" not in body["endorsements-pin-top-skills"].split("removed")[1]
    assert f"up to {facts['top_skills_max']} Top skills" in body["endorsements-pin-top-skills"]
    assert "Open Profile" in body["messaging-inmail-basics"]
    assert f"about {facts['withdrawn_invite_wait_weeks']} weeks" in body["connecting-withdraw-stale-invitations"]
    assert "Licenses & certifications" in body["profile-education-and-training"]
    assert "where you live" in body["profile-location-and-industry"]
    assert "relocating to" in body["profile-location-and-industry"]
    photo = body["profile-clear-photo"]
    assert f"{facts['photo_recommended_px']}×{facts['photo_recommended_px']}" in photo
    assert f"{facts['photo_min_px']}×{facts['photo_min_px']}" in photo
    assert f"{facts['photo_views_multiple']} times" in photo
    assert str(facts["skill_assessments_retired_year"]) in body["endorsements-skill-assessments-are-gone"]
    assert "1st-degree" in body["recommendations-connect-first"]
    # One answer on job titles: the official title first, then the common name.
    titles_item = next(i for c in content.checklists for i in c.items if i.id == "profile-basics-searchable-titles")
    assert "Official title first" in titles_item.how
    assert "official title first" in body["profile-searchable-job-titles"]
    # The profile-strength list is LinkedIn's guidance, not a level to reach.
    assert "All-Star" not in content.checklist("all-star-profile").title
    assert "guidance" in content.checklist("all-star-profile").title
    # Nothing sends a member to a retired feature.
    mentions = {
        name: sorted({where.split()[1] for where, text in all_texts(content) if name in text.casefold()})
        for name in ("creator mode", "skill assessment")
    }
    assert mentions == {"creator mode": [], "skill assessment": ["endorsements-skill-assessments-are-gone"]}


# ---------------------------------------------------------------------- retired tips
def test_retired_tips_are_gone_and_resolve_to_the_tip_they_were_merged_into(content):
    shipped = {t.id for t in content.tips}
    assert RETIRED_TIPS
    for retired, survivor in RETIRED_TIPS.items():
        assert retired not in shipped
        assert content.tip(retired) is content.tip(survivor) is not None
    migrations = " ".join(m.sql for m in load_migrations())
    for retired, survivor in RETIRED_TIPS.items():
        assert f"'{retired}'" in migrations and f"'{survivor}'" in migrations, retired


def test_a_retired_id_cannot_come_back(copy):
    retired = next(iter(RETIRED_TIPS))
    path = copy / "tips" / "profile.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(f'id = "{first_tip_id(path)}"', f'id = "{retired}"', 1))
    with pytest.raises(ContentError, match=f"'{retired}' was retired"):
        load_content(copy)


async def test_the_migration_moves_progress_on_retired_tips_to_their_survivors(tmp_path):
    """A member who tried, saw or was posted a retired tip keeps it, under the surviving id."""
    (number,) = [m.number for m in load_migrations() if m.name.endswith("_retire_doubled_tips")]
    retired, survivor = "companies-engage-with-posts", RETIRED_TIPS["companies-engage-with-posts"]
    other_retired, other_survivor = "recruiters-headline-and-note-not-cv", "recruiters-connect-with-a-note"
    at = "2026-01-05T10:00:00+00:00"
    store = await Store.open(tmp_path / "old.db", migrate=False)
    try:
        await store._migrate(load_migrations()[: number - 1])
        await store.write(
            ("INSERT INTO tip_tried VALUES (1, 10, ?, ?)", (retired, at)),  # tried only the retired one
            ("INSERT INTO tip_tried VALUES (1, 11, ?, ?)", (other_retired, at)),  # tried both
            ("INSERT INTO tip_tried VALUES (1, 11, ?, '2026-01-04T10:00:00+00:00')", (other_survivor,)),
            ("INSERT INTO tip_seen VALUES (1, 10, 'all', ?, ?)", (retired, at)),
            ("INSERT INTO tip_seen VALUES (1, 10, 'companies', ?, ?)", (retired, at)),
            ("INSERT INTO rotation VALUES (1, 'tip', ?, ?)", (retired, at)),
            ("INSERT INTO rotation VALUES (1, 'prompt', ?, ?)", (retired, at)),  # a prompt: not touched
        )
        await store._migrate(load_migrations())

        rows = [tuple(r) for r in await store.fetchall("SELECT user_id, tip_id, tried_at FROM tip_tried")]
        assert sorted(rows) == [(10, survivor, at), (11, other_survivor, "2026-01-04T10:00:00+00:00")]
        seen = [tuple(r) for r in await store.fetchall("SELECT user_id, selection, tip_id FROM tip_seen")]
        assert seen == [(10, "all", survivor)]
        assert sorted(tuple(r) for r in await store.fetchall("SELECT kind, item_id FROM rotation")) == [
            ("prompt", retired),
            ("tip", survivor),
        ]
    finally:
        await store.close()


# ---------------------------------------------------------------------- more broken content
def test_a_figure_written_into_a_tip_is_refused_naming_it(copy):
    path = copy / "tips" / "profile.toml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace('body = """', 'body = """\nYour headline can hold 220 characters.', 1))
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "220" in message and "facts.toml" in message
    assert "profile.toml" in message and first_tip_id(path) in message


def test_a_figure_written_into_a_checklist_or_prompt_is_refused(copy):
    lists = copy / "checklists.toml"
    lists.write_text(lists.read_text(encoding="utf-8").replace('how = "', 'how = "Up to 5 skills. ', 1))
    prompts = copy / "prompts.toml"
    prompts.write_text(prompts.read_text(encoding="utf-8").replace('text = "', 'text = "In 2023, ', 1))
    with pytest.raises(ContentError) as caught:
        load_content(copy)
    message = str(caught.value)
    assert "checklists.toml" in message and "number(s) 5 " in message
    assert "prompts.toml" in message and "2023" in message


def test_an_unknown_placeholder_in_a_prompt_is_refused(copy):
    path = copy / "prompts.toml"
    path.write_text(path.read_text(encoding="utf-8").replace('text = "', 'text = "{invented_figure} ', 1))
    with pytest.raises(ContentError, match="prompts.toml .*unknown placeholder.*invented_figure"):
        load_content(copy)


def test_too_few_checklist_items_are_refused(copy):
    path = copy / "checklists.toml"
    text = path.read_text(encoding="utf-8")
    start = text.index('[[checklist]]\nid = "privacy-while-employed"')
    end = text.index('[[checklist]]\nid = "newcomer-profile"')
    section = text[start:end]
    kept = "[[checklist.item]]".join(section.split("[[checklist.item]]")[:6])  # the head and five items
    path.write_text(text[:start] + kept + "\n\n" + text[end:])
    with pytest.raises(ContentError, match="privacy-while-employed.*5 items, expected 6-20"):
        load_content(copy)


if __name__ == "__main__":  # python tests/bot/content/test_content.py SEED_ARTICLE: rewrite the fingerprint
    article = Path(sys.argv[1]).read_text(encoding="utf-8")
    header = "# blake2b-64 of every run of six words of the seed article (see test_content.py)\n"
    SEED_FINGERPRINT.write_text(header + "\n".join(fingerprint(article)) + "\n", encoding="utf-8")
