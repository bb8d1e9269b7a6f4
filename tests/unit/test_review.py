"""Unit tests for bot/review.py and bot/content/review.toml."""

from __future__ import annotations

import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.review import CONTENT_DIR, KINDS, MAX_MESSAGE, Finding, Review, count_emoji, load_rules, review

RULES = load_rules()
FACTS = tomllib.loads((CONTENT_DIR / "facts.toml").read_text(encoding="utf-8"))

GOOD_HEADLINE = "Warehouse Supervisor | Inventory Control · Forklift Certified · Team Scheduling"
PRIYA = (
    "Hi Priya, we met at the Toronto job fair on Tuesday — I enjoyed your talk on onboarding. "
    "I'd be glad to share the checklist I mentioned. Would you like to connect?"
)
DEFAULT_NOTE = "I'd like to add you to my professional network on LinkedIn."
STRONG_ABOUT = """I'm a payroll administrator who has paid 250 employees accurately in three provinces.

For six years at a regional food distributor I processed bi-weekly payroll in ADP, cut correction \
requests by 40%, and trained 5 new clerks on year-end reporting.

Skills: payroll, QuickBooks, accounts payable, reconciliation, Excel, bilingual English/French.

I'm looking for a payroll or bookkeeping role in Ottawa. Message me here or email \
priya.payroll@example.com and I'll gladly share the month-end checklist I built."""
ONE_LINE_ABOUT = "I am a hard-working team player looking for a job."


def finding(kind: str, text: str, rule_id: str) -> Finding:
    return next(f for f in review(kind, text).findings if f.rule_id == rule_id)


def sized(base: str, n: int) -> str:
    """`base` padded or cut to exactly n characters, ending in a non-space so nothing is stripped."""
    text = (base + " Thanks again, and all the best this week." * 80)[: n - 1].rstrip()
    return text + "." * (n - len(text))


# --- the rules file -----------------------------------------------------------------------------------


def test_weights_of_each_kind_sum_to_100():
    for kind in KINDS:
        assert sum(rule.weight for rule in RULES.for_kind(kind)) == 100


def test_limits_come_from_facts():
    assert RULES.limits == {
        "headline": FACTS["headline_limit"],
        "invite": FACTS["invite_note_premium_limit"],
        "about": FACTS["about_limit"],
    }


def test_review_toml_writes_no_limit_figures():
    text = (CONTENT_DIR / "review.toml").read_text(encoding="utf-8")
    for name in (
        "headline_limit",
        "about_limit",
        "invite_note_premium_limit",
        "invite_note_free_limit",
        "about_preview_min",
        "about_preview_max",
    ):
        assert str(FACTS[name]) not in text, name
        assert f"{FACTS[name]:,}" not in text, name


def test_a_changed_fact_changes_the_review(tmp_path):
    content = copy_content(tmp_path)
    facts = (content / "facts.toml").read_text(encoding="utf-8")
    (content / "facts.toml").write_text(facts.replace("headline_limit = 220", "headline_limit = 60"))
    rules = load_rules(content)
    result = review("headline", GOOD_HEADLINE, rules)
    length = next(f for f in result.findings if f.rule_id == "headline-length")
    assert result.limit == 60
    assert not length.ok and "60" in length.message


def copy_content(tmp_path: Path) -> Path:
    for name in ("facts.toml", "review.toml"):
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize(
    ("old", "new", "error"),
    [
        (
            'id = "headline-emoji"\nkind = "headline"\nweight = 4',
            'id = "headline-emoji"\nkind = "headline"\nweight = 5',
            "sum to 101",
        ),
        ('check = "emoji"', 'check = "emojis"', "unknown check"),
        ('id = "headline-tone"', 'id = "headline-emoji"', "duplicate id"),
        ('strength = "You greet them by name."', f'strength = "{"x" * 301}"', "301 characters"),
        ('strength = "You greet them by name."', 'strength = "Hi {first_name}"', "unknown placeholder"),
        ('warn_at = "{invite_note_free_limit}"', 'warn_at = "{invite_note_basic_limit}"', "unknown fact"),
        ("max_count = 2", "max_count = 2\ncolour = 3", "parameters do not fit"),
        ('ignore = ["@cliches", "@status"]', 'ignore = ["@buzzwords"]', "unknown vocabulary"),
        ('no_name = "Put their name', 'nameless = "Put their name', "only has variants"),
        (
            'kind = "headline"\nweight = 4\ncheck = "emoji"',
            'kind = "profile"\nweight = 4\ncheck = "emoji"',
            "kind must be",
        ),
    ],
)
def test_load_rules_rejects_bad_rules(tmp_path, old, new, error):
    content = copy_content(tmp_path)
    text = (content / "review.toml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (content / "review.toml").write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ValueError, match=error):
        load_rules(content)


def test_load_rules_reports_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_rules(tmp_path)


# --- one good and one bad example per rule -------------------------------------------------------------

RULE_EXAMPLES = [
    ("headline", "headline-length", GOOD_HEADLINE, sized(GOOD_HEADLINE + " ·", 250)),
    (
        "headline",
        "headline-substance",
        "Bookkeeper | Payroll · QuickBooks · Reconciliations",
        "Seeking new opportunities",
    ),
    ("headline", "headline-substance", GOOD_HEADLINE, "Accountant"),
    ("headline", "headline-substance", GOOD_HEADLINE, "Registered Nurse at Toronto General"),
    ("headline", "headline-substance", GOOD_HEADLINE, "RN | ICU | BLS"),
    (
        "headline",
        "headline-role",
        "Junior Data Analyst | SQL · Tableau",
        "Reliable and always learning | Kind",
    ),
    ("headline", "headline-skills", "Bookkeeper | Payroll · QuickBooks", "Bookkeeper"),
    ("headline", "headline-skills", "Bookkeeper | Payroll · QuickBooks", "Bookkeeper | Ninja | Guru"),
    (
        "headline",
        "headline-readable",
        "Bookkeeper | Payroll · QuickBooks",
        "Bookkeeper with payroll and QuickBooks experience",
    ),
    (
        "headline",
        "headline-readable",
        "Bookkeeper | Payroll · QuickBooks",
        "Bookkeeper | I keep small business books accurate and on time every single month",
    ),
    (
        "headline",
        "headline-cliches",
        "Bookkeeper | Payroll · QuickBooks",
        "Bookkeeping Ninja | Payroll · QuickBooks",
    ),
    (
        "headline",
        "headline-cliches",
        "Bookkeeper passionate about small firms | Payroll",
        "Passionate Bookkeeper | Payroll",
    ),
    ("headline", "headline-cliches", GOOD_HEADLINE, "Hardworking Bookkeeper | Payroll"),
    (
        "headline",
        "headline-tone",
        "IT Support Technician | CompTIA A+ · Active Directory",
        "BOOKKEEPER | PAYROLL · QUICKBOOKS",
    ),
    ("headline", "headline-tone", GOOD_HEADLINE, "Bookkeeper | Payroll · QuickBooks!!"),
    (
        "headline",
        "headline-emoji",
        "Bookkeeper 📚 | Payroll · QuickBooks",
        "🚀 Bookkeeper 📚 | Payroll 💼 · Excel ✨",
    ),
    ("invite", "invite-length", PRIYA, "Hi Sam, let's connect."),
    ("invite", "invite-personal", PRIYA, DEFAULT_NOTE),
    (
        "invite",
        "invite-personal",
        PRIYA,
        "Hello, I am reaching out to people in my field and would be happy to connect with you.",
    ),
    (
        "invite",
        "invite-shared-context",
        "Hi Sam, we both volunteer at the Eastside food bank.",
        "Hi Sam, I'm moving into logistics and would value your advice. Happy to share my notes.",
    ),
    (
        "invite",
        "invite-why",
        "Hi Sam, I'd love to learn how you moved into dispatch.",
        "Hi Sam, we met at the Hamilton career fair. Happy to share my notes.",
    ),
    ("invite", "invite-offer", PRIYA, "Hi Sam, we met at the Hamilton career fair and I enjoyed your talk."),
    (
        "invite",
        "invite-no-pitch",
        PRIYA,
        "Hi Sam, we met at the fair. Is your team hiring? I can send my resume.",
    ),
    (
        "invite",
        "invite-no-pitch",
        PRIYA,
        "Hi Sam, we met at the expo. Our product saves clinics hours, want a discount?",
    ),
    ("invite", "invite-greeting", PRIYA, "We met at the Hamilton career fair on Friday."),
    ("about", "about-length", STRONG_ABOUT, "I'm a bookkeeper."),
    ("about", "about-hook", STRONG_ABOUT, "I am a hard-working and motivated person. " + STRONG_ABOUT),
    ("about", "about-hook", STRONG_ABOUT, "I enjoy solving puzzles and meeting new people."),
    (
        "about",
        "about-first-person",
        STRONG_ABOUT,
        "Priya is a payroll administrator with 8 years of experience.",
    ),
    ("about", "about-results", STRONG_ABOUT, "I'm a bookkeeper who keeps the books tidy."),
    ("about", "about-skills", STRONG_ABOUT, "I like helping people and I love my community."),
    ("about", "about-call-to-action", STRONG_ABOUT, STRONG_ABOUT.rsplit("\n\n", 1)[0]),
    ("about", "about-paragraphs", STRONG_ABOUT, STRONG_ABOUT.replace("\n\n", " ")),
    ("about", "about-cliches", STRONG_ABOUT, "I'm a results-driven bookkeeper."),
]


@pytest.mark.parametrize(("kind", "rule_id", "good", "bad"), RULE_EXAMPLES)
def test_rule_passes_good_and_flags_bad(kind, rule_id, good, bad):
    passed, failed = finding(kind, good, rule_id), finding(kind, bad, rule_id)
    assert passed.ok and passed.earned == passed.weight
    assert not failed.ok and failed.earned < failed.weight
    assert failed.message != passed.message


def test_every_rule_has_an_example():
    assert {r.id for r in RULES.rules} == {rule_id for _, rule_id, _, _ in RULE_EXAMPLES}


def test_partial_credit():
    skills = finding("headline", "Bookkeeper | Payroll", "headline-skills")
    assert not skills.ok and skills.earned == skills.weight / 2
    greeting = finding("invite", "Hi there, we met at the Hamilton career fair on Friday.", "invite-greeting")
    assert not greeting.ok and 0 < greeting.earned < greeting.weight
    results = finding("about", "I trained 12 new hires at a busy clinic.", "about-results")
    assert not results.ok and 0 < results.earned < results.weight


def test_cliche_suggestion_names_the_term_from_our_list():
    assert "'ninja'" in finding("headline", "Bookkeeping Ninja | Payroll", "headline-cliches").message


def test_a_job_fair_is_not_a_job_ask():
    assert finding("invite", PRIYA, "invite-no-pitch").ok


def test_emoji_sequences_count_once():
    assert count_emoji("👩‍💻") == 1
    assert count_emoji("🇨🇦") == 1
    assert count_emoji("👍🏽") == 1
    assert count_emoji("Bookkeeper · Payroll") == 0
    assert count_emoji("🚀📚💼") == 3


# --- ranking ----------------------------------------------------------------------------------------


def score(kind: str, text: str) -> int:
    return review(kind, text).score


def test_strong_headline_outranks_weak_ones():
    strong = score("headline", GOOD_HEADLINE)
    assert strong > score("headline", "Unemployed")
    assert strong > score("headline", "Ninja GURU!!!")
    assert strong > score("headline", "Accountant") > score("headline", "Unemployed")


def test_personal_note_outranks_the_default():
    assert score("invite", PRIYA) > score("invite", DEFAULT_NOTE)
    assert score("invite", PRIYA) >= 90
    assert score("invite", DEFAULT_NOTE) <= 20


def test_strong_about_outranks_a_one_liner_and_a_wall_of_text():
    strong = score("about", STRONG_ABOUT)
    assert strong > score("about", STRONG_ABOUT.replace("\n\n", " ")) > score("about", ONE_LINE_ABOUT)
    assert strong >= 90


# --- limits -----------------------------------------------------------------------------------------


def test_headline_over_the_limit_is_flagged():
    over = sized(GOOD_HEADLINE + " ·", 221)
    result = review("headline", over)
    length = next(f for f in result.findings if f.rule_id == "headline-length")
    assert result.length == 221 and result.limit == 220
    assert not length.ok and length.earned == 0
    assert "221" in length.message and "220" in length.message
    assert finding("headline", sized(GOOD_HEADLINE + " ·", 220), "headline-length").ok


def test_invite_past_the_free_limit_gets_a_warning_not_a_hard_fail():
    length = finding("invite", sized(PRIYA, 250), "invite-length")
    assert not length.ok and 0 < length.earned < length.weight
    assert "200" in length.message and "250" in length.message
    assert "reported" in length.message and "doesn't confirm" in length.message


def test_invite_past_the_premium_limit_is_a_hard_fail():
    length = finding("invite", sized(PRIYA, 301), "invite-length")
    assert not length.ok and length.earned == 0
    assert "301" in length.message and "300" in length.message
    assert finding("invite", sized(PRIYA, 200), "invite-length").ok


def test_about_over_the_limit_is_flagged():
    length = finding("about", sized(STRONG_ABOUT, 2601), "about-length")
    assert not length.ok and length.earned == 0 and "2,600" in length.message
    assert finding("about", sized(STRONG_ABOUT, 2600), "about-length").ok


# --- input handling ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n", "!!! ...", "\u200f\u200d"])
def test_empty_input_asks_for_text(kind, text):
    result = review(kind, text)
    assert result.score == 0 and len(result.findings) == 1
    (only,) = result.findings
    assert not only.ok and only.rule_id == f"{kind}-empty" and "Paste" in only.message


def test_length_is_counted_after_stripping():
    assert review("headline", "  \n Bookkeeper | Payroll \n ").length == len("Bookkeeper | Payroll")


@pytest.mark.parametrize("kind", KINDS)
def test_messages_never_echo_the_text(kind):
    text = "<@123> @everyone **Zanzibarquux** Ninja ~~guru~~ <#42> " + GOOD_HEADLINE
    for f in review(kind, text).findings:
        for fragment in ("<@", "@everyone", "Zanzibarquux", "**", "<#"):
            assert fragment not in f.message


AWKWARD = [
    "x" * 6000,
    "Bookkeeper | Payroll " * 300,
    "\u202eBookkeeper\u200f | Payroll\u200d · QuickBooks",
    "👩🏽‍💻👨‍👩‍👧‍👦🇨🇦 Developer | Python · SQL",
    "Nurse\x00\x07\x1b[31m | CPR\x7f · BLS",
    "# Heading\n- **bold** `code` [link](https://example.com) <@123> @everyone @here",
    "{headline_limit} {0} {} %s {{",
    "ﬁ ß İ ǅ Ⅻ ①",
]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_input(kind, text):
    assert_well_formed(review(kind, text))


def assert_well_formed(result: Review) -> None:
    assert result.kind in KINDS
    assert 0 <= result.score <= 100
    assert result.findings
    for f in result.findings:
        assert isinstance(f.message, str) and 0 < len(f.message) <= MAX_MESSAGE
        assert 0 <= f.earned <= f.weight
    assert all(f.ok for f in result.strengths) and not any(f.ok for f in result.suggestions)
    assert len(result.strengths) + len(result.suggestions) == len(result.findings)
    if len(result.findings) > 1:
        assert result.score == round(sum(f.earned for f in result.findings))
        assert [f.rule_id for f in result.findings] == [r.id for r in RULES.for_kind(result.kind)]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, deadline=None)
@given(text=st.text())
def test_review_never_raises(kind, text):
    assert_well_formed(review(kind, text))


FRAGMENTS = [
    "Hi Priya,",
    "we met at",
    "<@123>",
    "@everyone",
    "\u200f",
    "\u202e",
    "\u200d",
    "👩‍💻",
    "🇨🇦",
    "\n\n",
    " | ",
    " · ",
    "GURU",
    "!!!",
    "Bookkeeper",
    "payroll",
    "hire me",
    "42%",
    "$5",
    "\x00",
    "   ",
    "{",
    "}",
]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join))
def test_review_never_raises_on_mixed_fragments(kind, text):
    assert_well_formed(review(kind, text))


@pytest.mark.parametrize(
    ("kind", "text"), [("headline", GOOD_HEADLINE), ("invite", PRIYA), ("about", STRONG_ABOUT)]
)
def test_review_is_deterministic(kind, text):
    assert review(kind, text) == review(kind, text) == review(kind, text, load_rules())


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown review kind"):
        review("resume", "text")
