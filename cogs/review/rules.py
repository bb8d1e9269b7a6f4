"""The /review rules: deterministic, explainable feedback on a headline, a connection note or an About.

The rules are data: ``bot/content/review.toml`` for English text and ``bot/content/review_fr.toml``
for French text. This module holds the small check functions the rules name, the loader that
validates both files, the language detector, and :func:`review`, which the cog calls. No Discord here.

Scoring. A rule has exactly one of:

* ``weight``: it earns ``round(weight * credit)`` points, credit 0..1 from its check; the weights of
  a kind sum to 100. Every such rule gives one line, a strength or a suggestion.
* ``penalty``: a fault. Its check returns how much of the fault is there (0..1); the line takes
  ``round(penalty * credit)`` points away, never more than what has been earned so far. Shown only
  when the fault is found.
* ``cap``: a ceiling. When its check applies, the line takes away whatever the score has above
  ``cap``. Shown only when it takes points.

Every line is a whole number of points and the score is exactly their sum (0..100), so each point
can be traced to a line. Strengths and suggestions quote the member's own words that triggered them
(escaped so that nothing pings or renders as markdown, and cut to a short excerpt).

Language. A text is reviewed with the French rules when more of its words are French function
words (de, la, je, vous, et…) than English ones (the, and, I, you…); on a tie (short headlines
have few such words) the side whose own vocabulary (role words, skills, status phrases, clichés)
matches more words wins; on a further tie, accented letters (é, è, à, ç…) mean French; else English.

Matching. Words match on word boundaries after case folding and accent stripping ("Infirmiere"
matches "infirmière"); an apostrophe does not end a word, so "I can" never matches "I can't". A
phrase's spaces and hyphens are interchangeable ("buy-in", "buy in"). In a phrase, ``{a|b}`` means
either word, ``*`` stands for up to three words, and a trailing ``*`` on a word matches its endings.

Length is ``len()`` of the text after normalisation (line endings unified, surrounding whitespace
stripped), i.e. Unicode code points. LinkedIn's editor runs in the browser, which may count an emoji
as two characters, so a text right at the limit with emoji may still be a little over there.
"""

from __future__ import annotations

import inspect
import itertools
import re
import string
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import rtoml

import bot.content as _content_package

KINDS = ("headline", "invite", "about")
LANGUAGES = ("en", "fr")
RULE_FILES = {"en": "review.toml", "fr": "review_fr.toml"}
MAX_MESSAGE = 420
CONTENT_DIR = Path(_content_package.__file__).parent  # bot/content: the review rules are content

# Placeholders filled per review; everything else in {braces} must be a name from facts.toml.
RUNTIME_FIELDS = frozenset({"length", "limit", "over", "trim", "count", "need", "max", "found", "quote"})
_KNOWN_RULE_KEYS = frozenset(
    {"id", "kind", "weight", "penalty", "cap", "ceiling", "share", "check", "strength", "suggestion", "variants"}
)
_ID = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
_FACT_REF = re.compile(r"^\{([a-z0-9_]+)\}$")

# Quotes of the member's text: at most this many excerpts per line, each at most this long.
QUOTE_MAX = 3
QUOTE_CHARS = 40
QUOTE_BUDGET = 100  # characters of quotes in one line, marks included


@dataclass(frozen=True)
class Finding:
    rule_id: str
    ok: bool  # True = strength, False = suggestion (a penalty or cap line is always a suggestion)
    message: str  # the strength, or the concrete suggestion with the fix, quoting the member's words
    weight: int  # the most a scored line can earn; for a penalty line, the most it can take
    earned: int  # points: 0..weight for a scored line, zero or negative for a penalty or cap line
    quotes: tuple[str, ...] = ()  # the member's words the line quotes, escaped and cut
    mode: str = "weight"  # "weight" (a scored line), "penalty" or "cap"

    @property
    def lost(self) -> int:
        """Points this line cost: what a scored line did not earn, or what a penalty or cap took."""
        return self.weight - self.earned if self.mode == "weight" else -self.earned


@dataclass(frozen=True)
class Review:
    kind: str
    score: int  # 0..100, the sum of the findings' points
    findings: tuple[Finding, ...]
    length: int  # characters counted, after normalisation
    limit: int
    language: str = "en"  # whose rules reviewed the text

    @property
    def strengths(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.ok)

    @property
    def suggestions(self) -> tuple[Finding, ...]:
        """What to fix, the costliest first (a major fault before a missing detail)."""
        pending = [f for f in self.findings if not f.ok]
        return tuple(sorted(pending, key=lambda f: -f.lost))


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    mode: str  # "weight" | "penalty" | "cap"
    points: int  # the weight, the penalty, or the cap
    ceiling: int | None  # a penalty may also hold the score to this at most (a major fault)
    share: float | None  # a penalty may take at most this share of the points earned so far
    check: str
    params: Mapping[str, Any]
    strength: str
    suggestion: str
    variants: Mapping[str, str]

    @property
    def weight(self) -> int:
        return self.points if self.mode == "weight" else 0

    def template(self, ok: bool, variant: str) -> str:
        return self.strength if ok else self.variants.get(variant, self.suggestion)


@dataclass(frozen=True)
class Roles:
    """How a language names jobs: listed titles, words that only look like them, and the shape of
    an unlisted title (its head noun's endings, and whether the head comes last or first)."""

    words: tuple[str, ...]
    not_roles: tuple[str, ...]
    partial: tuple[str, ...]
    suffixes: tuple[str, ...]
    not_heads: frozenset[str]
    head: str  # "last" (English: "Security Guard") or "first" (French: "Agente de sécurité")
    introducers: tuple[str, ...]  # "I'm a", "je suis": what usually comes before a title in prose
    connectors: frozenset[str]  # words inside a title ("de", "en"; "and" is not)


@dataclass(frozen=True)
class RuleSet:
    """The rules for text in one language."""

    language: str
    roles: Roles
    rules: tuple[Rule, ...]
    function_words: frozenset[str]
    vocabulary: Mapping[str, tuple[str, ...]]
    own_words: tuple[str, ...]  # the vocabulary used to break a language tie
    match: Mapping[str, Any]  # the [match] table: /review match's vocabulary (see cogs/review/match.py)

    def for_kind(self, kind: str) -> tuple[Rule, ...]:
        return tuple(rule for rule in self.rules if rule.kind == kind)


@dataclass(frozen=True)
class Rules:
    sets: Mapping[str, RuleSet]
    limits: Mapping[str, int]  # kind -> character limit, from facts.toml
    empty: Mapping[str, str]  # kind -> what to paste when the text is empty
    facts: Mapping[str, int]
    # The same for a reader of another language (the text has no words, so no language of its
    # own): language -> kind -> message, from that language's file's [empty] table.
    empty_for: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return tuple(rule for ruleset in self.sets.values() for rule in ruleset.rules)

    def for_kind(self, kind: str, language: str = "en") -> tuple[Rule, ...]:
        return self.sets[language].for_kind(kind)


# --- text -------------------------------------------------------------------------------------------

_QUOTES = {"\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "`": "'", "\u201c": '"', "\u201d": '"'}
_LIGATURES = {"œ": "oe", "æ": "ae", "ß": "ss"}
_DASHES = {"\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2212": "-"}  # hyphens; en and em dashes separate
_WORD = re.compile(r"[^\W_]+(?:['\-][^\W_]+)*")
_TOKEN = re.compile(r"[^\W_]+")


def normalise(text: str) -> str:
    """Unify line endings and strip surrounding whitespace; this is the text that gets counted."""
    return str(text).replace("\r\n", "\n").replace("\r", "\n").strip()


def _visible(text: str) -> str:
    """Drop zero-width, bidi and other control characters (Unicode Cf and Cc, but not \\n or \\t)."""
    return "".join(c for c in text if c in "\n\t" or unicodedata.category(c) not in ("Cf", "Cc"))


@lru_cache(maxsize=4096)
def _fold_char(c: str) -> str:
    if c in _QUOTES:
        return _QUOTES[c]
    if c in _DASHES:
        return "-"
    if c == "\u00a0" or c == "\u202f":
        return " "
    out = []
    for part in unicodedata.normalize("NFKD", c):
        if unicodedata.category(part) == "Mn":
            continue
        low = part.casefold()
        out.append("".join(_LIGATURES.get(x, x) for x in low))
    return "".join(out)


def fold(text: str) -> str:
    """Casefolded, accents stripped, quotes and dashes straightened: the form words are matched in."""
    return "".join(_fold_char(c) for c in text)


class Text:
    """A text in its shown form (`plain`) and its matching form (`folded`), with the map between."""

    def __init__(self, plain: str) -> None:
        self.plain = plain
        parts, index = [], []
        for i, c in enumerate(plain):
            f = _fold_char(c)
            parts.append(f)
            index.extend([i] * len(f))
        self.folded = "".join(parts)
        self._index = index
        starts, position = [], 0
        for part in parts:
            starts.append(position)
            position += len(part)
        starts.append(position)
        self._starts = starts

    def folded_span(self, start: int, end: int) -> tuple[int, int]:
        """The folded span that the plain span [start, end) became."""
        return (self._starts[start], self._starts[end])

    def original(self, start: int, end: int) -> tuple[int, int]:
        """The span of `plain` that the folded span [start, end) came from."""
        if end <= start or not self._index:
            return (0, 0)
        return (self._index[start], self._index[min(end, len(self._index)) - 1] + 1)

    def excerpt(self, start: int, end: int) -> str:
        a, b = self.original(start, end)
        return self.plain[a:b]


# --- phrases ----------------------------------------------------------------------------------------

_GAP = r"(?:[\s\-/]+[\w']+){0,3}"
_JOIN = r"[\s\-]+"
_END = r"(?!\w)(?!'(?!s(?!\w))\w)"  # an apostrophe does not end a word ("can't"), but "'s" does


def expand(phrase: str) -> list[str]:
    """'{happy|glad} to share' -> ['happy to share', 'glad to share']."""
    if "{" not in phrase:
        return [phrase]
    pieces = re.split(r"(\{[^{}]*\})", phrase)
    options = [p[1:-1].split("|") if p.startswith("{") else [p] for p in pieces]
    return [re.sub(r"\s+", " ", "".join(combo)).strip() for combo in itertools.product(*options)]


def _phrase_regex(phrase: str) -> str:
    tokens = [t for t in re.split(r"[\s\-]+", fold(phrase).strip()) if t]
    out: list[str] = []
    for token in tokens:
        if token == "*":
            out.append(_GAP)
            continue
        prefix = token.endswith("*") and len(token) > 1
        body = re.escape(token.rstrip("*")) + (r"\w*" if prefix else "")
        if out:
            out.append(r"\s*" if out[-1].endswith("'") else _JOIN)  # "d'emploi" and "d' emploi"
        out.append(body)
    return "".join(out)


@lru_cache(maxsize=4096)
def _pattern(phrases: tuple[str, ...], plural: str = "") -> re.Pattern[str]:
    """One regex for whole-word phrases; `plural` is an optional suffix such as '(?:e?s)?'."""
    parts = sorted({_phrase_regex(p) for p in phrases if p.strip()}, key=len, reverse=True)
    body = "|".join(parts) or r"(?!)"
    return re.compile(rf"(?<![\w])(?:{body}){plural}{_END}")


def _expand_all(phrases: Iterable[str]) -> tuple[str, ...]:
    return tuple(p for phrase in phrases for p in expand(phrase))


def find_all(folded: str, phrases: Sequence[str], plural: str = "") -> list[tuple[int, int]]:
    """Every non-overlapping match of any phrase, as folded spans, in text order."""
    if not phrases:
        return []
    return [m.span() for m in _pattern(tuple(phrases), plural).finditer(folded)]


def mask(folded: str, spans: Iterable[tuple[int, int]]) -> str:
    """The text with the spans blanked out (same length, so positions still line up)."""
    chars = list(folded)
    for a, b in spans:
        chars[a:b] = " " * (b - a)
    return "".join(chars)


# --- quoting ----------------------------------------------------------------------------------------

_MARKDOWN = re.compile(r"([\\*_~`|\[\]])")


def quote_excerpt(text: str, limit: int = QUOTE_CHARS) -> str:
    """The member's words made safe to show: no control characters, no markdown, no mentions, short."""
    clean = re.sub(r"\s+", " ", _visible(text)).strip()
    if len(clean) > limit:
        cut = clean[:limit]
        space = cut.rfind(" ")
        clean = (cut[:space] if space > limit // 2 else cut).rstrip(" ,;:-") + "…"
    clean = _MARKDOWN.sub(r"\\\1", clean)
    return clean.replace("@", "@\u200b").replace("<", "<\u200b")


def join_quotes(quotes: Sequence[str]) -> str:
    """“a”, “b”: as many of the quotes as fit in QUOTE_BUDGET characters (the first always does)."""
    out = ""
    for q in quotes[:QUOTE_MAX]:
        piece = f"“{q}”"
        if out and len(out) + 2 + len(piece) > QUOTE_BUDGET:
            break
        out = f"{out}, {piece}" if out else piece[:QUOTE_BUDGET]
    return out


# --- the draft under review ------------------------------------------------------------------------


@dataclass
class Draft:
    """The text under review, in the forms the checks need."""

    raw: str  # normalised, as counted
    text: Text  # visible characters, with the folded form and the map between them
    limit: int
    language: str
    plural: str  # the language's plural suffix regex
    roles: Roles
    outcomes: dict[str, Outcome] = field(default_factory=dict)  # earlier rules' outcomes, by rule id
    _role_cache: dict[Any, Any] = field(default_factory=dict)

    @property
    def plain(self) -> str:
        return self.text.plain

    @property
    def folded(self) -> str:
        return self.text.folded

    def spans(self, phrases: Sequence[str], plural: bool = False, within: str | None = None) -> list[tuple[int, int]]:
        return find_all(self.folded if within is None else within, phrases, self.plural if plural else "")


@dataclass(frozen=True)
class Outcome:
    credit: float  # 0..1 of the rule's points
    variant: str = ""  # which suggestion to show; "" = the rule's `suggestion`
    values: Mapping[str, Any] = field(default_factory=dict)  # placeholders for the message
    spans: tuple[tuple[int, int], ...] = ()  # folded spans of the member's words to quote


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


def _distinct(d: Draft, spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    """The first span of each distinct matched wording."""
    seen: dict[str, tuple[int, int]] = {}
    for a, b in spans:
        seen.setdefault(re.sub(r"[\s\-]+", " ", d.folded[a:b]), (a, b))
    return list(seen.values())


# --- segments (the parts of a headline) -----------------------------------------------------------


def _segments(d: Draft, separators: Sequence[str]) -> list[tuple[int, int]]:
    """The folded spans of the parts between separators such as | or ·, ignoring empty parts."""
    splitter = "|".join(re.escape(fold(s)) for s in separators if s.strip() or s == " - ") or r"(?!)"
    spans, start = [], 0
    for m in re.finditer(splitter, d.folded):
        spans.append((start, m.start()))
        start = m.end()
    spans.append((start, len(d.folded)))
    out = []
    for a, b in spans:
        while a < b and not d.folded[a].isalnum():
            a += 1
        while b > a and not d.folded[b - 1].isalnum() and d.folded[b - 1] not in "+)#":
            b -= 1
        if any(c.isalnum() for c in d.folded[a:b]):
            out.append((a, b))
    return out


def _inside(span: tuple[int, int], seg: tuple[int, int]) -> bool:
    return seg[0] <= span[0] and span[1] <= seg[1]


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


# Product and certificate names: acronyms (CPR, T4, A+), CamelCase (QuickBooks), letters with digits.
_TOOL = re.compile(
    r"(?<![\w])(?:[A-Z][A-Z0-9]{1,6}\+?|[A-Z]\+{1,2}|[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Za-z]+\d+[A-Za-z]*|\d+[A-Z]+)(?![\w])"
)


def _tools(d: Draft, blocked: str) -> list[tuple[int, int]]:
    """Folded spans of tool-like tokens not blanked in `blocked`, unless the text is all capitals."""
    letters = [c for c in d.plain if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) > 0.6 * len(letters):
        return []
    found: list[tuple[int, int]] = []
    for m in _TOOL.finditer(d.plain):
        a, b = d.text.folded_span(*m.span())
        if blocked[a:b].strip() != d.folded[a:b].strip() or (a, b) in found:
            continue
        if found and d.plain[d.text.original(*found[-1])[1] : m.start()] == " ":
            found[-1] = (found[-1][0], b)  # one name in two tokens: 'CompTIA A+', 'OSCAR EMR'
        else:
            found.append((a, b))
    return found


# --- the checks ------------------------------------------------------------------------------------


@_check("over", "warn", "short", "thin")
def length(
    d: Draft,
    min_chars: int = 0,
    full_chars: int = 0,
    warn_at: int | None = None,
    warn_credit: float = 0.5,
) -> Outcome:
    """Over the limit fails; over `warn_at` earns `warn_credit`; under `min_chars` fails; under
    `full_chars` earns half."""
    n = len(d.raw)
    if n > d.limit:
        return Outcome(0.0, "over")
    if warn_at is not None and n > warn_at:
        return Outcome(warn_credit, "warn", {"trim": n - warn_at})
    if n < min_chars:
        return Outcome(0.0, "short")
    if n < full_chars:
        return Outcome(0.5, "thin")
    return PASS


_TITLE_WORD = re.compile(r"[^\W\d_][\w'\-]*")


def _listed_roles(d: Draft, skills: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Listed job titles, once status phrases, self-praise ("hard worker") and skills are set aside."""
    key = ("listed", tuple(skills))
    if key not in d._role_cache:
        hidden = d.spans(d.roles.not_roles, plural=True) + d.spans(skills, plural=True)
        d._role_cache[key] = d.spans(d.roles.words, plural=True, within=mask(d.folded, hidden))
    found: list[tuple[int, int]] = d._role_cache[key]
    return found


def _looks_like_title(d: Draft, words: list[re.Match[str]]) -> tuple[int, int] | None:
    """The span of `words` if its head noun has a job-title ending ('-ist', '-eur'), else None."""
    if not words or len(words) > 4:
        return None
    head = words[-1] if d.roles.head == "last" else words[0]
    word = head.group()
    if word in d.roles.not_heads or len(word) < 5:
        return None
    if not any(word.endswith(suffix) for suffix in d.roles.suffixes):
        return None
    return (words[0].start(), words[-1].end())


def _guessed_roles(d: Draft, separators: Sequence[str]) -> list[tuple[int, int]]:
    """Unlisted titles: a short first part of a headline, or the words after "I'm a" / "je suis",
    whose head noun ends like a job title ('Hairstylist', 'Esthéticienne')."""
    key = ("guessed", tuple(separators))
    if key in d._role_cache:
        cached: list[tuple[int, int]] = d._role_cache[key]
        return cached
    blocked = mask(d.folded, d.spans(d.roles.not_roles, plural=True) + d.spans(d.roles.partial, plural=True))
    found: list[tuple[int, int]] = []
    segments = _segments(d, separators) if separators else []
    if segments:
        a, b = segments[0]
        words = list(_TITLE_WORD.finditer(blocked, a, b))
        span = _looks_like_title(d, words) if blocked[a:b].strip() == d.folded[a:b].strip() else None
        if span:
            found.append(span)
    for _, b in d.spans(d.roles.introducers, within=blocked):
        words = []
        for m in _TITLE_WORD.finditer(blocked, b):
            if blocked[words[-1].end() if words else b : m.start()].strip() or len(words) == 3:
                break
            words.append(m)
        for n in range(len(words), 0, -1):
            span = _looks_like_title(d, words[:n])
            if span:
                found.append(span)
                break
    d._role_cache[key] = found
    return found


def _role_spans(d: Draft, separators: Sequence[str] = (), skills: Sequence[str] = ()) -> list[tuple[int, int]]:
    """Every job title found, listed or guessed, in text order."""
    listed = _listed_roles(d, skills)
    guessed = [g for g in _guessed_roles(d, separators) if not any(a < g[1] and g[0] < b for a, b in listed)]
    return sorted(listed + guessed)


def _title_spans(d: Draft, separators: Sequence[str]) -> list[tuple[int, int]]:
    """Each title with the words that belong to it ('Retail Sales Associate', 'Technicienne en paie'):
    a skill inside a title is part of the job's name, not a separate search term."""
    out = []
    folded = d.folded
    for a, b in _role_spans(d, separators):
        if d.roles.head == "last":
            start = a
            for _ in range(3):
                m = re.search(r"([^\W_][\w'\-+]*)[ \-]$", folded[:start])
                if not m or m.group(1) in d.roles.connectors or m.group(1) in STOP_BEFORE_TITLE:
                    break
                start = m.start(1)
            out.append((start, b))
        else:
            end = b
            for _ in range(4):
                m = re.match(r"[ \-]+([^\W\d_][\w'\-]*)", folded[end:])
                if not m:
                    break
                end += m.end()
            out.append((a, end))
    return out


STOP_BEFORE_TITLE = frozenset({"a", "an", "the", "and", "or", "with", "who", "i'm", "am", "as", "my", "your"})


@_check("later", "partial", "guess")
def role(
    d: Draft,
    skills: tuple[str, ...] = (),
    separators: tuple[str, ...] = (),
    later_credit: float = 0.5,
    partial_credit: float = 0.3,
    guess_credit: float = 0.7,
) -> Outcome:
    """A job title a recruiter would search, best in the first part of a headline."""
    listed = _listed_roles(d, skills)
    segments = _segments(d, separators) if separators else [(0, len(d.folded))]
    lead = segments[0] if segments else (0, len(d.folded))

    def segment_of(span: tuple[int, int]) -> tuple[int, int]:
        return next((seg for seg in segments if _inside(span, seg)), span)

    titles = _title_spans(d, separators)

    def title_of(span: tuple[int, int]) -> tuple[int, int]:
        """The title as written ('Licensed 309A Electrician'), within its part of the headline."""
        seg = segment_of(span)
        return next((t for t in titles if t[0] <= span[0] and span[1] <= t[1] and _inside(t, seg)), span)

    first = [s for s in listed if _inside(s, lead)]
    if first:
        return Outcome(1.0, "", spans=(title_of(first[0]),))
    guessed = _guessed_roles(d, separators)
    if guessed:
        return Outcome(guess_credit, "guess", spans=(guessed[0],))
    if listed:
        return Outcome(later_credit, "later", spans=(title_of(listed[0]),))
    blocked = mask(d.folded, d.spans(d.roles.not_roles, plural=True))
    weak = d.spans(d.roles.partial, plural=True, within=blocked)
    if weak:
        return Outcome(partial_credit, "partial", spans=(weak[0],))
    return FAIL


def _skill_terms(
    d: Draft, skills: Sequence[str], not_skills: Sequence[str], separators: Sequence[str], max_words: int
) -> list[tuple[int, int]]:
    """Search terms: listed skills and tool names outside the job title, and (beside a role) the
    other short parts of a headline."""
    hidden = d.spans(not_skills, plural=True)
    at = [m.span() for m in re.finditer(r"(?<![\w])(?:at|au|chez|with|for|pour|@)\s+\S+", d.folded)]
    blocked = mask(d.folded, hidden)
    titles = _title_spans(d, separators)
    terms = [
        t for t in _distinct(d, d.spans(skills, plural=True, within=blocked)) if not any(_inside(t, x) for x in titles)
    ]
    for span in _tools(d, mask(blocked, terms)):
        in_title = any(_inside(span, x) for x in titles)
        employer = any(_inside(span, x) for x in at)
        if not in_title and not employer and not any(a <= span[0] < b for a, b in terms):
            terms.append(span)
    role_spans = _role_spans(d, separators)
    if separators and role_spans:
        for seg in _segments(d, separators)[1:]:
            text = blocked[seg[0] : seg[1]]
            if not text.strip() or not any(c.isalpha() for c in text):
                continue
            if any(_inside(t, seg) for t in terms) or any(_inside(r, seg) for r in role_spans):
                continue
            if any(a < seg[1] and seg[0] < b for a, b in hidden):
                continue
            if len(_words(text)) <= max_words:
                terms.append(seg)
    return sorted(terms)


@_check("few")
def skill_terms(
    d: Draft,
    skills: tuple[str, ...],
    not_skills: tuple[str, ...],
    separators: tuple[str, ...] = (),
    steps: tuple[float, ...] = (0.4, 0.7, 1.0),
    max_words: int = 4,
) -> Outcome:
    """Skills, tools and certificates a recruiter could search for (graded by how many)."""
    terms = _skill_terms(d, skills, not_skills, separators, max_words)
    n = len(terms)
    credit = steps[min(n, len(steps)) - 1] if n else 0.0
    values = {"count": n, "need": max(0, len(steps) - n)}
    return Outcome(credit, "few" if 0 < credit < 1 else "", values, tuple(terms))


@_check()
def keyword_list(d: Draft, separators: tuple[str, ...], min_parts: int, max_parts: int) -> Outcome:
    """A fault: a list of keywords with no role leading it, or too many parts to scan."""
    segments = _segments(d, separators)
    found = _role_spans(d, separators)
    lead_role = bool(segments) and any(_inside(s, segments[0]) for s in found)
    n = len(segments)
    if (n >= min_parts and not lead_role) or n >= max_parts:
        return Outcome(1.0, "", {"count": n}, tuple(segments[:QUOTE_MAX]))
    return FAIL


@_check()
def specific(
    d: Draft,
    words: tuple[str, ...],
    skills: tuple[str, ...] = (),
    proper_nouns: bool = False,
    durations: tuple[str, ...] = (),
    ignore: tuple[str, ...] = (),
    employer_words: tuple[str, ...] = (),
) -> Outcome:
    """Some detail only this person has: a setting, clientele, certificate, language, place, an
    employer ('at Loblaw'), a percentage or amount, or how long they've done the work."""
    hits = d.spans(words, plural=True)
    for a, b in d.spans(employer_words):
        start = d.text.original(a, b)[1]
        name = re.match(r"\s+([^\W\d_][\w&'\-]*)", d.plain[start:])
        if name and name.group(1)[:1].isupper():
            hits.append((a, d.text.folded_span(start, start + name.end())[1]))
    hits += [m.span() for m in re.finditer(r"(?<![\w])(?:[$€£]\s?\d+|\d+(?:[.,]\d+)?\s?(?:%|\+|\$))", d.folded)]
    if durations:
        after = _pattern(tuple(durations))
        hits += [
            (m.start(), m.end() + k.end())
            for m in re.finditer(r"(?<![\w.,\-])\d+(?:[.,]\d+)?\s?", d.folded)
            if (k := after.match(d.folded, m.end()))
        ]
    if proper_nouns:
        known = d.spans(skills, plural=True) + d.spans(d.roles.words, plural=True) + d.spans(ignore)
        hits += _proper_nouns(d, known)
    return Outcome(1.0, "", spans=tuple(sorted(hits)[:1])) if hits else FAIL


def _proper_nouns(d: Draft, known: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    """Capitalised words that do not start a sentence and are not a known skill, role or tool."""
    out = []
    previous_end: int | None = None
    for m in _WORD.finditer(d.plain):
        gap = d.plain[previous_end : m.start()] if previous_end is not None else None
        previous_end = m.end()
        starts = gap is None or any(c in gap for c in ".!?:\n•·|")
        word = m.group()
        if starts or not word[:1].isupper() or len(word) < 2:
            continue
        folded_word = fold(word)
        for fm in re.finditer(rf"(?<![\w]){re.escape(folded_word)}(?![\w])", d.folded):
            if not any(a <= fm.start() < b for a, b in known):
                out.append(fm.span())
            break
    return out


@_check("no_separator", "long_segment", "long")
def readable(d: Draft, separators: tuple[str, ...], max_words: int, max_parts: int, sentence_words: int) -> Outcome:
    """Short parts scan quickly: no part over `max_words`, no more than `max_parts` parts."""
    segments = _segments(d, separators)
    n_words = len(_words(d.folded))
    if len(segments) <= 1 and n_words > sentence_words:
        return Outcome(0.0, "no_separator")
    long = [s for s in segments if len(_words(d.folded[s[0] : s[1]])) > max_words]
    if len(segments) > 1 and long:
        return Outcome(0.0, "long_segment", {"max": max_words}, (long[0],))
    if len(segments) > max_parts:
        return Outcome(0.0, "long", {"count": len(segments), "max": max_parts})
    return PASS


_EXCLAIM_RUN = re.compile(r"!{2,}")


def _shouting(d: Draft, min_letters: int, caps_share: float) -> bool:
    long_words = re.findall(r"[^\W\d_]{4,}", d.plain)
    letters = sum(map(len, long_words))
    upper = sum(c.isupper() for w in long_words for c in w)
    return letters >= min_letters and upper >= caps_share * letters


@_check("caps", "exclaim", "emoji")
def calm(d: Draft, min_letters: int, caps_share: float, max_exclaim: int, emoji_run: int = 0) -> Outcome:
    """Not mostly capitals (acronyms are fine), no run of exclamation marks, no run of emoji."""
    if _shouting(d, min_letters, caps_share):
        return Outcome(0.0, "caps", spans=((0, min(len(d.folded), 30)),))
    run = _EXCLAIM_RUN.search(d.folded)
    if run or d.plain.count("!") > max_exclaim:
        return Outcome(0.0, "exclaim")
    if emoji_run and longest_emoji_run(d.raw) >= emoji_run:
        return Outcome(0.0, "emoji", {"count": longest_emoji_run(d.raw)})
    return PASS


@_check("caps", "exclaim", "emoji")
def loud(d: Draft, min_letters: int, caps_share: float, emoji_run: int) -> Outcome:
    """A fault: capitals throughout, '!!!', or a run of emoji."""
    if _shouting(d, min_letters, caps_share):
        return Outcome(1.0, "caps")
    if _EXCLAIM_RUN.search(d.folded):
        return Outcome(1.0, "exclaim")
    if longest_emoji_run(d.raw) >= emoji_run:
        return Outcome(1.0, "emoji", {"count": longest_emoji_run(d.raw)})
    return FAIL


def _is_pictograph(cp: int) -> bool:
    return (
        (0x1F000 <= cp <= 0x1FAFF and not 0x1F3FB <= cp <= 0x1F3FF)
        or 0x2600 <= cp <= 0x27BF
        or (0x2B00 <= cp <= 0x2BFF)
    )


def _emoji_positions(text: str) -> list[int]:
    """Where each emoji starts, as a reader sees them: a ZWJ sequence or a flag counts once."""
    starts, joined, flag_half = [], False, False
    for i, ch in enumerate(text):
        cp = ord(ch)
        if cp == 0x200D:
            joined = True
            continue
        if 0x1F1E6 <= cp <= 0x1F1FF:
            if not flag_half:
                starts.append(i)
            flag_half = not flag_half
        elif _is_pictograph(cp):
            if not joined:
                starts.append(i)
            flag_half = False
        elif unicodedata.category(ch) not in ("Mn", "Me", "Sk"):  # variation selectors, keycaps, tones
            flag_half = False
        joined = False
    return starts


def count_emoji(text: str) -> int:
    """Emoji as a reader sees them: a ZWJ sequence or a flag (two regional indicators) counts once."""
    return len(_emoji_positions(text))


def longest_emoji_run(text: str) -> int:
    """The most emoji in a row (spaces between them do not break the run)."""
    best = run = 0
    last = -1
    for pos in _emoji_positions(text):
        between = text[last + 1 : pos] if last >= 0 else "x"
        run = run + 1 if last >= 0 and all(not c.isalnum() and c not in ".,;:!?" for c in between) else 1
        best = max(best, run)
        last = pos
    return best


@_check()
def emoji(d: Draft, max_count: int) -> Outcome:
    n = count_emoji(d.raw)
    return Outcome(1.0 if n <= max_count else 0.0, "", {"count": n, "max": max_count})


@_check()
def has_any(
    d: Draft,
    words: tuple[str, ...],
    plural: bool = False,
    hide: tuple[str, ...] = (),
    patterns: tuple[str, ...] = (),
    question: bool = False,
) -> Outcome:
    """Passes when any of the words or phrases occurs (outside the `hide` phrases), or one of the
    regular expressions `patterns` matches the folded text, or (with `question`) a sentence asks
    something."""
    within = mask(d.folded, d.spans(hide, plural=True)) if hide else d.folded
    found = d.spans(words, plural, within=within)
    found += [m.span() for rx in patterns for m in re.finditer(rx, within)]
    if question:  # a real question: three words or more once the hidden phrases are blanked
        found += [m.span() for m in re.finditer(r"[^.!?\n]*\?", within) if len(_TOKEN.findall(m.group())) >= 3]
    found = [span for span in found if within[span[0] : span[1]].strip()]
    return Outcome(1.0, "", spans=(min(found),)) if found else FAIL


@_check()
def fault(
    d: Draft,
    words: tuple[str, ...],
    hits: int = 1,
    plural: bool = False,
    hide: tuple[str, ...] = (),
    unless: tuple[str, ...] = (),
) -> Outcome:
    """A fault, worse with each distinct phrase found, full at `hits` phrases; none at all when one
    of the `unless` phrases says the context makes it fine (a note to a recruiter may name a role)."""
    if unless and d.spans(unless, plural=True):
        return FAIL
    within = mask(d.folded, d.spans(hide, plural=True)) if hide else None
    found = _distinct(d, d.spans(words, plural, within=within))
    if not found:
        return FAIL
    return Outcome(min(1.0, len(found) / hits), "", {"count": len(found)}, tuple(found))


def _greeting(d: Draft, greetings: Sequence[str], not_names: Sequence[str]) -> tuple[str, tuple[int, int] | None]:
    """('', span) for a greeting with a name, ('no_name', span) for 'Hi there', ('none', None)."""
    match = _pattern(tuple(greetings)).match(d.folded)
    if not match:
        return "none", None
    rest = d.folded[match.end() :]
    following = re.match(r"[\s,]*([^\W\d_][\w'\-]*)", rest)
    if not following:
        return "no_name", match.span()
    start = match.end() + following.start(1)
    word = following.group(1)
    shown = d.text.excerpt(start, start + len(word))
    skip = {fold(n) for n in not_names}
    if word in skip or not shown[:1].isupper():
        return "no_name", match.span()
    name_end = start + len(word)
    nxt = re.match(r"\.?\s+([^\W\d_][\w'\-]*)", d.folded[name_end:])
    if nxt and d.text.excerpt(name_end + nxt.start(1), name_end + nxt.end(1))[:1].isupper():
        name_end += nxt.end(1)
    return "", (match.start(), name_end)


@_check("none", "no_name")
def greeting(d: Draft, greetings: tuple[str, ...], not_names: tuple[str, ...], no_name_credit: float = 0.5) -> Outcome:
    """Opens with a greeting and the person's name."""
    status, span = _greeting(d, greetings, not_names)
    if status == "":
        return Outcome(1.0, "", spans=(span,) if span else ())
    if status == "none":
        return Outcome(0.0, "none")
    return Outcome(no_name_credit, "no_name", spans=(span,) if span else ())


@_check("default", "template")
def personal(
    d: Draft,
    default: tuple[str, ...],
    greetings: tuple[str, ...],
    not_names: tuple[str, ...],
    ignore: tuple[str, ...],
    details: tuple[str, ...],
    templates: tuple[str, ...] = (),
    hide: tuple[str, ...] = (),
) -> Outcome:
    """Not LinkedIn's stock text nor a mass-mail opener, and a detail only this person would recognise
    (a job ask such as 'my CV' is no such detail: the `hide` phrases are set aside)."""
    stock = d.spans(default)
    if stock:
        return Outcome(0.0, "default", spans=(stock[0],))
    template = d.spans(templates)
    if template:
        return Outcome(0.0, "template", spans=(template[0],))
    status, span = _greeting(d, greetings, not_names)
    if status == "" and span:
        return Outcome(1.0, "", spans=(span,))
    known = d.spans(ignore, plural=True) + d.spans(hide, plural=True)
    greeting_span = [span] if span else []
    hits = _proper_nouns(d, known + greeting_span) + d.spans(details)
    return Outcome(1.0, "", spans=(sorted(hits)[0],)) if hits else FAIL


@_check("generic", "vague", "long", "short")
def hook(
    d: Draft,
    generic: tuple[str, ...],
    words: tuple[str, ...],
    preview: int,
    long_credit: float,
    short_under: int,
    short_credit: float,
) -> Outcome:
    """The part shown before 'see more' names a role, a skill or a result, without stock phrases."""
    first = re.split(r"(?<=[.!?])\s+|\n", d.folded, maxsplit=1)[0]
    stock = d.spans(generic, plural=True, within=first)
    if stock:
        return Outcome(0.0, "generic", spans=(stock[0],))
    opening = d.folded[:preview]
    found = d.spans(words, plural=True, within=opening)
    if not found:
        return Outcome(0.0, "vague")
    spans = ((0, len(first)),)
    if len(d.raw) < short_under:
        return Outcome(short_credit, "short", spans=spans)
    return Outcome(long_credit, "long", spans=spans) if len(first) > preview else Outcome(1.0, "", spans=spans)


# Numbers that are not results: phone numbers, dates, times, e-mail and web addresses are masked first.
_PHONE = re.compile(r"(?<![\w])(?:\+?1[\s.\-]?)?(?:\(\d{3}\)|\d{3})[\s.\-]\d{3}[\s.\-]\d{4}(?![\w])")
_EMAIL = re.compile(r"[\w.+\-]+@[\w\-]+(?:\.[\w\-]+)+")
_URL = re.compile(r"(?:https?://|www\.)\S+|\b[\w\-]+\.(?:com|ca|org|net|io|dev)(?:/\S*)?")
_TIME = re.compile(r"(?<![\w])\d{1,2}(?:[:h]\d{2}|\s?(?:am|pm))(?![\w])")
_NUMBER = re.compile(
    r"(?<![\w.,])(?:[$€£]\s?)?"
    r"(?:\d{1,3}(?:[ ,\u00a0]\d{3})+|\d+)(?:[.,]\d+)?"  # 12,000 or 40 000 or 250 or 2.5
    r"(?:\s?[kKmM](?![\w]))?(?=[\s%$+.,;:!?)\]/]|$)"
)


@_check("few")
def results(
    d: Draft,
    min_count: int,
    outcomes: tuple[str, ...],
    number_words: tuple[str, ...],
    not_results: tuple[str, ...],
    dates: tuple[str, ...],
    durations: tuple[str, ...],
    units: tuple[str, ...],
    window: int = 6,
) -> Outcome:
    """Results: figures tied to an outcome ('cut errors by 30%', 'trained 12 new hires').

    Not results: phone numbers, dates and years, times, versions and product names (Windows 11),
    and durations of experience ('8 years'); those are context at most.
    """
    folded = d.folded
    hidden = [m.span() for rx in (_PHONE, _EMAIL, _URL, _TIME) for m in rx.finditer(folded)]
    hidden += d.spans(dates, plural=True) + d.spans(not_results, plural=True)
    duration = _pattern(tuple(durations))
    blocked = mask(folded, hidden)
    candidates = [m.span() for m in _NUMBER.finditer(blocked)] + d.spans(number_words, within=blocked)
    outcome_spans = d.spans(outcomes, plural=True, within=blocked)
    unit_spans = d.spans(units, within=blocked)
    found: list[tuple[int, int]] = []
    for a, b in sorted(candidates):
        token = blocked[a:b]
        digits = re.sub(r"\D", "", token)
        if re.fullmatch(r"(19[5-9]\d|20[0-4]\d)", digits or "") and not re.search(r"[$€£%]", token):
            continue  # a year
        before = d.plain[max(0, d.text.original(a, b)[0] - 1) : d.text.original(a, b)[0]]
        if before == "-" or (b < len(folded) and folded[b : b + 1] == "-"):
            continue  # '40-person', 'CPR-C', ranges of years
        if _after_product(d, a):
            continue
        if duration.match(re.sub(r"^[\s+]*", "", folded[b : b + 12])):
            continue  # '8 years': how long, not what changed
        clause_start = max([0] + [m.end() for m in re.finditer(r"[.;!?\n]", folded[:a])])
        clause_end_m = re.search(r"[.;!?\n]", folded[b:])
        clause_end = b + clause_end_m.start() if clause_end_m else len(folded)
        left = _word_window(folded, clause_start, a, window, left=True)
        right = _word_window(folded, b, clause_end, window, left=False)
        near = [s for s in outcome_spans if left <= s[0] and s[1] <= right]
        unit = any(a <= s[0] and s[1] <= b + 3 for s in unit_spans) or re.search(r"[$€£%]", token)
        after = folded[b : b + 3]
        if unit or "%" in after or "$" in after or near:
            found.append((a, b))
    return _graded(len(found), min_count, tuple(_clause(d, s) for s in found[:QUOTE_MAX]))


def _clause(d: Draft, span: tuple[int, int]) -> tuple[int, int]:
    """A few words around a figure, for the quote."""
    folded = d.folded
    a = span[0]
    left = [m.start() for m in _TOKEN.finditer(folded[max(0, a - 40) : a])]
    start = max(0, a - 40) + left[-2] if len(left) >= 2 else (max(0, a - 40) + left[0] if left else a)
    sentence_start = max([0] + [m.end() for m in re.finditer(r"[.;!?\n,]", folded[:a])])
    start = max(start, sentence_start)
    right = list(_TOKEN.finditer(folded, span[1]))
    end = right[1].end() if len(right) >= 2 and right[1].start() - span[1] < 30 else span[1]
    if right and right[0].start() - span[1] <= 2:
        end = max(end, right[0].end())
    stop = re.search(r"[.;!?\n,]", folded[span[1] :])
    if stop:
        end = min(end, span[1] + stop.start()) if span[1] + stop.start() > span[1] else end
    while start < a and not folded[start].isalnum() and folded[start] not in "$€£":
        start += 1
    return (start, max(end, span[1]))


def _word_window(text: str, lo: int, hi: int, n: int, left: bool) -> int:
    tokens = list(_TOKEN.finditer(text, lo, hi))
    if not tokens:
        return hi if left else lo
    if left:
        return tokens[-n].start() if len(tokens) >= n else tokens[0].start()
    return tokens[n - 1].end() if len(tokens) >= n else tokens[-1].end()


def _after_product(d: Draft, folded_start: int) -> bool:
    """A number right after a capitalised name mid-sentence is a version or model (Windows 11)."""
    start = d.text.original(folded_start, folded_start + 1)[0]
    before = d.plain[:start]
    m = re.search(r"([^\W\d_][\w+.]*)\s+$", before)
    if not m:
        return False
    word = m.group(1)
    if not word[:1].isupper():
        return False
    preceding = before[: m.start()].rstrip()
    return bool(preceding) and preceding[-1] not in ".!?:\n•·|-"


def _graded(count: int, needed: int, spans: tuple[tuple[int, int], ...] = ()) -> Outcome:
    values = {"count": count, "need": max(0, needed - count)}
    if count >= needed:
        return Outcome(1.0, "", values, spans)
    return Outcome(count / needed, "few" if count else "", values, spans)


@_check("few")
def keywords(
    d: Draft,
    words: tuple[str, ...],
    min_count: int,
    labels: tuple[str, ...] = (),
    not_skills: tuple[str, ...] = (),
) -> Outcome:
    """Distinct role and skill words and tool names, plus labels such as 'Skills:' that introduce a list."""
    blocked = mask(d.folded, d.spans(not_skills, plural=True))
    terms = _distinct(d, d.spans(words, plural=True, within=blocked))
    for span in _tools(d, mask(blocked, terms)) + _guessed_roles(d, ()):
        if not any(a < span[1] and span[0] < b for a, b in terms):
            terms.append(span)
    label = d.spans(labels)
    return _graded(len(terms) + bool(label), min_count, tuple(sorted(terms)[:QUOTE_MAX]))


@_check()
def call_to_action(d: Draft, words: tuple[str, ...], contact_words: tuple[str, ...]) -> Outcome:
    """A way to reach you: 'message me', 'Contact Jane at …', an e-mail address, 'call' and a number."""
    found = d.spans(words)
    if found:
        return Outcome(1.0, "", spans=(found[0],))
    email = _EMAIL.search(d.folded)
    if email:
        return Outcome(1.0, "", spans=(email.span(),))
    phone = _PHONE.search(d.folded)
    if phone and d.spans(contact_words, within=d.folded[max(0, phone.start() - 40) : phone.start()]):
        return Outcome(1.0, "", spans=(phone.span(),))
    return FAIL


@_check("short")
def paragraphs(d: Draft, block_over: int, min_paragraphs: int, short_under: int, short_credit: float) -> Outcome:
    """Past `block_over` characters, the text needs line breaks between paragraphs."""
    n = len(d.raw)
    if n < short_under:
        return Outcome(short_credit, "short")
    if n <= block_over:
        return PASS
    lines = [line for line in d.plain.split("\n") if line.strip()]
    return PASS if len(lines) >= min_paragraphs else FAIL


@_check()
def lacks(d: Draft, rules: tuple[str, ...]) -> Outcome:
    """A cap applies when none of the named rules earned anything and no role is named."""
    earned = any(d.outcomes.get(rule_id, FAIL).credit > 0 for rule_id in rules)
    return FAIL if earned or _role_spans(d) else PASS


# --- language --------------------------------------------------------------------------------------

_ACCENTED = re.compile(r"[àâçéèêëîïôûùüÿœæ]", re.IGNORECASE)
_A_GRAVE = re.compile(r"(?<![\w'])[àÀ](?![\w'])")


_DETECT_TOKEN = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_ELISION = re.compile(r"(?<![\w'])(?:l|d|j|qu|n|c|s|m|t|jusqu|lorsqu|puisqu)'(?=[^\W\d_])")


def detect_language(text: str, rules: Rules | None = None) -> str:
    """'fr' or 'en', by function words, then each language's own vocabulary, then accents.

    An elided article or pronoun (l', d', j', qu') counts as a French function word; a word of two
    or three capitals is an acronym ("EN/FR"), not a function word; other words
    are split at apostrophes ("I'm" is "i" and "m") but not at hyphens ("De-escalation" is one
    word, not the French "de"). Vocabulary counts only the words one language's lists
    match and the other's do not ("Excel" is in both, so it decides nothing).
    """
    rules = default_rules() if rules is None else rules
    plain = _visible(normalise(text))
    folded = fold(plain)
    elided = _ELISION.findall(folded)  # l'emploi, d'un, j'ai, qu'il: French whatever follows
    # a short word in capitals is an acronym ('EN/FR', 'IT'), not a function word, unless all is capitals
    shouting = sum(c.isupper() for c in plain) > 0.6 * max(1, sum(c.isalpha() for c in plain))
    if not shouting:
        folded = fold(re.sub(r"(?<![\w'])[A-Z]{2,3}(?![\w'])", " ", plain))
    tokens = _DETECT_TOKEN.findall(_ELISION.sub(" ", folded).replace("'", " "))
    counts = {lang: sum(t in rs.function_words for t in tokens) for lang, rs in rules.sets.items()}
    counts["fr"] = counts.get("fr", 0) + len(elided)
    # The French preposition "à" folds to "a", which is English's article: written with its
    # accent, it is French ("Soins à domicile").
    grave = len(_A_GRAVE.findall(plain))
    if grave and "fr" in counts and "en" in rules.sets and "a" in rules.sets["en"].function_words:
        counts["fr"] += grave
        counts["en"] = max(0, counts.get("en", 0) - grave)
    if counts.get("fr", 0) != counts.get("en", 0):
        return "fr" if counts.get("fr", 0) > counts.get("en", 0) else "en"
    matched = {lang: _distinct_words(folded, rs) for lang, rs in rules.sets.items()}
    own = {
        lang: len(words - set().union(*(w for other, w in matched.items() if other != lang)))
        for lang, words in matched.items()
    }
    if own.get("fr", 0) != own.get("en", 0):
        return "fr" if own.get("fr", 0) > own.get("en", 0) else "en"
    return "fr" if _ACCENTED.search(plain) else "en"


def _distinct_words(folded: str, ruleset: RuleSet) -> set[str]:
    plural = ruleset.vocabulary["__plural__"][0]
    return {re.sub(r"(?:e?s|x)$", "", folded[a:b]) for a, b in find_all(folded, ruleset.own_words, plural)}


# --- loading ----------------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    """A rules file's TOML, parsed with rtoml (Rust) for start-up's sake, as the content is."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as exc:
        raise ValueError(f"{path}: file not found") from exc
    try:
        return rtoml.loads(text)
    except rtoml.TomlParsingError as exc:
        raise ValueError(f"{path}: invalid TOML: {exc}") from exc


def _is_reference(value: Any) -> bool:
    """'@name' names a [vocabulary] list; a bare '@' is just the character."""
    return isinstance(value, str) and len(value) > 1 and value.startswith("@") and value[1:].replace("_", "a").isalnum()


def _resolve(value: Any, where: str, facts: Mapping[str, int], vocab: Mapping[str, tuple[str, ...]]) -> Any:
    """'{fact_name}' becomes the number from facts.toml; '@list' becomes a [vocabulary] list."""
    if isinstance(value, list):
        out: list[Any] = []
        for item in value:
            resolved = _resolve(item, where, facts, vocab)
            if _is_reference(item):
                out.extend(resolved)
            elif isinstance(resolved, str):
                out.extend(expand(resolved))
            else:
                out.append(resolved)
        return tuple(out)
    if _is_reference(value):
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


def _vocabulary(data: Mapping[str, Any], where: str) -> dict[str, tuple[str, ...]]:
    vocab: dict[str, tuple[str, ...]] = {}
    for name, words in data.get("vocabulary", {}).items():
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{where}: [vocabulary] {name} must be a list of non-empty strings")
        items: list[str] = []
        for w in words:
            if _is_reference(w):
                if w[1:] not in vocab:
                    raise ValueError(f"{where}: [vocabulary] {name} names {w!r} before it is defined")
                items.extend(vocab[w[1:]])
            else:
                items.extend(expand(w))
        vocab[name] = tuple(items)
    return vocab


def _load_ruleset(
    language: str, data: Mapping[str, Any], where: str, facts: Mapping[str, int], samples: Mapping[str, Any]
) -> RuleSet:
    vocab = _vocabulary(data, where)
    lang_table = data.get("language", {})
    function_words = lang_table.get("function_words")
    if not isinstance(function_words, list) or not function_words:
        raise ValueError(f"{where}: [language] function_words must list the language's common words")
    own = _resolve(lang_table.get("own_words", []), f"{where} [language] own_words", facts, vocab)
    roles = _load_roles(data.get("roles"), where, facts, vocab)
    match = _load_match(data.get("match"), where)

    raw_rules = data.get("rules")
    if not isinstance(raw_rules, list) or not raw_rules:
        raise ValueError(f"{where}: no [[rules]] found")
    seen: set[str] = set()
    rules = []
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
        modes = [m for m in ("weight", "penalty", "cap") if m in entry]
        if len(modes) != 1:
            raise ValueError(f"{here}: give exactly one of weight, penalty or cap")
        mode = modes[0]
        points = entry[mode]
        if (
            not isinstance(points, int)
            or isinstance(points, bool)
            or not (points > 0 if mode != "cap" else 0 <= points < 100)
        ):
            raise ValueError(f"{here}: {mode} must be a positive whole number")
        ceiling = entry.get("ceiling")
        if ceiling is not None and (
            mode != "penalty" or not isinstance(ceiling, int) or isinstance(ceiling, bool) or not 0 <= ceiling < 100
        ):
            raise ValueError(f"{here}: ceiling is a whole number 0..99 and only goes with a penalty")
        share = entry.get("share")
        if share is not None and (mode != "penalty" or not isinstance(share, int | float) or not 0 < share <= 1):
            raise ValueError(f"{here}: share is a number in (0, 1] and only goes with a penalty")
        check = entry.get("check")
        if check not in CHECKS:
            raise ValueError(f"{here}: unknown check {check!r}; known: {sorted(CHECKS)}")
        variants = entry.get("variants", {})
        if not isinstance(variants, dict) or not set(variants) <= VARIANTS[check]:
            raise ValueError(f"{here}: check {check!r} only has variants {sorted(VARIANTS[check])}")
        params = {
            k: tuple(v) if k == "patterns" and isinstance(v, list) else _resolve(v, f"{here} {k}", facts, vocab)
            for k, v in entry.items()
            if k not in _KNOWN_RULE_KEYS
        }
        for rx in params.get("patterns", ()):
            try:
                re.compile(rx)
            except re.error as exc:
                raise ValueError(f"{here}: pattern {rx!r} is not a valid regular expression: {exc}") from exc
        try:
            inspect.signature(CHECKS[check]).bind(None, **params)
        except TypeError as exc:
            raise ValueError(f"{here}: parameters do not fit check {check!r}: {exc}") from exc
        rules.append(
            Rule(
                id=rule_id,
                kind=entry["kind"],
                mode=mode,
                points=points,
                ceiling=ceiling,
                share=share,
                check=check,
                params=MappingProxyType(params),
                strength=_validate_message(f"{here} strength", entry.get("strength"), facts, samples),
                suggestion=_validate_message(f"{here} suggestion", entry.get("suggestion"), facts, samples),
                variants=MappingProxyType(
                    {k: _validate_message(f"{here} variants.{k}", v, facts, samples) for k, v in variants.items()}
                ),
            )
        )
    for kind in KINDS:
        total = sum(r.points for r in rules if r.kind == kind and r.mode == "weight")
        if total != 100:
            raise ValueError(f"{where}: the weights of kind {kind!r} sum to {total}, not 100")
    for rule in rules:
        for ref in rule.params.get("rules", ()) if rule.check == "lacks" else ():
            if ref not in seen:
                raise ValueError(f"{where} rule {rule.id}: names unknown rule {ref!r}")
    plural = lang_table.get("plural", "(?:e?s)?")
    try:
        re.compile(plural)
    except re.error as exc:
        raise ValueError(f"{where}: [language] plural is not a valid pattern: {exc}") from exc
    return RuleSet(
        language=language,
        roles=roles,
        rules=tuple(rules),
        function_words=frozenset(fold(w) for w in function_words),
        vocabulary=MappingProxyType({**vocab, "__plural__": (plural,)}),
        own_words=tuple(own),
        match=match,
    )


# The [match] table: every key a list of phrases, except these.
MATCH_KEYS = frozenset(
    {
        "stemmer",
        "tools",
        "certifications",
        "skills",
        "aliases",
        "stopwords",
        "verbs",
        "requirements",
        "duties",
        "assets",
        "perks",
        "perk_words",
        "places",
        "employer_before",
        "employer_after",
    }
)
STEMMERS = ("english", "french")


def _load_match(table: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [match] is missing")
    unknown = sorted(set(table) - MATCH_KEYS)
    missing = sorted(MATCH_KEYS - set(table))
    if unknown or missing:
        raise ValueError(f"{where}: [match] has unknown keys {unknown} or lacks {missing}")
    if table["stemmer"] not in STEMMERS:
        raise ValueError(f"{where}: [match] stemmer must be one of {STEMMERS}")
    out: dict[str, Any] = {"stemmer": table["stemmer"]}
    for key in sorted(MATCH_KEYS - {"stemmer", "aliases"}):
        words = table[key]
        if not isinstance(words, list) or not all(isinstance(w, str) and w.strip() for w in words):
            raise ValueError(f"{where}: [match] {key} must be a list of non-empty strings")
        out[key] = tuple(fold(w).strip() for w in words)
    aliases = table["aliases"]
    if not isinstance(aliases, list) or not all(
        isinstance(pair, list) and len(pair) == 2 and all(isinstance(w, str) and w.strip() for w in pair)
        for pair in aliases
    ):
        raise ValueError(f"{where}: [match] aliases must be a list of [term, same-meaning term] pairs")
    out["aliases"] = tuple((fold(a).strip(), fold(b).strip()) for a, b in aliases)
    return MappingProxyType(out)


_ROLE_KEYS = {
    "words": "list",
    "not_roles": "list",
    "partial": "list",
    "suffixes": "list",
    "not_heads": "list",
    "introducers": "list",
    "connectors": "list",
    "head": "str",
}


def _load_roles(table: Any, where: str, facts: Mapping[str, int], vocab: Mapping[str, tuple[str, ...]]) -> Roles:
    if not isinstance(table, dict):
        raise ValueError(f"{where}: [roles] is missing")
    unknown = sorted(set(table) - set(_ROLE_KEYS))
    missing = sorted(set(_ROLE_KEYS) - set(table))
    if unknown or missing:
        raise ValueError(f"{where}: [roles] has unknown keys {unknown} or lacks {missing}")
    values = {k: _resolve(v, f"{where} [roles] {k}", facts, vocab) for k, v in table.items()}
    for key, kind in _ROLE_KEYS.items():
        value = values[key]
        ok = (
            isinstance(value, str)
            if kind == "str"
            else isinstance(value, tuple) and all(isinstance(v, str) and v.strip() for v in value)
        )
        if not ok:
            raise ValueError(f"{where}: [roles] {key} must be a {'string' if kind == 'str' else 'list of words'}")
    if values["head"] not in ("first", "last"):
        raise ValueError(f"{where}: [roles] head must be 'first' or 'last'")
    return Roles(
        words=values["words"],
        not_roles=values["not_roles"],
        partial=values["partial"],
        suffixes=tuple(fold(x) for x in values["suffixes"]),
        not_heads=frozenset(fold(x) for x in values["not_heads"]),
        head=values["head"],
        introducers=values["introducers"],
        connectors=frozenset(fold(x) for x in values["connectors"]),
    )


def load_rules(content_dir: Path | None = None) -> Rules:
    """Read review.toml, review_fr.toml and facts.toml from `content_dir`, validate, return the rules.

    Raises ValueError naming the file and rule when anything is wrong: unknown check, kind, variant,
    fact or vocabulary list; parameters the check does not take; duplicate ids; a kind whose weights
    do not sum to 100; a message too long once its placeholders are filled.
    """
    directory = Path(content_dir) if content_dir is not None else CONTENT_DIR
    facts = _read_toml(directory / "facts.toml")
    bad_facts = [k for k, v in facts.items() if isinstance(v, bool) or not isinstance(v, int | float)]
    if bad_facts:
        raise ValueError(f"facts.toml: values must be numbers: {bad_facts}")
    files = {lang: _read_toml(directory / name) for lang, name in RULE_FILES.items()}
    main = files["en"]
    where = RULE_FILES["en"]

    limits = {}
    for kind in KINDS:
        limit = _resolve(main.get("limits", {}).get(kind), f"{where} [limits] {kind}", facts, {})
        if not isinstance(limit, int) or limit <= 0:
            raise ValueError(f"{where}: [limits] {kind} must name a positive limit from facts.toml")
        limits[kind] = limit

    quote_sample = "q" * QUOTE_BUDGET
    samples = dict.fromkeys(RUNTIME_FIELDS, 999_999_999) | {"found": quote_sample, "quote": quote_sample}
    sets = {lang: _load_ruleset(lang, data, RULE_FILES[lang], facts, samples) for lang, data in files.items()}

    empty_messages = main.get("empty", {})
    empty = {
        kind: _validate_message(f"{where} [empty] {kind}", empty_messages.get(kind), facts, samples) for kind in KINDS
    }
    empty_for: dict[str, Mapping[str, str]] = {"en": MappingProxyType(empty)}
    for lang, data in files.items():
        if lang == "en":
            continue
        messages = data.get("empty", {})  # every kind, as in review.toml
        empty_for[lang] = MappingProxyType(
            {
                kind: _validate_message(f"{RULE_FILES[lang]} [empty] {kind}", messages.get(kind), facts, samples)
                for kind in KINDS
            }
        )
    return Rules(
        MappingProxyType(sets),
        MappingProxyType(limits),
        MappingProxyType(empty),
        MappingProxyType(dict(facts)),
        MappingProxyType(empty_for),
    )


@cache
def default_rules() -> Rules:
    return load_rules()


# --- review -----------------------------------------------------------------------------------------


def _half_up(x: float) -> int:
    return int(x + 0.5) if x >= 0 else -int(-x + 0.5)


def review(
    kind: str, text: str, rules: Rules | None = None, language: str | None = None, *, reader: str | None = None
) -> Review:
    """Score `text` as a `kind` ("headline", "invite" or "about"); never raises for any str.

    Text with no letters or digits (empty, whitespace, only symbols) scores 0 with one suggestion
    saying what to paste, in the `reader`'s language ("fr"; English by default). Otherwise the
    text's language picks the rules; each scored rule of the kind gives one line, and each
    penalty or cap that applies adds one.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown review kind {kind!r}; expected one of {KINDS}")
    rules = default_rules() if rules is None else rules
    limit = rules.limits[kind]
    raw = normalise(text)
    n = len(raw)
    if not any(c.isalnum() for c in _visible(raw)):
        template = rules.empty_for.get(reader or "en", rules.empty)[kind]
        message = template.format_map({**rules.facts, "length": n, "limit": limit})
        return Review(kind, 0, (Finding(f"{kind}-empty", False, message, 100, 0),), n, limit)

    lang = language if language is not None and language in rules.sets else detect_language(raw, rules)
    if lang not in rules.sets:  # a rules directory with one language only
        lang = next(iter(rules.sets))
    ruleset = rules.sets[lang]
    plural = ruleset.vocabulary["__plural__"][0]
    draft = Draft(raw=raw, text=Text(_visible(raw)), limit=limit, language=lang, plural=plural, roles=ruleset.roles)
    base = dict.fromkeys(RUNTIME_FIELDS, 0) | {"length": n, "limit": limit, "over": max(0, n - limit)}

    findings: list[Finding] = []
    total = 0
    for rule in ruleset.for_kind(kind):
        outcome = CHECKS[rule.check](draft, **rule.params)
        draft.outcomes[rule.id] = outcome
        credit = min(1.0, max(0.0, outcome.credit))
        quotes = tuple(q for q in (quote_excerpt(draft.text.excerpt(a, b)) for a, b in outcome.spans[:QUOTE_MAX]) if q)
        values = {**rules.facts, **base, **outcome.values, "quote": join_quotes(quotes)}
        values["found"] = values["quote"]
        if rule.mode == "weight":
            earned = _half_up(rule.points * credit)
            total += earned
            message = rule.template(credit >= 1, outcome.variant).format_map(values)
            findings.append(Finding(rule.id, credit >= 1, message, rule.points, earned, quotes, "weight"))
            continue
        if credit <= 0:
            continue
        if rule.mode == "penalty":
            taken = _half_up(rule.points * credit)
            if rule.share is not None:
                taken = min(taken, int(total * rule.share))
            if rule.ceiling is not None:
                taken = max(taken, total - rule.ceiling)
            taken = min(total, taken)
        else:  # cap
            taken = max(0, total - rule.points)
            if taken == 0:
                continue
        total -= taken
        message = rule.template(False, outcome.variant).format_map(values)
        weight = rule.points if rule.mode == "penalty" else taken
        findings.append(Finding(rule.id, False, message, weight, -taken, quotes, rule.mode))
    return Review(kind, total, tuple(findings), n, limit, lang)
