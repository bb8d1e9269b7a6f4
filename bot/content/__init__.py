"""Linkwise's content: tips, checklists and prompts, as TOML beside this file, in English and French.

Loaded once into frozen dataclasses and validated (unique stable ids, known topics, lengths
within Discord's limits). LinkedIn figures live only in ``facts.toml``; content refers to them as
``{name}`` placeholders, substituted here, so a changed limit is updated in one place.

English is the source and the default. Each other language Linkwise speaks (:data:`TRANSLATED`)
has a folder of the same name (``fr/``) holding the same files with the same ids: ``tips/<topic>
.toml``, ``checklists.toml`` and ``prompts.toml``. A translated entry must match its English
entry: same id, same topic, the same ``{placeholders}`` in each field, within the same limits;
anything else is refused like broken English content. :meth:`Content.localized` gives the content
in a locale, with numbers formatted for it (``2 600`` in French). An entry without its translation
is shown in English and listed in :attr:`Content.untranslated`; the shipped content has none (a
test sees to it), and ``load_content(complete=True)`` refuses any.
"""

from __future__ import annotations

import hashlib
import logging
import os
import pickle
import re
import string
import sys
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import rtoml
from babel.numbers import format_decimal

CONTENT_DIR = Path(__file__).parent
log = logging.getLogger(__name__)

# Languages, by the code Discord gives them (``fr``; English comes as ``en-US`` or ``en-GB``),
# and the Babel locale that formats their numbers. The French content is written for Canada.
DEFAULT_LOCALE = "en"
LOCALES: dict[str, str] = {"en": "en", "fr": "fr_CA"}
TRANSLATED: tuple[str, ...] = ("fr",)  # each has a content folder of that name

# Stable topic ids (SPEC "Vocabulary") and how they are shown.
TOPICS: dict[str, str] = {
    "connecting": "Connecting",
    "profile": "Profile",
    "endorsements": "Endorsements",
    "recommendations": "Recommendations",
    "messaging": "Messaging",
    "job-search": "Job search",
    "recruiters": "Recruiters",
    "companies": "Companies",
    "contributing": "Contributing",
    "safety": "Safety and privacy",
    "newcomers": "New to the country",
}
# The same topics in each language, in the same order (they are slash-command choices, so each
# label is at most 100 characters).
TOPIC_LABELS: dict[str, dict[str, str]] = {
    "en": TOPICS,
    "fr": {
        "connecting": "Réseautage",
        "profile": "Profil",
        "endorsements": "Validations de compétences",
        "recommendations": "Recommandations",
        "messaging": "Messagerie",
        "job-search": "Recherche d'emploi",
        "recruiters": "Recruteurs",
        "companies": "Entreprises",
        "contributing": "Contribuer",
        "safety": "Sécurité et confidentialité",
        "newcomers": "Nouveaux arrivants",
    },
}
CHECKLIST_IDS = (
    "profile-basics",
    "all-star-profile",
    "connecting",
    "job-search",
    "recommendations-endorsements",
    "privacy-while-employed",
    "newcomer-profile",
)

# Tips merged into another and retired (ids never come back). Members' progress was moved to the
# surviving tip by a store migration; a button on an old post that names a retired tip acts on
# the tip it was merged into.
RETIRED_TIPS: dict[str, str] = {
    "companies-engage-with-posts": "contributing-comment-with-substance",
    "contributing-share-resource-weekly": "contributing-share-what-you-learned",
    "recruiters-headline-and-note-not-cv": "recruiters-connect-with-a-note",
}

ID_PATTERN = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
# A number written in content text. Ordinals are not figures: LinkedIn's own "1st-degree" in
# English, "1er", "1re", "2e" in French.
DIGITS = re.compile(r"\b\d[\d,.]*(?![\d,.]|st\b|nd\b|rd\b|th\b|er\b|re\b|e\b)")
MAX_ID = 60  # leaves room in a 100-character custom_id for the namespace

# Limits from Discord (embed title 256, description 4096, select label/description 100) and
# from our own sense of what reads well in a channel. The same in every language.
TIP_TITLE_MAX = 100
TIP_BODY_MIN, TIP_BODY_MAX = 120, 1500
ITEM_LABEL_MAX = 100
ITEM_HOW_MAX = 100
CHECKLIST_ITEMS_MIN, CHECKLIST_ITEMS_MAX = 6, 20
PROMPT_TEXT_MIN, PROMPT_TEXT_MAX = 20, 300


class ContentError(ValueError):
    """A content file is invalid; the message names the file and the entry."""


# ---------------------------------------------------------------------- locales
_LOCALE_SEPARATOR = re.compile(r"[-_]")
_SUPPORTED: dict[object, str | None] = {}


def supported_locale(value: object) -> str | None:
    """The Linkwise locale for ``value`` (``"fr"``, ``"fr-CA"``, ``"en-US"``, a
    ``discord.Locale``), or None when Linkwise does not speak that language (or ``value`` is None)."""
    if value is None:
        return None
    try:
        return _SUPPORTED[value]
    except (KeyError, TypeError):  # not seen yet, or not hashable
        pass
    text = str(getattr(value, "value", value)).strip().lower()
    base = _LOCALE_SEPARATOR.split(text, maxsplit=1)[0]
    locale = base if base in LOCALES else None
    if isinstance(getattr(value, "value", value), str) and len(_SUPPORTED) < 1024:
        # Discord's locales and the few strings settings hold: asked for on every interaction,
        # and for every string of the command tree in each of Discord's 30-odd locales at sync.
        _SUPPORTED[value] = locale
    return locale


def resolve_locale(*candidates: object) -> str:
    """The first of ``candidates`` that Linkwise speaks, else English. SPEC "Languages" in one
    call: ``resolve_locale(interaction.locale, interaction.guild_locale)``."""
    for candidate in candidates:
        if (locale := supported_locale(candidate)) is not None:
            return locale
    return DEFAULT_LOCALE


def format_number(value: int | float, locale: object = DEFAULT_LOCALE) -> str:
    """``value`` as a reader of ``locale`` writes it: ``2,600`` in English, ``2 600`` in French
    (Babel's CLDR data: the French separator is a no-break space, U+00A0, for Canada)."""
    return str(format_decimal(value, locale=LOCALES[supported_locale(locale) or DEFAULT_LOCALE]))


def topic_labels(locale: object = DEFAULT_LOCALE) -> dict[str, str]:
    """Every topic id and its label in ``locale`` (English for a language Linkwise lacks)."""
    return TOPIC_LABELS[supported_locale(locale) or DEFAULT_LOCALE]


# ---------------------------------------------------------------------- the content
@dataclass(frozen=True)
class Tip:
    id: str
    topic: str
    title: str
    body: str
    custom: bool = False  # a server's own tip (added with /content add-tip)
    locale: str = DEFAULT_LOCALE  # the language of title and body (a custom tip: as its counsellor wrote it)
    credit: str | None = None  # the member who suggested it (/suggest), by the name last seen

    @property
    def topic_label(self) -> str:
        """The topic in the tip's own language. To label a server's own tip for a member, ask
        the member's :meth:`Content.topic_label` instead."""
        return topic_labels(self.locale)[self.topic]


@dataclass(frozen=True)
class ChecklistItem:
    id: str
    label: str
    how: str


@dataclass(frozen=True)
class Checklist:
    id: str
    title: str
    description: str
    items: tuple[ChecklistItem, ...]
    locale: str = DEFAULT_LOCALE

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


@dataclass(frozen=True)
class Prompt:
    id: str
    topic: str
    text: str
    custom: bool = False
    locale: str = DEFAULT_LOCALE
    credit: str | None = None  # the member who suggested it (/suggest), by the name last seen


@dataclass(frozen=True)
class Content:
    """The content in one language. Every language has the same items, in the same order, under
    the same ids; :meth:`localized` moves between them."""

    facts: dict[str, Any]
    tips: tuple[Tip, ...]
    checklists: tuple[Checklist, ...]
    prompts: tuple[Prompt, ...]
    locale: str = DEFAULT_LOCALE
    # Entries shown in English because their translation is missing ("fr/tips/profile.toml: tip
    # profile-clear-photo"); empty in English and in the shipped content.
    untranslated: tuple[str, ...] = ()
    _tips_by_id: dict[str, Tip] = field(default_factory=dict, repr=False, compare=False)
    _checklists_by_id: dict[str, Checklist] = field(default_factory=dict, repr=False, compare=False)
    _prompts_by_id: dict[str, Prompt] = field(default_factory=dict, repr=False, compare=False)
    # Every language of this content, this one included; shared by all of them.
    _views: dict[str, Content] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._tips_by_id.update({t.id: t for t in self.tips})
        self._checklists_by_id.update({c.id: c for c in self.checklists})
        self._prompts_by_id.update({p.id: p for p in self.prompts})
        self._views.setdefault(self.locale, self)

    # -- languages
    @property
    def locales(self) -> tuple[str, ...]:
        """The languages this content is available in (``("en", "fr")``)."""
        return tuple(locale for locale in LOCALES if locale in self._views)

    def localized(self, *locales: object) -> Content:
        """This content in the first of ``locales`` that it has (``"fr"``, ``discord.Locale.french``,
        ``"en-US"``, None to skip), else in English. Items keep their ids in every language."""
        for candidate in locales:
            locale = supported_locale(candidate)
            if locale is not None and locale in self._views:
                return self._views[locale]
        return self._views.get(DEFAULT_LOCALE, self)

    @property
    def topic_labels(self) -> dict[str, str]:
        return topic_labels(self.locale)

    def topic_label(self, topic: str | None) -> str | None:
        """The label of ``topic`` in this content's language; None for no topic or an unknown one."""
        return self.topic_labels.get(topic or "")

    def format_number(self, value: int | float) -> str:
        return format_number(value, self.locale)

    # -- items
    def tip(self, tip_id: str) -> Tip | None:
        """The tip with this id; a retired id gives the tip it was merged into."""
        return self._tips_by_id.get(tip_id) or self._tips_by_id.get(RETIRED_TIPS.get(tip_id, ""))

    def tips_for(self, topic: str | None) -> tuple[Tip, ...]:
        return self.tips if topic is None else tuple(t for t in self.tips if t.topic == topic)

    def checklist(self, checklist_id: str) -> Checklist | None:
        return self._checklists_by_id.get(checklist_id)

    def prompt(self, prompt_id: str) -> Prompt | None:
        return self._prompts_by_id.get(prompt_id)

    def prompts_for(self, topic: str | None) -> tuple[Prompt, ...]:
        return self.prompts if topic is None else tuple(p for p in self.prompts if p.topic == topic)


# ---------------------------------------------------------------------- loading
def _read(path: Path, name: str | None = None) -> dict[str, Any]:
    """A content file's TOML. Parsed with rtoml (Rust): loading the content is most of
    Linkwise's start-up, and the standard library's pure-Python parser took most of that."""
    try:
        return rtoml.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, rtoml.TomlParsingError) as error:
        raise ContentError(f"{name or path.name}: cannot be read: {error}") from error


def load_facts(directory: Path = CONTENT_DIR) -> dict[str, Any]:
    return _read(directory / "facts.toml")


def placeholders(text: str) -> frozenset[str]:
    """The ``{name}`` placeholders of ``text``."""
    return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@cache
def _shown(facts: tuple[tuple[str, Any], ...], locale: str) -> dict[str, Any]:
    """The facts as a reader of ``locale`` sees them: numbers formatted for the locale, years
    (facts named ``*_year``) as written."""
    return {
        name: format_number(value, locale)
        if isinstance(value, int | float) and not isinstance(value, bool) and not name.endswith("_year")
        else value
        for name, value in facts
    }


def _display(facts: dict[str, Any], locale: str) -> dict[str, Any]:
    items = tuple(facts.items())
    try:
        return _shown(items, locale)
    except TypeError:  # a fact that is not a plain value (a list): nothing to cache it by
        return _shown.__wrapped__(items, locale)


def fill(text: str, facts: dict[str, Any], where: str, locale: str = DEFAULT_LOCALE) -> str:
    """Substitute ``{name}`` placeholders from facts.toml, numbers formatted for ``locale``
    (``2,600`` in English, ``2 600`` in French), except years: facts named ``*_year``.

    Content text itself holds no digits: a LinkedIn figure written into a tip would escape the one
    place where figures are kept up to date, so every number is a placeholder, and counts that
    are not LinkedIn's ("ten companies", « trois personnes ») are written in words.
    """
    try:
        parsed = list(string.Formatter().parse(text))
    except ValueError as error:  # a lone brace
        raise ContentError(f"{where}: {error} (a placeholder is written {{name}})") from error
    names = [name for _, name, _, _ in parsed if name is not None]
    unknown = sorted({n for n in names if n not in facts})
    if unknown:
        raise ContentError(f"{where}: unknown placeholder(s) {', '.join(unknown)}; facts.toml has none such")
    digits = sorted({m.group() for literal, _, _, _ in parsed for m in DIGITS.finditer(literal)})
    if digits:
        raise ContentError(
            f"{where}: the number(s) {', '.join(digits)} are written in the text; a LinkedIn figure belongs "
            "in facts.toml as a {placeholder}, and any other count is written in words"
        )
    try:
        return text.format_map(_display(facts, locale)).strip()
    except ValueError as error:  # a format spec, such as {about_limit:,}, on a figure shown as text
        raise ContentError(f"{where}: {error}; write a placeholder as a bare {{name}}") from error


class _Checker:
    """Collects every problem in the content so one run reports them all."""

    def __init__(self) -> None:
        self.problems: list[str] = []
        self.ids: dict[tuple[str, str], str] = {}

    def check(self, condition: bool, message: str) -> None:
        if not condition:
            self.problems.append(message)

    def stable_id(self, kind: str, value: Any, where: str) -> None:
        """Ids are unique within their kind (tip, checklist, item, prompt): progress rows name
        the kind by their table, so a tip and a prompt may share an id."""
        ok = isinstance(value, str) and bool(ID_PATTERN.match(value)) and len(value) <= MAX_ID
        self.check(ok, f"{where}: id {value!r} must be kebab-case, at most {MAX_ID} characters")
        if isinstance(value, str):
            if (kind, value) in self.ids:
                self.problems.append(f"{where}: {kind} id {value!r} is already used by {self.ids[kind, value]}")
            self.ids[kind, value] = where

    def length(self, text: str, low: int, high: int, where: str) -> None:
        self.check(low <= len(text) <= high, f"{where}: {len(text)} characters, expected {low}-{high}")


class _Source:
    """The English entries as written, so a translation can be held to the same placeholders."""

    def __init__(self) -> None:
        self.fields: dict[tuple[str, str], dict[str, str]] = {}

    def keep(self, kind: str, entry_id: Any, raw: dict[str, Any], names: tuple[str, ...]) -> None:
        if isinstance(entry_id, str):
            self.fields[kind, entry_id] = {n: raw[n] for n in names if isinstance(raw.get(n), str)}

    def same_placeholders(self, kind: str, entry_id: str, raw: dict[str, Any], where: str, checker: _Checker) -> None:
        for name, english in self.fields.get((kind, entry_id), {}).items():
            want, got = placeholders(english), placeholders(raw.get(name) or "")
            checker.check(
                want == got,
                f"{where} {name}: placeholders {_names(got)} differ from the English {_names(want)}",
            )


def _names(found: frozenset[str]) -> str:
    return "{" + "}, {".join(sorted(found)) + "}" if found else "(none)"


# -- English
def _tips(directory: Path, facts: dict[str, Any], checker: _Checker, source: _Source) -> list[Tip]:
    tips: list[Tip] = []
    for path in sorted((directory / "tips").glob("*.toml")):
        for index, raw in enumerate(_read(path).get("tip", [])):
            where = f"tips/{path.name} tip #{index + 1} ({raw.get('id', '?')})"
            source.keep("tip", raw.get("id"), raw, ("title", "body"))
            try:
                tip = Tip(
                    id=raw["id"],
                    topic=raw["topic"],
                    title=fill(raw["title"], facts, where),
                    body=fill(raw["body"], facts, where),
                )
            except KeyError as missing:
                checker.problems.append(f"{where}: missing {missing}")
                continue
            except ContentError as error:
                checker.problems.append(str(error))
                continue
            checker.stable_id("tip", tip.id, where)
            checker.check(tip.topic in TOPICS, f"{where}: unknown topic {tip.topic!r}")
            checker.check(path.stem == tip.topic, f"{where}: topic {tip.topic!r} is in {path.name}")
            _tip_lengths(tip, where, checker)
            tips.append(tip)
    return tips


def _tip_lengths(tip: Tip, where: str, checker: _Checker) -> None:
    checker.length(tip.title, 3, TIP_TITLE_MAX, f"{where} title")
    checker.length(tip.body, TIP_BODY_MIN, TIP_BODY_MAX, f"{where} body")


def _item_lengths(item: ChecklistItem, where: str, checker: _Checker) -> None:
    checker.length(item.label, 3, ITEM_LABEL_MAX, f"{where} label")
    checker.length(item.how, 3, ITEM_HOW_MAX, f"{where} how")


def _checklists(directory: Path, facts: dict[str, Any], checker: _Checker, source: _Source) -> list[Checklist]:
    lists: list[Checklist] = []
    for index, raw in enumerate(_read(directory / "checklists.toml").get("checklist", [])):
        where = f"checklists.toml list #{index + 1} ({raw.get('id', '?')})"
        source.keep("checklist", raw.get("id"), raw, ("title", "description"))
        items = []
        for item_index, item in enumerate(raw.get("item", [])):
            item_where = f"{where} item #{item_index + 1} ({item.get('id', '?')})"
            source.keep("item", item.get("id"), item, ("label", "how"))
            try:
                entry = ChecklistItem(
                    id=item["id"],
                    label=fill(item["label"], facts, item_where),
                    how=fill(item["how"], facts, item_where),
                )
            except (KeyError, ContentError) as error:
                checker.problems.append(f"{item_where}: {error}")
                continue
            checker.stable_id("item", entry.id, item_where)
            _item_lengths(entry, item_where, checker)
            items.append(entry)
        try:
            checklist = Checklist(
                id=raw["id"],
                title=fill(raw["title"], facts, where),
                description=fill(raw.get("description", ""), facts, where),
                items=tuple(items),
            )
        except (KeyError, ContentError) as error:
            checker.problems.append(f"{where}: {error}")
            continue
        checker.stable_id("checklist", checklist.id, where)
        checker.check(
            CHECKLIST_ITEMS_MIN <= len(items) <= CHECKLIST_ITEMS_MAX,
            f"{where}: {len(items)} items, expected {CHECKLIST_ITEMS_MIN}-{CHECKLIST_ITEMS_MAX}",
        )
        lists.append(checklist)
    found = tuple(c.id for c in lists)
    checker.check(found == CHECKLIST_IDS, f"checklists.toml: lists must be {CHECKLIST_IDS}, found {found}")
    return lists


def _prompts(directory: Path, facts: dict[str, Any], checker: _Checker, source: _Source) -> list[Prompt]:
    prompts: list[Prompt] = []
    for index, raw in enumerate(_read(directory / "prompts.toml").get("prompt", [])):
        where = f"prompts.toml prompt #{index + 1} ({raw.get('id', '?')})"
        source.keep("prompt", raw.get("id"), raw, ("text",))
        try:
            prompt = Prompt(id=raw["id"], topic=raw["topic"], text=fill(raw["text"], facts, where))
        except (KeyError, ContentError) as error:
            checker.problems.append(f"{where}: {error}")
            continue
        checker.stable_id("prompt", prompt.id, where)
        checker.check(prompt.topic in TOPICS, f"{where}: unknown topic {prompt.topic!r}")
        checker.length(prompt.text, PROMPT_TEXT_MIN, PROMPT_TEXT_MAX, f"{where} text")
        prompts.append(prompt)
    return prompts


# -- translations
class _Translation:
    """One language's files, read against the English content: each entry must name an English
    entry and match it; what it lacks is shown in English and listed as untranslated."""

    def __init__(self, english: Content, folder: Path, locale: str, checker: _Checker, source: _Source) -> None:
        self.english, self.folder, self.locale = english, folder, locale
        self.checker, self.source = checker, source
        self.facts = english.facts
        self.untranslated: list[str] = []

    def _file(self, relative: str) -> dict[str, Any] | None:
        path = self.folder / relative
        if not path.is_file():
            return None
        return _read(path, f"{self.locale}/{relative}")

    def _fill(self, raw: dict[str, Any], key: str, where: str) -> str:
        return fill(raw[key], self.facts, f"{where} {key}", self.locale)

    def _known(self, kind: str, raw: dict[str, Any], known: dict[str, Any], where: str) -> Any:
        """The English entry ``raw`` translates, or None (reported) when it names none or repeats one."""
        entry_id = raw.get("id")
        english = known.get(entry_id) if isinstance(entry_id, str) else None
        if english is None:
            self.checker.problems.append(f"{where}: no English {kind} has the id {entry_id!r}")
            return None
        self.checker.stable_id(f"{self.locale} {kind}", entry_id, where)
        return english

    def tips(self) -> tuple[Tip, ...]:
        english = {t.id: t for t in self.english.tips}
        found: dict[str, Tip] = {}
        tips_dir = self.folder / "tips"
        for path in sorted(tips_dir.glob("*.toml")) if tips_dir.is_dir() else []:
            name = f"{self.locale}/tips/{path.name}"
            for index, raw in enumerate(_read(path, name).get("tip", [])):
                where = f"{name} tip #{index + 1} ({raw.get('id', '?')})"
                source = self._known("tip", raw, english, where)
                if source is None:
                    continue
                self.checker.check(
                    raw.get("topic") == source.topic,
                    f"{where}: topic {raw.get('topic')!r}, but the English tip's is {source.topic!r}",
                )
                self.checker.check(path.stem == source.topic, f"{where}: a {source.topic!r} tip is in {path.name}")
                self.source.same_placeholders("tip", source.id, raw, where, self.checker)
                try:
                    tip = Tip(
                        id=source.id,
                        topic=source.topic,
                        title=self._fill(raw, "title", where),
                        body=self._fill(raw, "body", where),
                        locale=self.locale,
                    )
                except KeyError as missing:
                    self.checker.problems.append(f"{where}: missing {missing}")
                    continue
                except ContentError as error:
                    self.checker.problems.append(str(error))
                    continue
                _tip_lengths(tip, where, self.checker)
                found[tip.id] = tip
        for tip in self.english.tips:
            if tip.id not in found:
                self.untranslated.append(f"{self.locale}/tips/{tip.topic}.toml: tip {tip.id}")
        return tuple(found.get(t.id, t) for t in self.english.tips)

    def checklists(self) -> tuple[Checklist, ...]:
        name = f"{self.locale}/checklists.toml"
        english = {c.id: c for c in self.english.checklists}
        found: dict[str, Checklist] = {}
        for index, raw in enumerate((self._file("checklists.toml") or {}).get("checklist", [])):
            where = f"{name} list #{index + 1} ({raw.get('id', '?')})"
            source = self._known("checklist", raw, english, where)
            if source is None:
                continue
            self.source.same_placeholders("checklist", source.id, raw, where, self.checker)
            items = self._items(source, raw, where)
            try:
                found[source.id] = Checklist(
                    id=source.id,
                    title=self._fill(raw, "title", where),
                    description=self._fill(raw, "description", where),
                    items=tuple(items.get(i.id, i) for i in source.items),
                    locale=self.locale,
                )
            except (KeyError, ContentError) as error:
                self.checker.problems.append(f"{where}: {error}")
        for checklist in self.english.checklists:
            if checklist.id not in found:
                self.untranslated.append(f"{name}: checklist {checklist.id} (and its items)")
            else:
                self.untranslated += [
                    f"{name}: checklist {checklist.id} item {item.id}"
                    for item, shown in zip(checklist.items, found[checklist.id].items, strict=True)
                    if shown is item
                ]
        return tuple(found.get(c.id, c) for c in self.english.checklists)

    def _items(self, checklist: Checklist, raw: dict[str, Any], where: str) -> dict[str, ChecklistItem]:
        english = {i.id: i for i in checklist.items}
        items: dict[str, ChecklistItem] = {}
        for index, item in enumerate(raw.get("item", [])):
            item_where = f"{where} item #{index + 1} ({item.get('id', '?')})"
            source = self._known(f"item of {checklist.id!r}", item, english, item_where)
            if source is None:
                continue
            self.source.same_placeholders("item", source.id, item, item_where, self.checker)
            try:
                entry = ChecklistItem(
                    id=source.id,
                    label=self._fill(item, "label", item_where),
                    how=self._fill(item, "how", item_where),
                )
            except (KeyError, ContentError) as error:
                self.checker.problems.append(f"{item_where}: {error}")
                continue
            _item_lengths(entry, item_where, self.checker)
            items[entry.id] = entry
        return items

    def prompts(self) -> tuple[Prompt, ...]:
        name = f"{self.locale}/prompts.toml"
        english = {p.id: p for p in self.english.prompts}
        found: dict[str, Prompt] = {}
        for index, raw in enumerate((self._file("prompts.toml") or {}).get("prompt", [])):
            where = f"{name} prompt #{index + 1} ({raw.get('id', '?')})"
            source = self._known("prompt", raw, english, where)
            if source is None:
                continue
            self.checker.check(
                raw.get("topic") == source.topic,
                f"{where}: topic {raw.get('topic')!r}, but the English prompt's is {source.topic!r}",
            )
            self.source.same_placeholders("prompt", source.id, raw, where, self.checker)
            try:
                prompt = Prompt(
                    id=source.id, topic=source.topic, text=self._fill(raw, "text", where), locale=self.locale
                )
            except (KeyError, ContentError) as error:
                self.checker.problems.append(f"{where}: {error}")
                continue
            self.checker.length(prompt.text, PROMPT_TEXT_MIN, PROMPT_TEXT_MAX, f"{where} text")
            found[prompt.id] = prompt
        for prompt in self.english.prompts:
            if prompt.id not in found:
                self.untranslated.append(f"{name}: prompt {prompt.id}")
        return tuple(found.get(p.id, p) for p in self.english.prompts)

    def content(self) -> Content:
        tips, checklists, prompts = self.tips(), self.checklists(), self.prompts()
        return Content(
            facts=self.english.facts,
            tips=tips,
            checklists=checklists,
            prompts=prompts,
            locale=self.locale,
            untranslated=tuple(self.untranslated),
        )


def load_content(directory: Path = CONTENT_DIR, *, complete: bool = False) -> Content:
    """Load and validate every content file, English and each translation; raise
    :class:`ContentError` listing all problems. Returns the English content; its
    :meth:`~Content.localized` gives the others.

    A translation that lacks an entry shows it in English (listed in ``untranslated``); with
    ``complete=True`` that is a problem too.
    """
    facts = load_facts(directory)
    checker = _Checker()
    source = _Source()
    content = Content(
        facts=facts,
        tips=tuple(_tips(directory, facts, checker, source)),
        checklists=tuple(_checklists(directory, facts, checker, source)),
        prompts=tuple(_prompts(directory, facts, checker, source)),
    )
    shipped = {t.id for t in content.tips}
    for retired, survivor in RETIRED_TIPS.items():
        checker.check(retired not in shipped, f"tips: {retired!r} was retired and may not be used again")
        checker.check(survivor in shipped, f"tips: {retired!r} was merged into {survivor!r}, which is missing")
    for locale in TRANSLATED:
        view = _Translation(content, directory / locale, locale, checker, source).content()
        content._views[locale] = view
        if complete:
            checker.problems += [f"{entry}: no translation" for entry in view.untranslated]
    for view in content._views.values():
        view._views.update(content._views)  # every language reaches every other
    if checker.problems:
        raise ContentError("content is invalid:\n- " + "\n- ".join(checker.problems))
    return content


def untranslated(content: Content) -> tuple[str, ...]:
    """Every entry of every language shown in English for want of its translation."""
    return tuple(entry for locale in content.locales for entry in content.localized(locale).untranslated)


# ---------------------------------------------------------------------- the validated content, cached
CACHE_PREFIX = "validated-content-"


def _toml_files(directory: str) -> list[os.DirEntry[str]]:
    found: list[os.DirEntry[str]] = []
    with os.scandir(directory) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    found.extend(_toml_files(entry.path))
            elif entry.name.endswith(".toml"):
                found.append(entry)
    return found


def content_key(directory: Path = CONTENT_DIR) -> str:
    """What the validated content depends on, as a hash: every TOML file under ``directory``
    and this loader's own source (the checks), each by its name, size and modification time
    (as Python judges its own bytecode current: reading every byte of the 29 files took 1.6 ms
    of each start), and the Python that pickles it."""
    digest = hashlib.sha256(f"{sys.version}\0{pickle.HIGHEST_PROTOCOL}".encode())
    root = os.fspath(directory)
    files = sorted((os.path.relpath(entry.path, root), entry.stat()) for entry in _toml_files(root))
    for name, info in [("<loader>", os.stat(__file__)), *files]:
        digest.update(f"\0{name}\0{info.st_size}\0{info.st_mtime_ns}".encode())
    return digest.hexdigest()


def cached_content(directory: Path = CONTENT_DIR, cache_dir: Path | None = None) -> Content:
    """:func:`load_content`, validated once for given files: the result is kept in
    ``cache_dir`` (the content's own ``__pycache__``, beside Python's bytecode, by default) under
    :func:`content_key`, and read back while no file, check or Python changed. Validating takes
    most of a start-up (35-60 ms); reading the result back, about 5 ms.

    Content that fails validation is never kept, so a broken file is refused at every start. A
    cache that cannot be read or written (an unwritable install, a damaged file) only means
    validating again. ``linkwise check`` always validates in full."""
    folder = cache_dir if cache_dir is not None else directory / "__pycache__"
    key = content_key(directory)
    path = folder / f"{CACHE_PREFIX}{key}.pickle"
    try:
        with path.open("rb") as file:
            # The cache is written by this function alone, beside the bytecode Python already
            # trusts (whoever can write one can write the other).
            cached = pickle.load(file)  # noqa: S301
        if isinstance(cached, Content):
            return cached
    except FileNotFoundError:
        pass
    except Exception as error:  # noqa: BLE001 - a damaged cache is only a slower start
        log.debug("the validated content cache %s cannot be read (%s): validating again", path, error)
    content = load_content(directory)
    partial = folder / f"{path.name}.{os.getpid()}.tmp"
    try:
        folder.mkdir(parents=True, exist_ok=True)
        partial.write_bytes(pickle.dumps(content, protocol=pickle.HIGHEST_PROTOCOL))
        os.replace(partial, path)  # atomic: a concurrent start reads the old file or this one
        for old in folder.glob(f"{CACHE_PREFIX}*.pickle"):
            if old != path:
                old.unlink(missing_ok=True)
    except OSError as error:
        log.debug("the validated content cannot be cached in %s (%s)", folder, error)
        try:
            partial.unlink(missing_ok=True)
        except OSError:
            pass
    return content


@cache
def default_content() -> Content:
    """The shipped content, loaded once per process (restarts in tests reuse it), validated
    once for given files (:func:`cached_content`). English; its :meth:`~Content.localized`
    gives the other languages."""
    content = cached_content()
    if missing := untranslated(content):
        log.warning("%d content entries have no translation and are shown in English: %s", len(missing), missing[0])
    return content
