"""Unit tests for bot/review.py and its rules (bot/content/review.toml, review_fr.toml)."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cogs.review.rules import (
    CONTENT_DIR,
    KINDS,
    MAX_MESSAGE,
    RULE_FILES,
    Finding,
    Review,
    count_emoji,
    detect_language,
    load_rules,
    longest_emoji_run,
    quote_excerpt,
    review,
)

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
FR_HEADLINE = "Technicienne comptable | Paie · Sage 50 · Conciliations bancaires"
FR_NOTE = (
    "Bonjour Julie, nous nous sommes rencontrées au salon de l'emploi de Laval jeudi. Votre présentation "
    "m'a beaucoup appris. Je peux vous envoyer la liste de ressources dont je vous ai parlé."
)
FR_ABOUT = """Je suis préposée aux bénéficiaires et j'aide les aînés à vivre en sécurité.

Depuis six ans dans un CHSLD de Longueuil, j'accompagne 12 résidents par quart. J'ai formé 8 nouvelles \
collègues au PDSB et réduit les chutes de 30 %.

Compétences : soins d'hygiène, PDSB, RCR, soins palliatifs.

Je cherche un poste de jour sur la Rive-Sud. Écrivez-moi à nadia.pab@example.com."""


def finding(kind: str, text: str, rule_id: str) -> Finding:
    return next(f for f in review(kind, text).findings if f.rule_id == rule_id)


def maybe(kind: str, text: str, rule_id: str) -> Finding | None:
    return next((f for f in review(kind, text).findings if f.rule_id == rule_id), None)


def sized(base: str, n: int) -> str:
    """`base` padded or cut to exactly n characters, ending in a non-space so nothing is stripped."""
    text = (base + " Thanks again, and all the best this week." * 80)[: n - 1].rstrip()
    return text + "." * (n - len(text))


def score(kind: str, text: str) -> int:
    return review(kind, text).score


# --- the rules files ----------------------------------------------------------------------------------


@pytest.mark.parametrize("language", ["en", "fr"])
def test_weights_of_each_kind_sum_to_100(language):
    for kind in KINDS:
        rules = RULES.for_kind(kind, language)
        assert sum(rule.points for rule in rules if rule.mode == "weight") == 100


def test_french_rules_mirror_the_english_ids_and_add_vouvoiement():
    english = {r.id for r in RULES.sets["en"].rules}
    french = {r.id for r in RULES.sets["fr"].rules}
    assert french - english == {"invite-vouvoiement"}
    assert english - french == set()


def test_limits_come_from_facts():
    assert RULES.limits == {
        "headline": FACTS["headline_limit"],
        "invite": FACTS["invite_note_premium_limit"],
        "about": FACTS["about_limit"],
    }


@pytest.mark.parametrize("name", RULE_FILES.values())
def test_rules_files_write_no_limit_figures(name):
    text = (CONTENT_DIR / name).read_text(encoding="utf-8")
    for fact in (
        "headline_limit",
        "about_limit",
        "invite_note_premium_limit",
        "invite_note_free_limit",
        "about_preview_min",
        "about_preview_max",
    ):
        assert not re.search(rf"(?<![\d,]){FACTS[fact]}(?![\d,])", text), fact
        assert f"{FACTS[fact]:,}" not in text, fact


def copy_content(tmp_path: Path) -> Path:
    for name in ("facts.toml", *RULE_FILES.values()):
        shutil.copy(CONTENT_DIR / name, tmp_path / name)
    return tmp_path


def test_a_changed_fact_changes_the_review(tmp_path):
    content = copy_content(tmp_path)
    facts = (content / "facts.toml").read_text(encoding="utf-8")
    (content / "facts.toml").write_text(facts.replace("headline_limit = 220", "headline_limit = 60"))
    rules = load_rules(content)
    for text in (GOOD_HEADLINE, FR_HEADLINE + " · Relevés 1 et T4 de fin d'année"):
        result = review("headline", text, rules)
        length = next(f for f in result.findings if f.rule_id == "headline-length")
        assert result.limit == 60
        assert not length.ok and "60" in length.message


@pytest.mark.parametrize(
    ("name", "old", "new", "error"),
    [
        (
            "review.toml",
            'id = "headline-emoji"\nkind = "headline"\nweight = 5',
            'id = "headline-emoji"\nkind = "headline"\nweight = 6',
            "sum to 101",
        ),
        (
            "review_fr.toml",
            'id = "headline-emoji"\nkind = "headline"\nweight = 5',
            'id = "headline-emoji"\nkind = "headline"\nweight = 6',
            "sum to 101",
        ),
        ("review.toml", 'check = "emoji"', 'check = "emojis"', "unknown check"),
        ("review.toml", 'id = "headline-tone"', 'id = "headline-emoji"', "duplicate id"),
        ("review.toml", 'strength = "No job request."', f'strength = "{"x" * 421}"', "421 characters"),
        ("review.toml", 'strength = "No job request."', 'strength = "Hi {first_name}"', "unknown placeholder"),
        (
            "review.toml",
            'warn_at = "{invite_note_free_limit}"',
            'warn_at = "{invite_note_basic_limit}"',
            "unknown fact",
        ),
        ("review.toml", "max_count = 2", "max_count = 2\ncolour = 3", "parameters do not fit"),
        (
            "review.toml",
            'question = true\nhide = "@job_ask"',
            'question = true\nhide = "@buzzwords"',
            "unknown vocabulary",
        ),
        ("review.toml", 'no_name = "{quote} has no name', 'nameless = "{quote} has no name', "only has variants"),
        (
            "review.toml",
            'kind = "headline"\nweight = 5\ncheck = "emoji"',
            'kind = "profile"\nweight = 5\ncheck = "emoji"',
            "kind must be",
        ),
        ("review.toml", "penalty = 25\nceiling = 35", "penalty = 25\nweight = 35", "exactly one of"),
        ("review.toml", "penalty = 25\nceiling = 35", "weight = 25\nceiling = 35", "only goes with a penalty"),
        ("review_fr.toml", 'head = "first"', 'head = "middle"', "head must be"),
        ("review_fr.toml", 'stemmer = "french"', 'stemmer = "klingon"', "stemmer must be"),
        (
            "review.toml",
            'rules = ["about-results", "about-specific"]',
            'rules = ["about-results", "about-nothing"]',
            "unknown rule",
        ),
    ],
)
def test_load_rules_rejects_bad_rules(tmp_path, name, old, new, error):
    content = copy_content(tmp_path)
    text = (content / name).read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (content / name).write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(ValueError, match=re.escape(error)):
        load_rules(content)


def test_load_rules_reports_a_missing_file(tmp_path):
    with pytest.raises(ValueError, match="not found"):
        load_rules(tmp_path)


def test_a_bad_pattern_is_refused(tmp_path):
    content = copy_content(tmp_path)
    text = (content / "review.toml").read_text(encoding="utf-8")
    text = text.replace("patterns = [\n", 'patterns = [\n  "(unclosed",\n', 1)
    (content / "review.toml").write_text(text, encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid regular expression"):
        load_rules(content)


# --- one good and one bad example per scored rule, in each language ------------------------------------

RULE_EXAMPLES = [
    ("headline", "headline-length", GOOD_HEADLINE, sized(GOOD_HEADLINE + " ·", 250)),
    ("headline", "headline-length", GOOD_HEADLINE, "Accountant"),
    ("headline", "headline-role", "Junior Data Analyst | SQL · Tableau", "Reliable and always learning | Kind"),
    ("headline", "headline-role", GOOD_HEADLINE, "Seeking opportunities | Hard worker | Open to work"),
    ("headline", "headline-role", "Hairstylist | Balayage · Colour Correction", "Student | Linux · Networking"),
    ("headline", "headline-skills", "Bookkeeper | Payroll · QuickBooks · Reconciliations", "Bookkeeper"),
    ("headline", "headline-skills", GOOD_HEADLINE, "Bookkeeper | Ninja | Guru"),
    ("headline", "headline-skills", GOOD_HEADLINE, "Retail sales associate who loves working with customers"),
    ("headline", "headline-specific", GOOD_HEADLINE, "Bookkeeper | Payroll · QuickBooks"),
    (
        "headline",
        "headline-readable",
        "Bookkeeper | Payroll · QuickBooks",
        "Bookkeeper | I keep small business books accurate and on time every single month",
    ),
    (
        "headline",
        "headline-readable",
        GOOD_HEADLINE,
        "I am a bookkeeper who keeps the books of small businesses accurate and on time",
    ),
    (
        "headline",
        "headline-tone",
        "IT Support Technician | CompTIA A+ · Active Directory",
        "BOOKKEEPER | PAYROLL · QUICKBOOKS",
    ),
    ("headline", "headline-tone", GOOD_HEADLINE, "Bookkeeper | Payroll · QuickBooks!!"),
    ("headline", "headline-emoji", "Bookkeeper 📚 | Payroll · QuickBooks", "🚀 Bookkeeper 📚 | Payroll 💼 · Excel ✨"),
    ("invite", "invite-length", PRIYA, "Hi Sam, let's connect."),
    ("invite", "invite-greeting", PRIYA, "We met at the Hamilton career fair on Friday."),
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
        "Hi Sam, I'm moving into logistics and would value your advice.",
    ),
    (
        "invite",
        "invite-shared-context",
        "Hello Beth, we sorted donations side by side on Saturday.",
        "Hi Jordan, I saw you work at Shopify.",
    ),
    (
        "invite",
        "invite-why",
        "Hi Sam, I'd love to learn how you moved into dispatch.",
        "Hi Sam, we met at the Hamilton career fair. Happy to share my notes.",
    ),
    (
        "invite",
        "invite-why",
        "Hi Mike, what helped most when you switched trades?",
        "Hello, I came across your impressive profile and would love to add you.",
    ),
    ("invite", "invite-offer", PRIYA, "Hi Sam, we met at the Hamilton career fair and I enjoyed your talk."),
    ("invite", "invite-offer", PRIYA, "Hi Noor, we met at the fair. I can't make next week's meetup, sadly."),
    ("invite", "invite-tone", PRIYA, "HI SAM, WE MET AT THE FAIR LAST WEEK AND I ENJOYED YOUR TALK."),
    ("invite", "invite-tone", PRIYA, "Hi Sam!!! We met at the fair 🙏🙏🙏"),
    ("about", "about-length", STRONG_ABOUT, "I'm a bookkeeper."),
    ("about", "about-hook", STRONG_ABOUT, "My name is Priya and welcome to my profile. " + STRONG_ABOUT),
    ("about", "about-hook", STRONG_ABOUT, "I enjoy solving puzzles and meeting new people. " * 8),
    ("about", "about-first-person", STRONG_ABOUT, "Priya is a payroll administrator with 8 years of experience."),
    ("about", "about-results", STRONG_ABOUT, "I'm a bookkeeper who keeps the books tidy."),
    (
        "about",
        "about-results",
        STRONG_ABOUT,
        "Warehouse associate, 2015–2019 at Amazon. Available June 2024. Call 905-555-0147.",
    ),
    ("about", "about-skills", STRONG_ABOUT, "I like helping people and I love my community."),
    ("about", "about-specific", STRONG_ABOUT, "I like helping people and I love my community."),
    ("about", "about-call-to-action", STRONG_ABOUT, STRONG_ABOUT.rsplit("\n\n", 1)[0]),
    ("about", "about-paragraphs", STRONG_ABOUT, STRONG_ABOUT.replace("\n\n", " ")),
]

FR_RULE_EXAMPLES = [
    ("headline", "headline-role", FR_HEADLINE, "Fiable | Ponctuelle | Travaillante"),
    ("headline", "headline-role", FR_HEADLINE, "Chercheur d'emploi"),
    ("headline", "headline-skills", FR_HEADLINE, "Comptable"),
    ("headline", "headline-specific", "Cariste | Chariot élévateur certifié · Inventaire", "Cariste | Inventaire"),
    ("invite", "invite-greeting", FR_NOTE, "Nous nous sommes rencontrées au salon de l'emploi de Laval jeudi."),
    ("invite", "invite-personal", FR_NOTE, "Je souhaite faire partie de votre réseau professionnel sur LinkedIn."),
    ("invite", "invite-shared-context", FR_NOTE, "Bonjour Paul, j'ai vu que vous travaillez chez Desjardins."),
    ("invite", "invite-why", FR_NOTE, "Bonjour Paul, nous nous sommes rencontrés au salon de l'emploi."),
    (
        "invite",
        "invite-offer",
        FR_NOTE,
        "Bonjour Julie, nous nous sommes rencontrées au salon et votre présentation m'a appris.",
    ),
    (
        "about",
        "about-first-person",
        FR_ABOUT,
        "Maria Santos est infirmière depuis 10 ans en soins d'urgence à Montréal.",
    ),
    (
        "about",
        "about-results",
        FR_ABOUT,
        "Je suis commis comptable et j'aide les petites entreprises à garder des livres en ordre.",
    ),
    ("about", "about-call-to-action", FR_ABOUT, FR_ABOUT.rsplit("\n\n", 1)[0]),
]


@pytest.mark.parametrize(("kind", "rule_id", "good", "bad"), RULE_EXAMPLES + FR_RULE_EXAMPLES)
def test_rule_passes_good_and_flags_bad(kind, rule_id, good, bad):
    passed, failed = finding(kind, good, rule_id), finding(kind, bad, rule_id)
    assert passed.ok and passed.earned == passed.weight, passed.message
    assert not failed.ok and failed.earned < failed.weight, failed.message
    assert failed.message != passed.message


def test_every_scored_rule_has_an_example():
    scored = {r.id for r in RULES.sets["en"].rules if r.mode == "weight"}
    assert scored == {rule_id for _, rule_id, _, _ in RULE_EXAMPLES}


NO_SUBSTANCE = """I love helping people and I always give my best, whatever the day brings.

I enjoy learning new things, and my friends say I'm easy to talk to and calm when things get busy.

I'm good with computers and I like a tidy workspace where everything has its place.

Message me here if you'd like to talk about how I could help your team."""

# penalty and cap rules: found in the bad text, absent from the good one
FAULT_EXAMPLES = [
    ("headline", "headline-keyword-list", GOOD_HEADLINE, "Excel | Word | PowerPoint | Outlook | Teams | SharePoint"),
    ("headline", "headline-status", GOOD_HEADLINE, "Bookkeeper | Payroll · QuickBooks | Open to work"),
    ("headline", "headline-plea", GOOD_HEADLINE, "Looking for any job"),
    ("headline", "headline-cliches", GOOD_HEADLINE, "Hardworking Bookkeeper | Payroll"),
    ("headline", "headline-hedge", GOOD_HEADLINE, "Aspiring Data Analyst | SQL · Excel"),
    ("headline", "headline-shouting", GOOD_HEADLINE, "FORKLIFT OPERATOR | SHIPPING · RECEIVING · INVENTORY"),
    ("invite", "invite-job-ask", PRIYA, "Hi Sam, we met at the fair. Is your team hiring? I can send my resume."),
    ("invite", "invite-job-ask", PRIYA, "Hello Priya, could you refer me for the clerk position at your company?"),
    ("invite", "invite-pitch", PRIYA, "Hi Sam, we met at the expo. Book a demo of our software for 20% off."),
    ("invite", "invite-cliches", PRIYA, "Hi there, I am a hard-working and motivated professional."),
    ("invite", "invite-vouvoiement", FR_NOTE, "Salut Alex, on s'est vus au salon. Je peux t'envoyer ta liste."),
    ("about", "about-plea", STRONG_ABOUT, "I will take any job, please hire me. " + STRONG_ABOUT),
    ("about", "about-tone", STRONG_ABOUT, "OPEN TO WORK!!! " + STRONG_ABOUT),
    ("about", "about-cliches", STRONG_ABOUT, "I'm a results-driven, passionate team player. " + STRONG_ABOUT),
    ("about", "about-substance-cap", STRONG_ABOUT, NO_SUBSTANCE),
]


@pytest.mark.parametrize(("kind", "rule_id", "good", "bad"), FAULT_EXAMPLES)
def test_faults_are_found_in_the_bad_text_only(kind, rule_id, good, bad):
    assert maybe(kind, good, rule_id) is None
    fault = maybe(kind, bad, rule_id)
    assert fault is not None and not fault.ok and fault.earned < 0
    assert fault.mode in ("penalty", "cap")


def test_every_fault_has_an_example():
    faults = {r.id for rs in RULES.sets.values() for r in rs.rules if r.mode != "weight"}
    assert faults == {rule_id for _, rule_id, _, _ in FAULT_EXAMPLES}


def test_partial_credit():
    skills = finding("headline", "Bookkeeper | Payroll", "headline-skills")
    assert not skills.ok and 0 < skills.earned < skills.weight
    greeting = finding("invite", "Hi there, we met at the Hamilton career fair on Friday.", "invite-greeting")
    assert not greeting.ok and 0 < greeting.earned < greeting.weight
    results = finding("about", "I trained 12 new hires at a busy clinic.", "about-results")
    assert not results.ok and 0 < results.earned < results.weight
    later = finding("headline", "Customer Service | Cash Handling | Cashier", "headline-role")
    assert not later.ok and later.earned == later.weight // 2


# --- the traps named in the issue ------------------------------------------------------------------------


def test_status_phrases_and_self_praise_are_not_a_role_and_score_40_or_less():
    for text in (
        "Seeking opportunities | Hard worker | Open to work",
        "OPEN TO WORK!!! PLEASE HIRE ME",
        "Hard-working, motivated, team player",
        "À la recherche d'un emploi | Travailleuse acharnée | Disponible immédiatement",
    ):
        result = review("headline", text)
        assert result.score <= 40, (text, result.score)
        role = next(f for f in result.findings if f.rule_id == "headline-role")
        assert role.earned == 0


def test_a_headline_with_no_role_and_no_skill_cannot_be_strong():
    for text in ("Proud mom | Dog lover | Coffee addict", "Available immediately | Reliable | Punctual", "new grad"):
        assert score("headline", text) < 50, text


def test_a_keyword_list_without_a_role_is_marked_down():
    stuffed = "Excel | Word | PowerPoint | Outlook | Teams | SharePoint | Access | QuickBooks | Sage"
    result = review("headline", stuffed)
    assert result.score <= 50
    assert any(f.rule_id == "headline-keyword-list" and f.earned < 0 for f in result.findings)
    assert score("headline", "Office Administrator | Excel · QuickBooks · Reception") > result.score + 30


def test_i_can_does_not_match_inside_cant():
    note = "Hi Noor, we met at the Calgary job fair. I can't make next week's meetup, but I'd love to hear how it went."
    assert not finding("invite", note, "invite-offer").ok
    assert finding("invite", note.replace("I can't make", "I can send you the notes from"), "invite-offer").ok


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("invite", "Hi Omar, I read your post on onboarding new hires in retail. I can send you our checklist."),
        ("invite", "Hi Chris, thanks for the session on resume gaps at the Surrey library."),
        ("invite", "Hi Lena, your talk on getting buy-in from frontline staff stuck with me."),
        ("headline", "HR Coordinator | New Hire Onboarding · HRIS · Employee Records"),
        ("headline", "Project Coordinator | Stakeholder Buy-In · Scheduling · MS Project"),
        ("about", "I trained 5 new hires and helped close resume gaps for clients. " * 4),
    ],
)
def test_ordinary_words_are_not_faults(kind, text):
    faults = [f for f in review(kind, text).findings if f.mode != "weight"]
    assert not any(f.rule_id.endswith(("job-ask", "pitch", "status", "plea")) for f in faults), faults


def test_dates_and_phone_numbers_are_not_results():
    about = (
        "I worked at Costco from 2019 to 2023 and started in June 2024. Call me at 905-555-0147 or "
        "(613) 555-0199, weekdays 9:30 to 5pm. I have 8 years of experience in warehouses."
    )
    results = finding("about", about, "about-results")
    assert results.earned == 0
    real = finding("about", about + " I cut picking errors by 30% and trained 12 new pickers.", "about-results")
    assert real.ok and "30%" in real.message


def test_email_marketing_is_not_a_call_to_action_and_contact_jane_at_is_one():
    base = "I'm a marketing coordinator who plans email marketing campaigns. Skills: email marketing, Mailchimp."
    assert not finding("about", base, "about-call-to-action").ok
    assert finding("about", base + " Contact Jane at jane.okafor@example.com.", "about-call-to-action").ok
    assert finding("about", base + " Contact Jane at the front desk.", "about-call-to-action").ok
    assert finding("about", base.replace("I'm", "Je suis") + " Écrivez-moi ici.", "about-call-to-action").ok


def test_a_job_ask_in_a_first_note_is_a_major_fault():
    good = "Hi Sam, we met at the Hamilton career fair. I enjoyed your talk and would value your advice."
    asked = good + " Is your team hiring? I can send you my resume."
    assert score("invite", good) >= 70
    result = review("invite", asked)
    assert result.score <= 40
    ask = next(f for f in result.findings if f.rule_id == "invite-job-ask")
    assert ask.earned <= -25 and "“Is your team hiring”" in ask.message


def test_a_note_to_a_recruiter_may_name_the_role():
    note = (
        "Hi Olivia, I see you recruit for finance roles at RBC. I'm a bookkeeper and would like to be on "
        "your radar for future openings."
    )
    assert maybe("invite", note, "invite-job-ask") is None


def test_tone_in_notes():
    calm = finding("invite", PRIYA, "invite-tone")
    assert calm.ok
    for loud in ("HI SAM, WE MET AT THE FAIR AND I LOVED YOUR TALK", "Hi Sam!!! we met", "Hi Sam 😊😊😊 we met"):
        assert not finding("invite", loud, "invite-tone").ok, loud


def test_strong_french_notes_and_abouts_score_high_with_french_rules():
    for kind, text in (("invite", FR_NOTE), ("about", FR_ABOUT), ("headline", FR_HEADLINE)):
        result = review(kind, text)
        assert result.language == "fr"
        assert result.score >= 80, (kind, result.score, [f.message for f in result.suggestions])


def test_tutoiement_in_a_first_french_note_costs_points():
    vous = (
        "Bonjour Alex, nous nous sommes vus au salon de l'emploi. Votre présentation m'a aidé. "
        "Je peux vous envoyer ma liste."
    )
    tu = "Salut Alex, on s'est vus au salon de l'emploi. Ta présentation m'a aidé. Je peux t'envoyer ma liste."
    assert score("invite", vous) > score("invite", tu)
    fault = finding("invite", tu, "invite-vouvoiement")
    assert "vous" in fault.message and fault.earned < 0


# --- explainable ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "text"),
    [
        ("headline", GOOD_HEADLINE),
        ("invite", PRIYA),
        ("about", STRONG_ABOUT),
        ("invite", FR_NOTE),
        ("headline", "OPEN TO WORK!!! PLEASE HIRE ME"),
        ("about", ONE_LINE_ABOUT),
    ],
)
def test_the_score_is_the_sum_of_its_lines(kind, text):
    result = review(kind, text)
    assert all(isinstance(f.earned, int) for f in result.findings)
    assert result.score == sum(f.earned for f in result.findings)


def test_strengths_and_suggestions_quote_the_words_that_triggered_them():
    role = finding("headline", GOOD_HEADLINE, "headline-role")
    assert "“Warehouse Supervisor”" in role.message and role.quotes == ("Warehouse Supervisor",)
    status = finding("headline", "Bookkeeper | Payroll | Open to work", "headline-status")
    assert "“Open to work”" in status.message
    cliche = finding("headline", "Bookkeeping Ninja | Payroll", "headline-cliches")
    assert "“Ninja”" in cliche.message
    results = finding("about", STRONG_ABOUT, "about-results")
    assert "40%" in results.message
    stock = finding("invite", DEFAULT_NOTE, "invite-personal")
    assert stock.message.startswith("“I'd like to add you to my professional")


def test_suggestions_put_the_costliest_first():
    result = review("invite", "Hi Sam, we met at the fair. Is your team hiring? I can send my resume.")
    lost = [f.lost for f in result.suggestions]
    assert lost == sorted(lost, reverse=True)
    assert result.suggestions[0].rule_id == "invite-job-ask"


def test_quotes_are_escaped_and_cut():
    assert quote_excerpt("@everyone look") == "@\u200beveryone look"
    assert "<@" not in quote_excerpt("<@123> hi")
    assert quote_excerpt("**bold** `x`") == "\\*\\*bold\\*\\* \\`x\\`"
    assert quote_excerpt("a\u202eb\x1bc") == "abc"
    long = quote_excerpt("word " * 40)
    assert len(long) <= 41 and long.endswith("…")


@pytest.mark.parametrize("kind", KINDS)
def test_echoed_text_never_pings_or_renders(kind):
    text = "<@123> @everyone **Zanzibarquux** Ninja ~~guru~~ <#42> Open to work " + GOOD_HEADLINE
    for f in review(kind, text).findings:
        for fragment in ("<@", "@everyone", "**", "<#", "~~"):
            assert fragment not in f.message, f.message


# --- language ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Je suis comptable et je cherche un poste à Québec.", "fr"),
        ("I'm an accountant looking for a role in Quebec City.", "en"),
        ("Comptable", "fr"),  # no function words: the French role list decides
        ("Accountant", "en"),
        ("Excel | Word | PowerPoint | Outlook", "en"),  # tools are in both lists: no accents, English
        ("Bilingual Customer Service Representative | Zendesk · De-escalation", "en"),  # "De-" is not "de"
        ("Python, Java, C++, SQL, HTML", "en"),  # "C++" is not "c'"
        ("Cariste | Chariot élévateur · Réception et expédition", "fr"),
        ("Nouvelle arrivante cherche emploi", "fr"),
        ("Sans emploi", "fr"),
        ("l'analyse de données", "fr"),
    ],
)
def test_language_is_detected_deterministically(text, language):
    assert detect_language(text) == language


def test_the_language_can_be_forced():
    assert review("headline", FR_HEADLINE, language="en").language == "en"


# --- limits --------------------------------------------------------------------------------------------


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


# --- ranking -------------------------------------------------------------------------------------------


def test_strong_headline_outranks_weak_ones():
    strong = score("headline", GOOD_HEADLINE)
    assert strong >= 90
    assert strong > score("headline", "Accountant") > score("headline", "Unemployed")
    assert strong > score("headline", "Ninja GURU!!!")


def test_personal_note_outranks_the_default():
    assert score("invite", PRIYA) >= 90
    assert score("invite", DEFAULT_NOTE) <= 20


def test_strong_about_outranks_a_wall_of_text_and_a_one_liner():
    strong = score("about", STRONG_ABOUT)
    assert strong >= 90
    assert strong > score("about", STRONG_ABOUT.replace("\n\n", " ")) > score("about", ONE_LINE_ABOUT)


# --- input handling ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", ["", "   ", "\n\t \r\n", "!!! ...", "\u200f\u200d", "\x00\x07"])
def test_empty_input_asks_for_text(kind, text):
    result = review(kind, text)
    assert result.score == 0 and len(result.findings) == 1
    (only,) = result.findings
    assert not only.ok and only.rule_id == f"{kind}-empty" and "Paste" in only.message


def test_length_is_counted_after_stripping():
    assert review("headline", "  \n Bookkeeper | Payroll \n ").length == len("Bookkeeper | Payroll")


def test_emoji_sequences_count_once():
    assert count_emoji("👩‍💻") == 1
    assert count_emoji("🇨🇦") == 1
    assert count_emoji("👍🏽") == 1
    assert count_emoji("Bookkeeper · Payroll") == 0
    assert count_emoji("🚀📚💼") == 3
    assert longest_emoji_run("Hi 😊 there 😊") == 1
    assert longest_emoji_run("Hi 😊 😊😊") == 3


AWKWARD = [
    "x" * 6000,
    "Bookkeeper | Payroll " * 300,
    "\u202eBookkeeper\u200f | Payroll\u200d · QuickBooks",
    "👩🏽‍💻👨‍👩‍👧‍👦🇨🇦 Developer | Python · SQL",
    "Nurse\x00\x07\x1b[31m | CPR\x7f · BLS",
    "# Heading\n- **bold** `code` [link](https://example.com) <@123> @everyone @here",
    "{headline_limit} {0} {} %s {{",
    "ﬁ ß İ ǅ Ⅻ ①",
    "Bonjour!!! j'ai l'é́́́́té d'' qu' ' '' ‘’ «»",
    "((((((((((((((((((((((((((((((((((((((((((((((((",
]


def assert_well_formed(result: Review) -> None:
    assert result.kind in KINDS and result.language in ("en", "fr")
    assert 0 <= result.score <= 100
    assert result.findings
    for f in result.findings:
        assert isinstance(f.message, str) and 0 < len(f.message) <= MAX_MESSAGE
        assert "“”" not in f.message and " , " not in f.message
        if f.mode == "weight":
            assert 0 <= f.earned <= f.weight
        else:
            assert f.earned <= 0
    assert all(f.ok for f in result.strengths) and not any(f.ok for f in result.suggestions)
    assert len(result.strengths) + len(result.suggestions) == len(result.findings)
    if len(result.findings) > 1:
        assert result.score == sum(f.earned for f in result.findings)
        scored = [f.rule_id for f in result.findings if f.mode == "weight"]
        assert scored == [r.id for r in RULES.for_kind(result.kind, result.language) if r.mode == "weight"]


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("text", AWKWARD)
def test_awkward_input(kind, text):
    assert_well_formed(review(kind, text))


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, deadline=None)
@given(text=st.text())
def test_review_never_raises(kind, text):
    assert_well_formed(review(kind, text))


FRAGMENTS = [
    "Hi Priya,",
    "Bonjour Julie,",
    "we met at",
    "nous nous sommes",
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
    "préposée",
    "payroll",
    "hire me",
    "engagez-moi",
    "42%",
    "$5",
    "12 000 $",
    "905-555-0147",
    "2024",
    "\x00",
    "   ",
    "{",
    "}",
    "(",
    ")",
    "I can",
    "can't",
    "j'",
    "tu",
    "Contact Jane at",
    "•",
    "- ",
]


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=150, deadline=None)
@given(text=st.lists(st.sampled_from(FRAGMENTS) | st.text(max_size=5), max_size=40).map("".join))
def test_review_never_raises_on_mixed_fragments(kind, text):
    assert_well_formed(review(kind, text))


@pytest.mark.parametrize(
    ("kind", "text"), [("headline", GOOD_HEADLINE), ("invite", PRIYA), ("about", STRONG_ABOUT), ("about", FR_ABOUT)]
)
def test_review_is_deterministic(kind, text):
    assert review(kind, text) == review(kind, text) == review(kind, text, load_rules())


def test_unknown_kind_is_a_programming_error():
    with pytest.raises(ValueError, match="unknown review kind"):
        review("resume", "text")
