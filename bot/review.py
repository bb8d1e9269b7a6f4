"""The /review rules: deterministic, explainable feedback on a headline, a connection note or an About.

The rules are data (``bot/content/review.toml``); this module holds the small check functions they
name, the loader that validates them, and :func:`review`, which the cog calls. No Discord here.

Scoring: every rule of a kind has a weight (the weights of a kind sum to 100) and its check returns
a credit between 0 and 1. A rule earns ``weight * credit`` points and the score is the rounded sum,
so each point can be traced to a finding. A passed rule shows its ``strength``; a failed or
partly passed rule shows its ``suggestion`` (or the variant its check names).

Length is ``len()`` of the text after normalisation (line endings unified, surrounding whitespace
stripped), i.e. Unicode code points. LinkedIn's editor runs in the browser, which may count an emoji
as two characters, so a text right at the limit with emoji may still be a little over there.

Messages never quote the member's text: only counts and terms from our own word lists, so nothing
they paste (mentions, markdown) is ever echoed back.
"""

from __future__ import annotations

import inspect
import re
import string
import tomllib
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

KINDS = ("headline", "invite", "about")
MAX_MESSAGE = 300
CONTENT_DIR = Path(__file__).parent / "content"

# Placeholders filled per review; everything else in {braces} must be a name from facts.toml.
RUNTIME_FIELDS = frozenset({"length", "limit", "over", "trim", "count", "need", "max", "found"})
_KNOWN_RULE_KEYS = frozenset({"id", "kind", "weight", "check", "strength", "suggestion", "variants"})
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FACT_REF = re.compile(r"^\{([a-z0-9_]+)\}$")


@dataclass(frozen=True)
class Finding:
    rule_id: str
    ok: bool  # True = strength, False = suggestion
    message: str  # the strength, or the concrete suggestion with the fix (<= 300 chars)
    weight: int  # the rule's weight
    earned: float  # points earned (0..weight)


@dataclass(frozen=True)
class Review:
    kind: str
    score: int  # 0..100
    findings: tuple[Finding, ...]
    length: int  # characters counted, after normalisation
    limit: int

    @property
    def strengths(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.ok)

    @property
    def suggestions(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if not f.ok)


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    weight: int
    check: str
    params: Mapping[str, Any]
    strength: str
    suggestion: str
    variants: Mapping[str, str]

    def template(self, ok: bool, variant: str) -> str:
        return self.strength if ok else self.variants.get(variant, self.suggestion)


@dataclass(frozen=True)
class Rules:
    rules: tuple[Rule, ...]
    limits: Mapping[str, int]  # kind -> character limit, from facts.toml
    empty: Mapping[str, str]  # kind -> what to paste when the text is empty
    facts: Mapping[str, int]

    def for_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind == kind)


# --- text helpers ---------------------------------------------------------------------------------

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u201c": '"', "\u201d": '"'})
_WORD = re.compile(r"#?[^\W_]+(?:'[^\W_]+)*")


def normalise(text: str) -> str:
    """Unify line endings and strip surrounding whitespace; this is the text that gets counted."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _without_format_chars(text: str) -> str:
    """Drop zero-width and bidi control characters (Unicode category Cf) before matching."""
    return "".join(c for c in text if unicodedata.category(c) != "Cf")


def _fold(text: str) -> str:
    return unicodedata.normalize("NFKC", _without_format_chars(text)).translate(_QUOTES).casefold()


@lru_cache(maxsize=2048)
def _pattern(phrases: tuple[str, ...], plural: bool = False) -> re.Pattern[str]:
    """One regex for whole-word phrases; spaces and hyphens inside a phrase are interchangeable."""
    parts = [r"[\s\-]*".join(map(re.escape, re.split(r"[\s\-]+", _fold(p).strip()))) for p in phrases]
    body = "|".join(sorted(parts, key=len, reverse=True)) or r"(?!)"
    suffix = r"(?:e?s)?" if plural else ""
    return re.compile(rf"(?<!\w)(?:{body}){suffix}(?!\w)")


def _first(folded: str, phrases: Iterable[str], plural: bool = False) -> str | None:
    """The first phrase of the list (in list order) found in the text."""
    return next((p for p in phrases if _pattern((p,), plural).search(folded)), None)


def _count(folded: str, phrases: Iterable[str], plural: bool = False) -> int:
    """How many distinct phrases of the list occur in the text."""
    return sum(1 for p in phrases if _pattern((p,), plural).search(folded))


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _segments(text: str, separators: Iterable[str]) -> list[str]:
    """The parts of a headline between separators such as | or ·, ignoring empty parts."""
    splitter = "|".join(map(re.escape, separators)) or r"(?!)"
    return [s.strip() for s in re.split(splitter, text) if any(c.isalnum() for c in s)]


def _is_pictograph(cp: int) -> bool:
    return (
        (0x1F000 <= cp <= 0x1FAFF and not 0x1F3FB <= cp <= 0x1F3FF)
        or 0x2600 <= cp <= 0x27BF
        or (0x2B00 <= cp <= 0x2BFF)
    )


def count_emoji(text: str) -> int:
    """Emoji as a reader sees them: a ZWJ sequence or a flag (two regional indicators) counts once."""
    count, joined, flag_half = 0, False, False
    for ch in text:
        cp = ord(ch)
        if cp == 0x200D:
            joined = True
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            count += not flag_half
            flag_half = not flag_half
        elif _is_pictograph(cp):
            count += not joined
            flag_half = False
        elif unicodedata.category(ch) not in ("Mn", "Me"):  # variation selectors, keycaps
            flag_half = False
        joined = False
    return count


def _greeting(folded: str, greetings: tuple[str, ...], not_names: tuple[str, ...]) -> str:
    """'' for a greeting with a name, 'no_name' for 'Hi there', 'none' without a greeting."""
    match = _pattern(greetings).match(folded)
    if not match:
        return "none"
    following = _words(folded[match.end() :])
    name = following[0] if following else ""
    return "" if name[:1].isalpha() and name not in {_fold(n) for n in not_names} else "no_name"


def _capital_mid_sentence(plain: str, ignore: Iterable[str]) -> bool:
    """A capitalised word that does not start a sentence: a name, a place, an employer."""
    skip = {_fold(w) for w in ignore}
    previous_end = None
    for m in _WORD.finditer(plain):
        gap = plain[previous_end : m.start()] if previous_end is not None else None
        previous_end = m.end()
        starts_sentence = gap is None or any(c in gap for c in ".!?\n")
        if not starts_sentence and m.group()[:1].isupper() and _fold(m.group()) not in skip:
            return True
    return False


# --- the checks -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Draft:
    """The text under review, in the forms the checks need."""

    raw: str  # normalised, as counted
    plain: str  # without zero-width and bidi control characters, case kept
    folded: str  # plain, NFKC, straight quotes, casefolded: for word matching
    limit: int


@dataclass(frozen=True)
class Outcome:
    credit: float  # 0..1 of the rule's weight
    variant: str = ""  # which suggestion to show when credit < 1; "" = the rule's `suggestion`
    values: Mapping[str, Any] = field(default_factory=dict)  # placeholders for the message


PASS = Outcome(1.0)
FAIL = Outcome(0.0)

Check = Callable[..., Outcome]
CHECKS: dict[str, Check] = {}
VARIANTS: dict[str, frozenset[str]] = {}


def _check(*variants: str) -> Callable[[Check], Check]:
    """Register a check under its function name, with the variant suggestions it may ask for."""

    def register(fn: Check) -> Check:
        CHECKS[fn.__name__] = fn
        VARIANTS[fn.__name__] = frozenset(variants)
        return fn

    return register


@_check("over", "warn", "short")
def length(d: Draft, min_chars: int = 0, warn_at: int | None = None, warn_credit: float = 0.5) -> Outcome:
    """Over the kind's limit fails outright; over `warn_at` earns partial credit; under `min_chars` fails."""
    n = len(d.raw)
    if n > d.limit:
        return Outcome(0.0, "over")
    if warn_at is not None and n > warn_at:
        return Outcome(warn_credit, "warn", {"trim": n - warn_at})
    return Outcome(0.0, "short") if n < min_chars else PASS


@_check("status", "thin", "short")
def substance(
    d: Draft,
    status: tuple[str, ...],
    filler: tuple[str, ...],
    roles: tuple[str, ...],
    skills: tuple[str, ...],
    separators: tuple[str, ...],
    thin_words: int,
    title_words: int,
    min_chars: int,
) -> Outcome:
    """A headline must say more than 'open to work' or a bare job title."""
    left_over = _words(_pattern(status).sub(" ", d.folded))
    if _first(d.folded, status) and all(w in {_fold(f) for f in filler} for w in left_over):
        return Outcome(0.0, "status")
    if len(_segments(d.plain, separators)) <= 1:
        n = len(_words(d.folded))
        title_only = n <= title_words and _first(d.folded, roles, True) and not _first(d.folded, skills, True)
        if n <= thin_words or title_only:
            return Outcome(0.0, "thin")
    return Outcome(0.0, "short") if len(d.raw) < min_chars else PASS


@_check()
def has_any(d: Draft, words: tuple[str, ...], plural: bool = False) -> Outcome:
    """Passes when any of the words or phrases occurs."""
    return PASS if _first(d.folded, words, plural) else FAIL


@_check()
def avoid(d: Draft, words: tuple[str, ...], bare: tuple[str, ...] = ()) -> Outcome:
    """Fails on the first listed phrase found; `bare` words only count when not followed by 'about'."""
    found = _first(d.folded, words) or next(
        (w for w in bare if re.search(rf"{_pattern((w,)).pattern}(?!\s+about\b)", d.folded)), None
    )
    return Outcome(0.0, "", {"found": found}) if found else PASS


@_check("few")
def search_terms(
    d: Draft, words: tuple[str, ...], separators: tuple[str, ...], ignore: tuple[str, ...], min_count: int
) -> Outcome:
    """Skills a recruiter could search: listed skill words, or extra headline segments (not buzzwords)."""
    extra = [s for s in _segments(d.plain, separators)[1:] if not _first(_fold(s), ignore)]
    count = max(len(extra), _count(d.folded, words, plural=True))
    return _graded(count, min_count)


@_check("few")
def keywords(d: Draft, words: tuple[str, ...], min_count: int, labels: tuple[str, ...] = ()) -> Outcome:
    """Distinct role and skill words, plus labels such as 'Skills:' that introduce a list."""
    return _graded(_count(d.folded, words, plural=True) + _count(d.folded, labels), min_count)


def _graded(count: int, needed: int) -> Outcome:
    values = {"count": count, "need": max(0, needed - count)}
    if count >= needed:
        return Outcome(1.0, "", values)
    return Outcome(count / needed, "few" if count else "", values)


@_check("no_separator", "long_segment")
def readable(d: Draft, separators: tuple[str, ...], min_segments: int, max_words: int) -> Outcome:
    """Short parts split by separators scan quickly."""
    parts = _segments(d.plain, separators)
    if len(parts) < min_segments:
        return Outcome(0.0, "no_separator")
    if any(len(_words(p)) > max_words for p in parts):
        return Outcome(0.0, "long_segment", {"max": max_words})
    return PASS


@_check("caps", "exclaim")
def calm(d: Draft, min_letters: int, caps_share: float, max_exclaim: int) -> Outcome:
    """Not mostly capitals (short acronyms are fine), not a row of exclamation marks."""
    long_words = re.findall(r"[^\W\d_]{4,}", d.plain)
    letters = sum(map(len, long_words))
    upper = sum(c.isupper() for w in long_words for c in w)
    if letters >= min_letters and upper >= caps_share * letters:
        return Outcome(0.0, "caps")
    if d.plain.count("!") > max_exclaim:
        return Outcome(0.0, "exclaim")
    return PASS


@_check()
def emoji(d: Draft, max_count: int) -> Outcome:
    n = count_emoji(d.raw)
    return Outcome(1.0 if n <= max_count else 0.0, "", {"count": n, "max": max_count})


@_check("default")
def personal(
    d: Draft,
    default: tuple[str, ...],
    greetings: tuple[str, ...],
    not_names: tuple[str, ...],
    ignore: tuple[str, ...],
) -> Outcome:
    """Not LinkedIn's stock text, and some detail only this person would recognise."""
    if _first(d.folded, default):
        return Outcome(0.0, "default")
    specific = (
        _greeting(d.folded, greetings, not_names) == ""
        or re.search(r"\d", d.plain)
        or _capital_mid_sentence(d.plain, ignore)
    )
    return PASS if specific else FAIL


@_check("none", "no_name")
def greeting(
    d: Draft, greetings: tuple[str, ...], not_names: tuple[str, ...], no_name_credit: float = 0.5
) -> Outcome:
    """Opens with a greeting and the person's name."""
    status = _greeting(d.folded, greetings, not_names)
    return {"": PASS, "none": Outcome(0.0, "none")}.get(status, Outcome(no_name_credit, "no_name"))


@_check("generic", "vague", "long")
def hook(
    d: Draft, generic: tuple[str, ...], words: tuple[str, ...], preview: int, long_credit: float
) -> Outcome:
    """The part shown before 'see more' names a role, a skill or a result, without stock phrases."""
    first_sentence = re.split(r"(?<=[.!?])\s+|\n", d.folded, maxsplit=1)[0]
    if _first(first_sentence, generic):
        return Outcome(0.0, "generic")
    opening = d.folded[:preview]
    if not (re.search(r"\d", opening) or _first(opening, words, plural=True)):
        return Outcome(0.0, "vague")
    return Outcome(long_credit, "long") if len(first_sentence) > preview else PASS


_NUMBER = re.compile(r"[$€£¥]?\d+(?:[.,]\d+)*\s?%?")


@_check("few")
def numbers(d: Draft, min_count: int) -> Outcome:
    """Concrete results: figures, percentages, amounts."""
    return _graded(len(_NUMBER.findall(d.plain)), min_count)


@_check()
def paragraphs(d: Draft, block_over: int, min_paragraphs: int) -> Outcome:
    """Past `block_over` characters, the text needs line breaks between paragraphs."""
    if len(d.raw) <= block_over:
        return PASS
    lines = [line for line in d.plain.split("\n") if line.strip()]
    return PASS if len(lines) >= min_paragraphs else FAIL


# --- loading ----------------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except FileNotFoundError as exc:
        raise ValueError(f"{path}: file not found") from exc
    except tomllib.TOMLDecodeError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from exc


def _resolve(value: Any, where: str, facts: Mapping[str, int], vocab: Mapping[str, tuple[str, ...]]) -> Any:
    """'{fact_name}' becomes the number from facts.toml; '@list' becomes a [vocabulary] list."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            resolved = _resolve(item, where, facts, vocab)
            out.extend(resolved if isinstance(item, str) and item.startswith("@") else [resolved])
        return tuple(out)
    if isinstance(value, str) and value.startswith("@"):
        if value[1:] not in vocab:
            raise ValueError(f"{where}: unknown vocabulary list {value!r}")
        return vocab[value[1:]]
    if isinstance(value, str) and (m := _FACT_REF.match(value)):
        if m.group(1) not in facts:
            raise ValueError(f"{where}: unknown fact {value!r} (not in facts.toml)")
        return facts[m.group(1)]
    return value


def _validate_message(where: str, template: Any, facts: Mapping[str, int], samples: Mapping[str, Any]) -> str:
    if not isinstance(template, str) or not template.strip():
        raise ValueError(f"{where}: message must be a non-empty string")
    try:
        names = {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}
    except ValueError as exc:
        raise ValueError(f"{where}: bad placeholder syntax: {exc}") from exc
    unknown = sorted(names - facts.keys() - RUNTIME_FIELDS)
    if unknown:
        known = sorted(RUNTIME_FIELDS)
        raise ValueError(f"{where}: unknown placeholder(s) {unknown}; use facts.toml names or {known}")
    try:
        text = template.format_map({**facts, **samples})
    except (ValueError, TypeError) as exc:
        raise ValueError(f"{where}: cannot fill placeholders: {exc}") from exc
    if len(text) > MAX_MESSAGE:
        raise ValueError(f"{where}: message is {len(text)} characters at worst; the limit is {MAX_MESSAGE}")
    return template


def load_rules(content_dir: Path | None = None) -> Rules:
    """Read review.toml and facts.toml from `content_dir`, validate them, and return the rules.

    Raises ValueError naming the file and rule when anything is wrong: unknown check, kind, variant,
    fact or vocabulary list; parameters the check does not take; duplicate ids; a kind whose weights
    do not sum to 100; a message over 300 characters once its placeholders are filled.
    """
    directory = Path(content_dir) if content_dir is not None else CONTENT_DIR
    facts = _read_toml(directory / "facts.toml")
    bad_facts = [k for k, v in facts.items() if isinstance(v, bool) or not isinstance(v, int | float)]
    if bad_facts:
        raise ValueError(f"facts.toml: values must be numbers: {bad_facts}")
    data = _read_toml(directory / "review.toml")
    where = "review.toml"

    vocab: dict[str, tuple[str, ...]] = {}
    for name, words in data.get("vocabulary", {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{where}: [vocabulary] {name} must be a list of non-empty strings")
        vocab[name] = tuple(words)

    limits = {}
    for kind in KINDS:
        limit = _resolve(data.get("limits", {}).get(kind), f"{where} [limits] {kind}", facts, vocab)
        if not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"{where}: [limits] {kind} must name a positive limit from facts.toml")
        limits[kind] = limit

    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ValueError(f"{where}: no [[rules]] found")

    parsed: list[tuple[str, dict[str, Any]]] = []
    longest_term = 1
    seen: set[str] = set()
    for index, entry in enumerate(raw_rules):
        rule_id = entry.get("id")
        here = f"{where} rule {rule_id or f'#{index + 1}'}"
        if not isinstance(rule_id, str) or not _ID.match(rule_id):
            raise ValueError(f"{here}: id must be a kebab-case string")
        if rule_id in seen:
            raise ValueError(f"{here}: duplicate id")
        seen.add(rule_id)
        if entry.get("kind") not in KINDS:
            raise ValueError(f"{here}: kind must be one of {KINDS}")
        weight = entry.get("weight")
        if not isinstance(weight, int) or isinstance(weight, bool) or weight <= 0:
            raise ValueError(f"{here}: weight must be a positive whole number")
        check = entry.get("check")
        if check not in CHECKS:
            raise ValueError(f"{here}: unknown check {check!r}; known: {sorted(CHECKS)}")
        variants = entry.get("variants", {})
        if not isinstance(variants, dict) or not set(variants) <= VARIANTS[check]:
            raise ValueError(f"{here}: check {check!r} only has variants {sorted(VARIANTS[check])}")
        params = {
            k: _resolve(v, f"{here} {k}", facts, vocab) for k, v in entry.items() if k not in _KNOWN_RULE_KEYS
        }
        try:
            inspect.signature(CHECKS[check]).bind(None, **params)
        except TypeError as exc:
            raise ValueError(f"{here}: parameters do not fit check {check!r}: {exc}") from exc
        for value in params.values():
            if isinstance(value, tuple):
                longest_term = max([longest_term, *(len(v) for v in value if isinstance(v, str))])
        parsed.append((here, {**entry, "params": params, "variants": variants}))

    samples = dict.fromkeys(RUNTIME_FIELDS, 999_999_999) | {"found": "x" * longest_term}
    rules = tuple(
        Rule(
            id=e["id"],
            kind=e["kind"],
            weight=e["weight"],
            check=e["check"],
            params=MappingProxyType(e["params"]),
            strength=_validate_message(f"{here} strength", e.get("strength"), facts, samples),
            suggestion=_validate_message(f"{here} suggestion", e.get("suggestion"), facts, samples),
            variants=MappingProxyType(
                {
                    k: _validate_message(f"{here} variants.{k}", v, facts, samples)
                    for k, v in e["variants"].items()
                }
            ),
        )
        for here, e in parsed
    )
    for kind in KINDS:
        total = sum(r.weight for r in rules if r.kind == kind)
        if total != 100:
            raise ValueError(f"{where}: the weights of kind {kind!r} sum to {total}, not 100")

    empty_messages = data.get("empty", {})
    empty = {
        kind: _validate_message(f"{where} [empty] {kind}", empty_messages.get(kind), facts, samples)
        for kind in KINDS
    }
    return Rules(rules, MappingProxyType(limits), MappingProxyType(empty), MappingProxyType(dict(facts)))


@cache
def default_rules() -> Rules:
    return load_rules()


# --- review -----------------------------------------------------------------------------------------


def review(kind: str, text: str, rules: Rules | None = None) -> Review:
    """Score `text` as a `kind` ("headline", "invite" or "about"); never raises for any str.

    Text with no letters or digits (empty, whitespace, only symbols) scores 0 with one suggestion
    saying what to paste. Otherwise each rule of the kind, in review.toml order, gives one finding.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown review kind {kind!r}; expected one of {KINDS}")
    rules = default_rules() if rules is None else rules
    limit = rules.limits[kind]
    raw = normalise(text)
    n = len(raw)
    if not any(c.isalnum() for c in raw):
        message = rules.empty[kind].format_map({**rules.facts, "length": n, "limit": limit})
        return Review(kind, 0, (Finding(f"{kind}-empty", False, message, 100, 0.0),), n, limit)

    plain = _without_format_chars(raw)
    draft = Draft(raw=raw, plain=plain, folded=_fold(plain), limit=limit)
    findings = []
    for rule in rules.for_kind(kind):
        outcome = CHECKS[rule.check](draft, **rule.params)
        credit = min(1.0, max(0.0, outcome.credit))
        values = dict.fromkeys(RUNTIME_FIELDS, 0) | {"length": n, "limit": limit, "over": max(0, n - limit)}
        message = rule.template(credit >= 1, outcome.variant).format_map(
            {**rules.facts, **values, **outcome.values}
        )
        findings.append(Finding(rule.id, credit >= 1, message, rule.weight, round(rule.weight * credit, 2)))
    score = min(100, max(0, round(sum(f.earned for f in findings))))
    return Review(kind, score, tuple(findings), n, limit)
