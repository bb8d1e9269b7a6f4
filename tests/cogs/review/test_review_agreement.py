"""The /review scorer against the labelled evaluation set (tests/data/review_cases_*.toml).

Prints the figures: agreement with the counsellor's ranges and the gap between strong and weak work,
for the whole set, for each language, and for the blind holdout files on their own.
"""

from __future__ import annotations

from collections import Counter

from cogs.review.rules import KINDS, review
from tests.review_cases import BANDS, FIELDS, agreement, review_cases

CASES = review_cases()
SCORES = [(case, review(case.kind, case.text).score) for case in CASES]


def test_the_evaluation_set_is_broad_and_well_formed():
    assert len(CASES) >= 150
    assert len({c.id for c in CASES}) == len(CASES)
    assert sum(c.lang == "fr" for c in CASES) >= len(CASES) / 3
    for case in CASES:
        assert case.kind in KINDS and case.lang in ("en", "fr"), case.id
        assert case.band in BANDS and case.field in FIELDS, case.id
        assert 0 <= case.low < case.high <= 100, case.id
        assert case.reason.strip() and case.text.strip(), case.id
    by_kind = Counter(c.kind for c in CASES)
    assert all(by_kind[kind] >= 30 for kind in KINDS)
    for kind in KINDS:
        for lang in ("en", "fr"):
            bands = {c.band for c in CASES if c.kind == kind and c.lang == lang}
            assert bands >= {"strong", "weak"}, (kind, lang)
    assert {c.field for c in CASES} == set(FIELDS)


def test_agreement_with_the_counsellors_ranges():
    overall = agreement(SCORES)
    print("\n" + overall.summary())
    for lang in ("en", "fr"):
        print(agreement([(c, s) for c, s in SCORES if c.lang == lang]).summary(f"  {lang}").split("\n")[0])
    for source in sorted({c.source for c in CASES}):
        part = agreement([(c, s) for c, s in SCORES if c.source == source])
        print(part.summary(f"  {source}").split("\n")[0] + f", gap {part.gap:.1f}")
    assert overall.share >= 0.90
    assert overall.gap >= 45


def test_agreement_holds_on_the_blind_holdouts_and_in_each_language():
    for subset in (
        [(c, s) for c, s in SCORES if c.source.startswith("holdout")],
        [(c, s) for c, s in SCORES if c.lang == "fr"],
        [(c, s) for c, s in SCORES if c.lang == "en"],
    ):
        part = agreement(subset)
        assert part.share >= 0.90 and part.gap >= 45, part.summary()
