"""The /review scorer against the labelled evaluation set (tests/data/review_cases_*.toml)."""

from __future__ import annotations

from collections import Counter

from bot.review import KINDS, review
from tests.review_cases import BANDS, FIELDS, measure, review_cases

CASES = review_cases()


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


def test_agreement_is_measured_and_printed():
    agreement = measure(CASES, lambda case: review(case.kind, case.text).score)
    print("\n" + agreement.summary())
    assert agreement.total == len(CASES)
