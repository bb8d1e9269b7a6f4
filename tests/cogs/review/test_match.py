"""/review match (bot/match.py) against labelled posting/profile pairs (tests/data/match_cases.toml).

Prints the figures: how many of the key terms a counsellor named were found, how often "in your
profile" or "missing" was right, how many postings leaked a non-term (employer, place, perk), and
how many match percentages fell in the counsellor's range.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass

import pytest

from cogs.review.match import SHOWN, Match, match, mentions, stems_of
from tests.review_cases import DATA

CASES = tomllib.loads((DATA / "match_cases.toml").read_text(encoding="utf-8"))["case"]
STEMMER = {"en": "english", "fr": "french"}


def _sub(short: tuple[str, ...], long: tuple[str, ...]) -> bool:
    n = len(short)
    return any(long[i : i + n] == short for i in range(len(long) - n + 1))


def found_term(result: Match, key: str, language: str):
    """The term of the result that names the labelled key term: the same words, a known synonym, a
    slightly longer term that contains them ('year-end T4' for 'T4') or one word short of them."""
    want = stems_of(key, STEMMER[language])
    for term in result.terms:
        if term.stems == want or want in term.also:
            return term
    for term in result.terms:
        have = term.stems
        if (_sub(want, have) and len(have) <= len(want) + 2) or (_sub(have, want) and len(have) >= len(want) - 1):
            return term
    return None


@dataclass
class Figures:
    keys: int = 0
    found: int = 0
    judged: int = 0
    judged_right: int = 0
    noisy_cases: int = 0
    coverage_in_range: int = 0
    cases: int = 0

    def summary(self) -> str:
        return (
            f"match evaluation on {self.cases} posting/profile pairs:\n"
            f"  key terms found: {self.found}/{self.keys} ({self.found / self.keys:.1%})\n"
            f"  in profile / missing right: {self.judged_right}/{self.judged} ({self.judged_right / self.judged:.1%})\n"
            f"  postings with a non-term among the key terms: {self.noisy_cases}/{self.cases}\n"
            f"  match percentage in the counsellor's range: {self.coverage_in_range}/{self.cases}"
        )


def evaluate(cases) -> tuple[Figures, list[str]]:
    figures, notes = Figures(), []
    for case in cases:
        figures.cases += 1
        result = match(case["posting"], case["profile"])
        assert result.language == case["lang"], case["id"]
        for key in case["key"]:
            figures.keys += 1
            term = found_term(result, key, case["lang"])
            figures.found += term is not None
            shown = term.present if term is not None else mentions(case["profile"], key, case["lang"])
            figures.judged += 1
            right = shown == (key in case["present"])
            figures.judged_right += right
            if term is None:
                notes.append(f"{case['id']}: key term {key!r} not found")
            if not right:
                notes.append(f"{case['id']}: {key!r} shown as {'present' if shown else 'missing'}")
        noise = [t.text for t in result.terms if any(n in t.text.lower() for n in case["noise"])]
        figures.noisy_cases += bool(noise)
        if noise:
            notes.append(f"{case['id']}: non-terms {noise}")
        low, high = case["coverage"]
        figures.coverage_in_range += low <= result.coverage <= high
        if not low <= result.coverage <= high:
            notes.append(f"{case['id']}: match {result.coverage}%, accepted {low}-{high}")
    return figures, notes


def test_the_evaluation_pairs_are_broad_and_well_formed():
    assert len(CASES) >= 20
    assert sum(c["lang"] == "fr" for c in CASES) >= len(CASES) / 3
    assert len({c["id"] for c in CASES}) == len(CASES)
    for case in CASES:
        assert set(case["present"]) <= set(case["key"]), case["id"]
        assert 50 <= len(case["posting"]) <= 4000 and 20 <= len(case["profile"]) <= 4000, case["id"]


def test_match_agrees_with_the_labelled_pairs():
    figures, notes = evaluate(CASES)
    print("\n" + figures.summary() + "".join(f"\n    {n}" for n in notes))
    assert figures.found / figures.keys >= 0.90
    assert figures.judged_right / figures.judged >= 0.90
    assert figures.noisy_cases <= len(CASES) // 10
    assert figures.coverage_in_range / figures.cases >= 0.80


PAYROLL = next(c for c in CASES if c["id"] == "payroll-strong")


def test_multi_word_and_product_terms_are_found():
    result = match(PAYROLL["posting"], PAYROLL["profile"])
    texts = [t.text for t in result.terms]
    assert "Ceridian Dayforce" in texts and "T4" in texts and "year-end" in texts
    assert "Dayforce" not in texts  # always inside 'Ceridian Dayforce'
    assert result.terms[0].text == "Payroll Administrator" and result.terms[0].place == "headline"


def test_the_employer_places_and_perks_are_not_key_terms():
    result = match(PAYROLL["posting"], PAYROLL["profile"])
    lowered = " ".join(t.text.lower() for t in result.terms)
    for word in ("northwind", "toronto", "dental", "pension", "vacation"):
        assert word not in lowered


def test_terms_are_ranked_and_at_most_ten_are_shown_of_each():
    result = match(PAYROLL["posting"], PAYROLL["profile"])
    weights = [t.weight for t in result.terms]
    assert weights == sorted(weights, reverse=True)
    assert len(result.present[:SHOWN]) <= 10 and len(result.missing[:SHOWN]) <= 10


def test_where_to_add_each_missing_term():
    weak = next(c for c in CASES if c["id"] == "payroll-weak")
    result = match(weak["posting"], weak["profile"])
    places = {t.text: t.place for t in result.missing}
    assert places["Payroll Administrator"] == "headline"
    assert places["Ceridian Dayforce"] == "skills"
    assert any(place == "certifications" for place in places.values())


def test_stemming_matches_plural_and_singular_in_both_languages():
    assert mentions("I reconcile vendor accounts; reconciliation is my daily work.", "reconciliations")
    assert mentions("Je fais la conciliation bancaire chaque mois.", "conciliations bancaires", "fr")
    assert mentions("Infirmiere auxiliaire", "infirmière auxiliaire", "fr")
    assert mentions("Forklift certified since 2019.", "forklift certification")
    assert not mentions("Payroll clerk", "Ceridian Dayforce")


def test_a_synonym_counts():
    assert mentions("Personal Support Worker with five years in home care", "PSW")
    assert mentions("Je suis préposée aux bénéficiaires.", "PAB", "fr")
    assert mentions("WHMIS and First Aid", "SIMDUT", "fr")


def test_a_french_posting_is_matched_with_french_rules():
    case = next(c for c in CASES if c["id"] == "fr-technicienne-comptable")
    result = match(case["posting"], case["profile"])
    assert result.language == "fr"
    assert any(t.text.startswith("Technicien") and t.place == "headline" for t in result.terms)
    assert any(t.text == "Sage 50" for t in result.present)


def test_match_is_deterministic():
    assert match(PAYROLL["posting"], PAYROLL["profile"]) == match(PAYROLL["posting"], PAYROLL["profile"])


@pytest.mark.parametrize(
    "posting",
    [
        "x" * 4000,
        "@everyone <@123> " * 200,
        "\u202e" * 100 + "Payroll Administrator",
        "Requirements:\n" * 300,
        "🚀" * 1000,
    ],
)
def test_awkward_postings_never_raise(posting):
    result = match(posting, "Payroll administrator with Dayforce")
    assert 0 <= result.coverage <= 100
