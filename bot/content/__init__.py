"""Linkwise's content: tips, checklists and prompts, as TOML beside this file.

Loaded once into frozen dataclasses and validated (unique stable ids, known topics, lengths
within Discord's limits). LinkedIn figures live only in ``facts.toml``; content refers to them as
``{name}`` placeholders, substituted here, so a changed limit is updated in one place.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

CONTENT_DIR = Path(__file__).parent

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
# A number written in content text. Ordinals ("1st-degree", LinkedIn's own word) are not figures.
DIGITS = re.compile(r"\b\d[\d,.]*(?![\d,.]|st\b|nd\b|rd\b|th\b)")
MAX_ID = 60  # leaves room in a 100-character custom_id for the namespace

# Limits from Discord (embed title 256, description 4096, select label/description 100) and
# from our own sense of what reads well in a channel.
TIP_TITLE_MAX = 100
TIP_BODY_MIN, TIP_BODY_MAX = 120, 1500
ITEM_LABEL_MAX = 100
ITEM_HOW_MAX = 100
CHECKLIST_ITEMS_MIN, CHECKLIST_ITEMS_MAX = 6, 20
PROMPT_TEXT_MIN, PROMPT_TEXT_MAX = 20, 300


class ContentError(ValueError):
    """A content file is invalid; the message names the file and the entry."""


@dataclass(frozen=True)
class Tip:
    id: str
    topic: str
    title: str
    body: str
    custom: bool = False  # a server's own tip (added with /content add-tip)
    credit: str | None = None  # the member who suggested it (/suggest), by the name last seen

    @property
    def topic_label(self) -> str:
        return TOPICS[self.topic]


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

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(i.id for i in self.items)


@dataclass(frozen=True)
class Prompt:
    id: str
    topic: str
    text: str
    custom: bool = False
    credit: str | None = None  # the member who suggested it (/suggest), by the name last seen


@dataclass(frozen=True)
class Content:
    facts: dict[str, Any]
    tips: tuple[Tip, ...]
    checklists: tuple[Checklist, ...]
    prompts: tuple[Prompt, ...]
    _tips_by_id: dict[str, Tip] = field(default_factory=dict, repr=False, compare=False)
    _checklists_by_id: dict[str, Checklist] = field(default_factory=dict, repr=False, compare=False)
    _prompts_by_id: dict[str, Prompt] = field(default_factory=dict, repr=False, compare=False)

    def __post_init__(self) -> None:
        self._tips_by_id.update({t.id: t for t in self.tips})
        self._checklists_by_id.update({c.id: c for c in self.checklists})
        self._prompts_by_id.update({p.id: p for p in self.prompts})

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
def _read(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            return tomllib.load(handle)
    except (OSError, tomllib.TOMLDecodeError) as error:
        raise ContentError(f"{path.name}: cannot be read: {error}") from error


def load_facts(directory: Path = CONTENT_DIR) -> dict[str, Any]:
    return _read(directory / "facts.toml")


def fill(text: str, facts: dict[str, Any], where: str) -> str:
    """Substitute ``{name}`` placeholders from facts.toml (numbers shown with thousands commas,
    except years: facts named ``*_year``).

    Content text itself holds no digits: a LinkedIn figure written into a tip would escape the one
    place where figures are kept up to date, so every number is a placeholder, and counts that
    are not LinkedIn's ("ten companies", "three people") are written in words.
    """
    parsed = list(string.Formatter().parse(text))
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
    shown = {
        k: (f"{v:,}" if isinstance(v, int) and v >= 1000 and not k.endswith("_year") else v) for k, v in facts.items()
    }
    return text.format_map(shown).strip()


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


def _tips(directory: Path, facts: dict[str, Any], checker: _Checker) -> list[Tip]:
    tips: list[Tip] = []
    for path in sorted((directory / "tips").glob("*.toml")):
        for index, raw in enumerate(_read(path).get("tip", [])):
            where = f"tips/{path.name} tip #{index + 1} ({raw.get('id', '?')})"
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
            checker.length(tip.title, 3, TIP_TITLE_MAX, f"{where} title")
            checker.length(tip.body, TIP_BODY_MIN, TIP_BODY_MAX, f"{where} body")
            tips.append(tip)
    return tips


def _checklists(directory: Path, facts: dict[str, Any], checker: _Checker) -> list[Checklist]:
    lists: list[Checklist] = []
    for index, raw in enumerate(_read(directory / "checklists.toml").get("checklist", [])):
        where = f"checklists.toml list #{index + 1} ({raw.get('id', '?')})"
        items = []
        for item_index, item in enumerate(raw.get("item", [])):
            item_where = f"{where} item #{item_index + 1} ({item.get('id', '?')})"
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
            checker.length(entry.label, 3, ITEM_LABEL_MAX, f"{item_where} label")
            checker.length(entry.how, 3, ITEM_HOW_MAX, f"{item_where} how")
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


def _prompts(directory: Path, facts: dict[str, Any], checker: _Checker) -> list[Prompt]:
    prompts: list[Prompt] = []
    for index, raw in enumerate(_read(directory / "prompts.toml").get("prompt", [])):
        where = f"prompts.toml prompt #{index + 1} ({raw.get('id', '?')})"
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


def load_content(directory: Path = CONTENT_DIR) -> Content:
    """Load and validate every content file; raise :class:`ContentError` listing all problems."""
    facts = load_facts(directory)
    checker = _Checker()
    content = Content(
        facts=facts,
        tips=tuple(_tips(directory, facts, checker)),
        checklists=tuple(_checklists(directory, facts, checker)),
        prompts=tuple(_prompts(directory, facts, checker)),
    )
    shipped = {t.id for t in content.tips}
    for retired, survivor in RETIRED_TIPS.items():
        checker.check(retired not in shipped, f"tips: {retired!r} was retired and may not be used again")
        checker.check(survivor in shipped, f"tips: {retired!r} was merged into {survivor!r}, which is missing")
    if checker.problems:
        raise ContentError("content is invalid:\n- " + "\n- ".join(checker.problems))
    return content


@cache
def default_content() -> Content:
    """The shipped content, loaded once per process (restarts in tests reuse it)."""
    return load_content()
