"""The labelled evaluation sets for /review and /review match, and the figures measured on them.

The cases live in ``tests/data`` as TOML. Each /review case carries the score range an experienced
employment counsellor would accept and a one-line reason; the ranges were written by reading the
drafts, before the rules were tuned, and are never fitted to the scorer.
"""

from __future__ import annotations

import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).parent / "data"
BANDS = ("strong", "middling", "weak")
FIELDS = ("trades", "care", "office", "tech", "newcomer", "general")


@dataclass(frozen=True)
class Case:
    source: str  # the file's name without its prefix: "headlines", "invites", "about", "holdout", "holdout2"
    id: str
    kind: str
    lang: str
    band: str
    field: str
    low: int
    high: int
    reason: str
    text: str

    def accepts(self, score: int) -> bool:
        return self.low <= score <= self.high


def review_cases() -> list[Case]:
    """Every labelled case. The holdout files were written blind, after the rules were first tuned on
    the others (and scored once before any change), so their figures are reported apart."""
    cases = []
    for path in sorted(DATA.glob("review_cases_*.toml")):
        source = path.stem.removeprefix("review_cases_")
        with path.open("rb") as fh:
            for entry in tomllib.load(fh)["case"]:
                low, high = entry["range"]
                cases.append(
                    Case(
                        source,
                        entry["id"],
                        entry["kind"],
                        entry["lang"],
                        entry["band"],
                        entry["field"],
                        low,
                        high,
                        entry["reason"],
                        entry["text"],
                    )
                )
    return cases


@dataclass(frozen=True)
class Agreement:
    total: int
    inside: int
    misses: tuple[tuple[Case, int], ...]
    band_means: dict[str, float]

    @property
    def share(self) -> float:
        return self.inside / self.total

    @property
    def gap(self) -> float:
        return self.band_means["strong"] - self.band_means["weak"]

    def summary(self, title: str = "review agreement") -> str:
        lines = [
            f"{title}: {self.inside}/{self.total} cases inside the counsellor's range ({self.share:.1%})",
            "mean score by band: " + ", ".join(f"{b} {self.band_means[b]:.1f}" for b in BANDS),
            f"strong - weak gap: {self.gap:.1f} points",
        ]
        lines += [f"  outside: {c.id} scored {s}, accepted {c.low}-{c.high} ({c.reason})" for c, s in self.misses]
        return "\n".join(lines)


def measure(cases: list[Case], score: Callable[[Case], int]) -> Agreement:
    scores = [(case, score(case)) for case in cases]
    return agreement(scores)


def agreement(scores: list[tuple[Case, int]]) -> Agreement:
    cases = [c for c, _ in scores]
    means = {}
    for band in BANDS:
        values = [s for c, s in scores if c.band == band]
        means[band] = sum(values) / len(values) if values else float("nan")
    misses = tuple((c, s) for c, s in scores if not c.accepts(s))
    return Agreement(len(cases), len(cases) - len(misses), misses, means)
