"""/review match: a job posting's key terms, which of them a profile shows, and where to add the rest.

The method, in one sentence: key terms are the posting's known skills, tools, certifications and
job titles (Linkwise's word lists), names written like products or credentials (T4, Ceridian
Dayforce, CompTIA A+) and short noun phrases from its duty and requirement lines, ranked by kind,
by how often they appear and by where (title and requirements count most, perks not at all); a
term is in the profile when its stemmed words (Snowball stemmer, English or French) appear there
in order, or a known synonym does.

Deterministic and pure: no Discord, no storage, no network. The posting's language (detected as for
/review) picks the stemmer and the word lists, which live in the ``[match]`` table of
``bot/content/review.toml`` and ``review_fr.toml``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from cogs.review.limits import POSTING_MAX, POSTING_MIN, PROFILE_MAX, PROFILE_MIN, SHOWN  # noqa: F401 - the same sizes, as before
from cogs.review.rules import (
    Rules,
    RuleSet,
    Text,
    _visible,
    default_rules,
    detect_language,
    find_all,
    fold,
    normalise,
)

KEY_TERMS = 20  # the most important terms the coverage is measured on

# How much a term weighs by kind, and by the part of the posting it appears in.
BASE = {"role": 3.2, "certification": 3.0, "tool": 3.0, "skill": 2.4, "name": 2.4, "phrase": 1.3}
SECTION = {"title": 1.6, "requirements": 1.4, "duties": 1.2, "intro": 0.9, "assets": 0.9, "perks": 0.1}
PLACES = ("headline", "skills", "certifications", "about")

# Words that mark a term as a certificate or licence.
_CERT_MARK = re.compile(
    r"(?<!\w)(?:certif\w*|licen[cs]\w*|designation|ticket|card|abstract|check|permis|carte|attestation|"
    r"dep|dec|aec|diplom\w*)(?!\w)"
)
_TOKEN = re.compile(r"[a-z0-9][a-z0-9+#]*(?:['./\-][a-z0-9+#]+)*\+*")
_CAPS_WORD = re.compile(r"[A-Z][\w+#]*(?:[.\-/][\w+#]+)*\+*")
_TOOL_SHAPE = re.compile(
    r"(?<![\w])(?:[A-Z][A-Z0-9]{1,6}\+{0,2}|[A-Z]\+{1,2}|[A-Z][a-z]+[A-Z][A-Za-z]*|[A-Za-z]+\d+[A-Za-z]*|\d+[A-Z]+)(?![\w])"
)


@dataclass(frozen=True)
class Term:
    text: str  # as first written in the posting (with its acronym, when the posting gives one)
    stems: tuple[str, ...]
    also: tuple[tuple[str, ...], ...]  # the stems of its synonyms
    kind: str  # "role" | "certification" | "tool" | "skill" | "name" | "phrase"
    weight: float
    present: bool
    place: str  # one of PLACES: where to add it when missing

    @property
    def label(self) -> str:
        return self.text


@dataclass(frozen=True)
class Match:
    language: str
    coverage: int  # percent of the key terms' weight the profile shows
    terms: tuple[Term, ...]  # key terms, most important first

    @property
    def present(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if t.present)

    @property
    def missing(self) -> tuple[Term, ...]:
        return tuple(t for t in self.terms if not t.present)


@cache
def _stemmer(language: str) -> Any:  # snowballstemmer ships no type information
    # Imported on first use: the package imports every language's stemmer (80 ms of a start-up).
    import snowballstemmer

    return snowballstemmer.stemmer(language)


_WORDS = re.compile(r"[^\W_][\w+#]*(?:['./\-][\w+#]+)*\+*")
# French feminine and plural endings, folded, read as the masculine singular before stemming, so
# 'préposée', 'preposee' and 'préposé' are one word, as are 'infirmière' and 'infirmier'.
_FRENCH_ENDINGS = (
    (re.compile(r"(?<=\w{3})iennes?$"), "ien"),
    (re.compile(r"(?<=\w{3})ieres?$"), "ier"),
    (re.compile(r"(?<=\w{3})trices?$"), "teur"),
    (re.compile(r"(?<=\w{3})euses?$"), "eur"),
    (re.compile(r"(?<=\w{3})ives?$"), "if"),
    (re.compile(r"(?<=\w{3})elles?$"), "el"),
    (re.compile(r"(?<=\w{3})ees?$"), "e"),
    (re.compile(r"(?<=\w{3}[^e])eres?$"), "er"),
)


def _stem(token: str, language: str) -> str:
    """The stem of a folded (accent-free) token; the same for every way of typing the word."""
    if re.search(r"\d", token):
        return re.sub(r"(?<=\d)s$|(?<=[a-z]\d)s$", "", token)  # T4s -> t4
    if language == "french":
        for pattern, ending in _FRENCH_ENDINGS:
            if pattern.search(token):
                token = pattern.sub(ending, token)
                break
    return str(_stemmer(language).stemWord(token))


def stems_of(phrase: str, language: str) -> tuple[str, ...]:
    """The stems of a phrase's words; hyphenated and slashed words split into their parts."""
    out: list[str] = []
    for m in _WORDS.finditer(fold(_visible(phrase))):
        for part in re.split(r"[\-/.](?=\w)", m.group().strip("'")):
            part = part.strip("'")
            if re.match(r"(?:l|d|qu|j|n|s|c|m|t)'", part):
                part = part.split("'", 1)[1]
            if part:
                out.append(_stem(part, language))
    return tuple(out)


# --- the posting's parts -------------------------------------------------------------------------


def _heading(line: str, cfg: dict) -> str | None:
    """The part of the posting a heading line starts, or None when the line is not a heading."""
    text = re.sub(r"[^\w\s'’\-+]", " ", fold(line)).strip()
    words = text.split()
    if not words or len(words) > 7:
        return None
    colon = line.rstrip().endswith(":") or len(words) <= 4
    for part in ("requirements", "duties", "assets", "perks"):
        for phrase in cfg[part]:
            if text == phrase or (colon and text.startswith(phrase) and len(words) <= len(phrase.split()) + 2):
                return part
    return None


@dataclass
class _Line:
    start: int  # folded offsets of the line
    end: int
    part: str


_BULLET = re.compile(r"^\s*(?:[-•*·–—▪●◦]|\d+[.)])\s*")
# French inclusive forms: "Technicien(ne)", "Préposé(e)", "Agent·e" read as the first form.
_INCLUSIVE = re.compile(
    r"(?<=[^\W\d_])(?:\((?:e|ne|se|euse|trice|rice|ere|ère|le|fe|ve|s|es)\)|[·.](?:e|ne|se)(?![\w]))"
)


def _readable(posting: str) -> str:
    return _INCLUSIVE.sub("", _visible(normalise(posting)))


def _lines(text: Text, cfg: dict) -> list[_Line]:
    out: list[_Line] = []
    part = "intro"
    position = 0
    first = True
    for raw in text.plain.split("\n"):
        a, b = text.folded_span(position, position + len(raw))
        position += len(raw) + 1
        if not raw.strip():
            continue
        if first:
            first = False
            if len(raw.split()) <= 12:
                out.append(_Line(a, b, "title"))
                continue
        heading = _heading(raw, cfg)
        if heading:
            part = heading
            inline = re.match(r"[^:]{1,60}:\s*(\S.*)$", raw)
            if inline:  # "Requirements: SQL, Excel" carries terms on the same line
                out.append(_Line(b - len(fold(inline.group(1))), b, part))
            continue
        line_part = part
        folded_line = fold(raw)
        outside_brackets = re.sub(r"\([^)]*\)", " ", folded_line)  # '(Network+ an asset)' is not the line
        if re.search(r"\b(?:an? (?:strong )?asset|un atout|serait un atout|nice to have|a plus)\b", outside_brackets):
            line_part = "assets"
        if not _BULLET.match(raw) and find_all(folded_line, cfg["perk_words"], "(?:e?s)?"):
            line_part = "perks"  # "We offer dental…", "Company truck provided."
        out.append(_Line(a, b, line_part))
    return out


def _part_at(lines: Sequence[_Line], position: int) -> str | None:
    for line in lines:
        if line.start <= position < line.end:
            return line.part
    return None


# --- candidates ------------------------------------------------------------------------------------


@dataclass
class _Candidate:
    stems: tuple[str, ...]
    kind: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)
    text: str = ""


def _employers(text: Text, cfg: dict) -> list[tuple[int, int]]:
    """Folded spans of the employer's name: capitalised words next to 'Join', 'at', 'is hiring'."""
    out = []
    for m in re.finditer(r"(?:[A-Z][\w&'’.\-]*)(?:[ \t]+(?:&[ \t]+)?[A-Z][\w&'’.\-]*)*", text.plain):
        a, b = text.folded_span(*m.span())
        before = text.folded[max(0, a - 16) : a]
        after = text.folded[b : b + 16]
        cue_before = any(re.search(rf"(?<!\w){re.escape(c)}\s+$", before) for c in cfg["employer_before"])
        cue_after = any(re.match(rf"[\s,]+{re.escape(c)}(?!\w)", after) for c in cfg["employer_after"])
        suffix = re.search(
            r"(?:inc|ltd|llp|corp|group|groupe|foods|logistics|grocers|electric|freight|"
            r"learning|health|union|manufacturing|child care|bistro)\.?$",
            text.folded[a:b],
        )
        if cue_before or cue_after or suffix:
            out.append((a, b))
    return out


def _strip(words: list[re.Match[str]], cfg: dict, leading_verbs: bool) -> list[re.Match[str]]:
    stop = set(cfg["stopwords"])
    verbs = set(cfg["verbs"])
    while words and (words[0].group() in stop or (leading_verbs and words[0].group() in verbs)):
        words = words[1:]
    while words and words[-1].group() in stop:
        words = words[:-1]
    return words


def _candidates(text: Text, lines: Sequence[_Line], ruleset: RuleSet, language: str) -> list[_Candidate]:
    cfg = dict(ruleset.match)
    folded = text.folded
    found: dict[tuple[str, ...], _Candidate] = {}
    blocked = [s for s in _employers(text, cfg)]
    places = set(cfg["places"])

    def add(a: int, b: int, kind: str) -> None:
        part = _part_at(lines, a)
        if part is None or any(x <= a < y for x, y in blocked):
            return
        surface = folded[a:b].strip(" -/.'")
        if not surface or surface in places or surface in cfg["stopwords"] or re.fullmatch(r"[\d\s.,%$+]+", surface):
            return
        stems = stems_of(text.excerpt(a, b), language)
        if not stems:
            return
        cand = found.setdefault(stems, _Candidate(stems, kind))
        if _rank(kind) > _rank(cand.kind):
            cand.kind = kind
        if not any(s == (a, b) for s in cand.spans):
            cand.spans.append((a, b))
            cand.parts.append(part)

    plural = ruleset.vocabulary["__plural__"][0]
    listed = [
        (ruleset.roles.words, "role"),
        (cfg["certifications"], "certification"),
        (cfg["tools"], "tool"),
        (cfg["skills"] + ruleset.vocabulary.get("skills", ()), "skill"),
    ]
    hits = []
    for phrases, kind in listed:
        for a, b in find_all(folded, tuple(phrases), plural):
            if kind == "role":
                a, b = _title(folded, a, b, cfg, ruleset.roles.head, ruleset.function_words, text.excerpt)
            hits.append((a, b, kind))
    # Where listed terms overlap, the longer wins ('food handler certificate' over the role 'handler').
    hits.sort(key=lambda h: (-(h[1] - h[0]), -_rank(h[2]), h[0]))
    chosen: list[tuple[int, int, str]] = []
    for a, b, kind in hits:
        if not any(x < b and a < y for x, y, _ in chosen):
            chosen.append((a, b, kind))
    for a, b, kind in sorted(chosen):
        add(a, b, kind)
    taken = sorted(s for c in found.values() for s in c.spans)

    # Names written like products or credentials: T4, CompTIA A+, Ceridian Dayforce, Power BI.
    for m in _TOOL_SHAPE.finditer(text.plain):
        a, b = text.folded_span(*m.span())
        if not any(x <= a < y for x, y in taken) and not text.plain[m.start() : m.end()].isdigit():
            add(a, b, "name")
    for line in lines:
        plain_a = text.original(line.start, line.end)[0] if line.end > line.start else 0
        plain_b = text.original(line.start, line.end)[1] if line.end > line.start else 0
        segment = text.plain[plain_a:plain_b]
        if segment.isupper():
            continue
        for m in re.finditer(r"(?<![\w])[A-Z][\w+#]*(?:\s+[A-Z][\w+#]*){1,3}", segment):
            words = list(_CAPS_WORD.finditer(m.group()))
            # a sentence's first word is capitalised anyway: drop it unless the next word is a name too
            start_of_sentence = re.search(r"(?:^|[.!?:•\-–]\s*)$", segment[: m.start()]) is not None
            if start_of_sentence and fold(words[0].group()) in set(cfg["verbs"]) | set(cfg["stopwords"]):
                words = words[1:]
            if len(words) >= 2:
                a, b = text.folded_span(plain_a + m.start() + words[0].start(), plain_a + m.start() + words[-1].end())
                if not any(x < b and a < y for x, y in taken):
                    add(a, b, "name")

    # Short noun phrases from the duty and requirement lines.
    for line in lines:
        if line.part not in ("title", "duties", "requirements", "assets"):
            continue
        for clause in re.finditer(r"[^,;:.()•\n]+", folded[line.start : line.end]):
            base = line.start + clause.start()
            words = list(_TOKEN.finditer(clause.group()))
            run: list[re.Match[str]] = []
            for w in [*words, None]:
                known = w is not None and any(x < base + w.end() and base + w.start() < y for x, y in taken)
                if w is not None and not known and w.group() not in cfg["stopwords"] and not w.group().isdigit():
                    run.append(w)
                    continue
                run = _strip(run, cfg, leading_verbs=True)
                while run and re.search(r"(?:ed|ly)$", run[-1].group()) and len(run[-1].group()) > 4:
                    run = run[:-1]  # 'station stocked', 'clearly': not a noun phrase
                if run:
                    run = run[-3:] if ruleset.roles.head == "last" else run[:3]
                    a, b = base + run[0].start(), base + run[-1].end()
                    if not any(x <= a and b <= y for x, y in taken):
                        add(a, b, "phrase")
                run = []
    return list(found.values())


_TITLE_STOP = frozenset(
    {
        "a",
        "an",
        "the",
        "valid",
        "experienced",
        "strong",
        "excellent",
        "new",
        "our",
        "your",
        "hiring",
        "seeking",
        "looking",
        "is",
        "are",
        "as",
        "une",
        "un",
        "des",
        "nos",
        "notre",
        "cherche",
        "recrute",
        "embauche",
        "jour",
        "soir",
        "nuit",
        "semaine",
        "temps",
        "plein",
        "partiel",
        "heure",
        "poste",
        "emploi",
        "ete",
    }
)


def _title(
    folded: str,
    a: int,
    b: int,
    cfg: dict[str, Any],
    head: str,
    function_words: frozenset[str],
    plain_of: Any = None,
) -> tuple[int, int]:
    """A job title with the words that belong to it: 'Payroll Administrator', 'Analyste de données'."""
    stop = set(function_words) | set(cfg["places"]) | _TITLE_STOP
    if head == "first":
        stop |= set(cfg["verbs"])  # French verbs are infinitives; English ones double as nouns ('support')
    if head == "last":
        for _ in range(3):
            m = re.search(r"([a-z0-9][\w'\-+]*)[ \-]$", folded[:a])
            if not m:
                break
            shown = plain_of(m.start(1), m.end(1)) if plain_of else ""
            acronym = len(shown) >= 2 and shown.isupper()  # 'IT' in 'IT Support Technician'
            if m.group(1) in stop and not acronym:
                break
            a = m.start(1)
        return a, b
    for _ in range(3):
        m = re.match(r"(\s+(?:de|d'|du|des|en|aux|au|a la|a l')\s*)?([a-z][\w'\-]*)", folded[b:])
        if not m or m.group(2) in stop - {"de", "en", "au", "aux", "du", "des"} or m.group(2) in ("et", "ou", "pour"):
            break
        if not m.group(1) and not folded[b : b + 1].isspace():
            break
        b += m.end()
    return a, b


def _rank(kind: str) -> int:
    return ["phrase", "name", "skill", "tool", "certification", "role"].index(kind)


def _kind(cand: _Candidate, text: str) -> str:
    if cand.kind in ("phrase", "name", "skill") and _CERT_MARK.search(text):
        return "certification"
    if cand.kind == "role" and re.match(r"certif\w*\s", text):
        return "certification"  # 'Certified Payroll Manager' is a designation, not a job
    if cand.kind == "name":
        return "tool"
    return cand.kind


def _aliases(
    text: Text, language: str, cfg: dict, acronyms: dict[tuple[str, ...], str] | None = None
) -> dict[tuple[str, ...], set[tuple[str, ...]]]:
    """Same-meaning stems: the [match] aliases, and 'Personal Support Worker (PSW)' in the text
    (whose acronyms, as written, go into `acronyms` by the long form's stems)."""
    out: dict[tuple[str, ...], set[tuple[str, ...]]] = {}

    def pair(a: str, b: str) -> None:
        sa, sb = stems_of(a, language), stems_of(b, language)
        if sa and sb and sa != sb:
            out.setdefault(sa, set()).add(sb)
            out.setdefault(sb, set()).add(sa)

    for a, b in cfg["aliases"]:
        pair(a, b)
    for m in re.finditer(r"((?:[\w'’\-]+\s+){1,5})\(([A-Z][A-Za-z0-9+]{1,6})\)", text.plain):
        words = m.group(1).split()
        acronym = m.group(2)
        initials = [w[0].lower() for w in words]
        n = len(acronym)
        if n <= len(words) and "".join(initials[-n:]) == acronym.lower():
            pair(" ".join(words[-n:]), acronym)
            if acronyms is not None:
                long_form = " ".join(words[-n:])
                acronyms.setdefault(stems_of(long_form, language), acronym)
                acronyms.setdefault(stems_of(acronym, language), f"{long_form} ({acronym})")
    # synonyms of synonyms are synonyms: 'PAB', 'préposé' and 'préposée aux bénéficiaires'
    changed = True
    while changed:
        changed = False
        for key, group in out.items():
            wider = set().union(*(out.get(g, set()) for g in group)) - {key}
            if not wider <= group:
                group |= wider
                changed = True
    return out


# --- presence --------------------------------------------------------------------------------------


def _profile_stems(profile: str, languages: Sequence[str]) -> dict[str, list[str]]:
    folded = fold(_visible(normalise(profile)))
    return {lang: list(stems_of(folded, lang)) for lang in languages}


def _contains(seq: Sequence[str], sub: Sequence[str]) -> bool:
    n = len(sub)
    if not n:
        return False
    if any(tuple(seq[i : i + n]) == tuple(sub) for i in range(len(seq) - n + 1)):
        return True
    if n >= 2:  # all the words close together, in any order: 'reconcile vendor statements'
        width = n + 3
        positions = [i for i, s in enumerate(seq) if s in sub]
        for i in positions:
            if set(sub) <= set(seq[i : i + width]):
                return True
    return False


_CERT_STEMS = {"certif", "certifi", "licenc", "licens", "designat", "card", "ticket", "carte", "permi", "attest"}


def _present(stems: tuple[str, ...], aliases: dict, profile: dict[str, list[str]], language: str) -> bool:
    forms = {stems} | aliases.get(stems, set())
    # "Forklift Certified" shows a "forklift certification"
    forms |= {tuple(s for s in form if s not in _CERT_STEMS) for form in list(forms)} - {()}
    seq = profile[language]
    if any(_contains(seq, form) for form in forms):
        return True
    joined = "".join(stems)  # 'front end' and 'frontend', 'year end' and 'yearend'
    return len(stems) > 1 and joined in seq


# --- the match -------------------------------------------------------------------------------------


def _place(term_kind: str, n_words: int) -> str:
    if term_kind == "role":
        return "headline"
    if term_kind == "certification":
        return "certifications"
    if term_kind in ("tool", "skill") and n_words <= 3:
        return "skills"
    return "about"


def _same_job(a: tuple[str, ...], b: tuple[str, ...], head: str) -> bool:
    """Two names of one job: the shorter's words are all in the longer, and they share the head noun."""
    short, long = sorted((a, b), key=len)
    if len(short) >= len(long) or not set(short) <= set(long):
        return False
    at = -1 if head == "last" else 0
    return short[at] == long[at]


def match(posting: str, profile: str, rules: Rules | None = None) -> Match:
    """The posting's key terms, most important first, each present in the profile or not."""
    rules = default_rules() if rules is None else rules
    plain = _readable(posting)
    language = detect_language(plain, rules)
    ruleset = rules.sets[language]
    cfg = dict(ruleset.match)
    stemmer = cfg["stemmer"]
    text = Text(plain)
    lines = _lines(text, cfg)
    candidates = _candidates(text, lines, ruleset, stemmer)
    acronyms: dict[tuple[str, ...], str] = {}
    aliases = _aliases(text, stemmer, cfg, acronyms)

    # Merge a term with its synonyms ('PSW' into 'Personal Support Worker').
    by_stems = {c.stems: c for c in candidates}
    for cand in sorted(candidates, key=lambda c: -len(c.stems)):
        for other in aliases.get(cand.stems, ()):
            twin = by_stems.get(other)
            if twin is not None and twin is not cand and len(twin.stems) <= len(cand.stems) and twin.spans:
                cand.spans += twin.spans
                cand.parts += twin.parts
                if _rank(twin.kind) > _rank(cand.kind):
                    cand.kind = twin.kind
                twin.spans, twin.parts = [], []

    scored = []
    for cand in candidates:
        if not cand.spans:
            continue
        first = min(cand.spans)
        shown = text.excerpt(*first).strip(" -/.'’")
        kind = _kind(cand, fold(shown))
        part_weight = max(SECTION[p] for p in cand.parts)
        if part_weight < 0.5:
            continue  # only in the perks
        if kind == "tool" and cand.kind == "name" and set(cand.parts) <= {"intro"}:
            continue  # a name only in the company's introduction: the employer or a place
        count = len(cand.spans)
        if kind == "phrase" and (count < 2 and len(cand.stems) < 2):
            continue  # a lone ordinary word once: not a key term
        base = BASE["name"] if cand.kind == "name" else BASE[kind]  # a listed tool outweighs an unknown name
        weight = base * part_weight * min(2.0, 1 + 0.35 * (count - 1)) + 0.25 * (len(cand.stems) - 1)
        scored.append((weight, first, cand, kind, shown))

    # A term inside a longer one that always carries it is dropped ('Dayforce' in 'Ceridian Dayforce').
    scored.sort(key=lambda x: (-x[0], x[1]))
    kept: list[tuple[float, tuple[int, int], _Candidate, str, str]] = []
    for item in scored:
        _, _, cand, _, _ = item
        inside = [
            other
            for _, _, other, _, _ in scored
            if other is not cand
            and len(other.stems) > len(cand.stems)
            and all(any(x <= a and b <= y for x, y in other.spans) for a, b in cand.spans)
        ]
        # 'technicien' beside 'technicien comptable' is one job: the heavier of the two names it
        weight = item[0]
        bare_role = cand.kind == "role" and any(
            other is not cand
            and other.kind == "role"
            and _same_job(cand.stems, other.stems, ruleset.roles.head)
            and (w, -f[0]) > (weight, -item[1][0])
            for w, f, other, _, _ in scored
        )
        if not inside and not bare_role:
            kept.append(item)
    kept = kept[:KEY_TERMS]

    profile_stems = _profile_stems(profile, (stemmer,))
    terms = []
    for weight, _, cand, kind, shown in kept:
        present = _present(cand.stems, aliases, profile_stems, stemmer)
        also = tuple(sorted(aliases.get(cand.stems, ())))
        acronym = next((acronyms[k] for k in [cand.stems, *also] if k in acronyms), None)
        if acronym and acronym.endswith(")") and fold(shown) == fold(acronym.rsplit(" (", 1)[1][:-1]):
            shown = acronym  # 'PCP' shown as 'Payroll Compliance Practitioner (PCP)'
        elif acronym and not acronym.endswith(")") and fold(acronym) not in fold(shown):
            shown = f"{shown} ({acronym})"
        terms.append(Term(shown, cand.stems, also, kind, round(weight, 2), present, _place(kind, len(cand.stems))))
    total = sum(t.weight for t in terms)
    coverage = round(100 * sum(t.weight for t in terms if t.present) / total) if total else 0
    return Match(language, coverage, tuple(terms))


def mentions(profile: str, phrase: str, posting_language: str = "en", rules: Rules | None = None) -> bool:
    """Whether the profile shows `phrase`, by the same test /review match uses for a key term."""
    rules = default_rules() if rules is None else rules
    cfg = dict(rules.sets[posting_language].match)
    stemmer = cfg["stemmer"]
    aliases = _aliases(Text(""), stemmer, cfg)
    return _present(stems_of(phrase, stemmer), aliases, _profile_stems(profile, (stemmer,)), stemmer)
