"""When a suggestion resembles content the server already has (pure: no Discord, no database).

The near-duplicate measure is rapidfuzz's ``token_set_ratio`` on normalised text (lower case,
punctuation removed): it scores how much of the shorter text's words the longer one holds, so a
copied tip with words dropped, reordered or mistyped, or half of a tip pasted under a new title,
still scores high. On Linkwise's own content (146 tips, 63 prompts) copies with 10% of their
words dropped, 5% mistyped and sentences reordered scored 95 at least; half a tip under a new
title 97 at least; the closest *different* built-in tip 70 at most, the closest different prompt
72 at most, and new tips on known topics written for the test 87 at most. So 92 warns about the
copies and leaves related items alone. Set scoring makes any text that is a handful of words
found in a longer one score 100 ("Profile photo"), so texts of fewer than 6 distinct words are
compared whole (``token_sort_ratio``) instead.

The cog imports this module (and with it rapidfuzz) at the first suggestion or queue, not when
the extension loads.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from rapidfuzz import fuzz, utils

from .rules import Existing

SIMILAR_AT = 92  # see the module's docstring for how this was chosen
FEW_WORDS = 6


class Resemblance(NamedTuple):
    item: Existing
    score: int


def similarity(a: str, b: str) -> float:
    """0-100: how near ``a`` is to being a copy of ``b`` (see the module's docstring)."""
    left, right = utils.default_process(a), utils.default_process(b)
    if min(len(set(left.split())), len(set(right.split()))) < FEW_WORDS:
        return fuzz.token_sort_ratio(left, right)
    return fuzz.token_set_ratio(left, right)


def resembles(text: str, existing: Iterable[Existing]) -> Resemblance | None:
    """The existing item ``text`` is nearest to, when it is a near-duplicate of it; else None."""
    best: Resemblance | None = None
    for item in existing:
        score = similarity(text, item.text)
        if score >= SIMILAR_AT and (best is None or score > best.score):
            best = Resemblance(item, round(score))
    return best
