"""Linkwise's translation layer: every string a person reads goes through it.

English is the source language: messages are written in English in the code, in full sentences
with named placeholders, and looked up in gettext catalogues (``.po`` files, read with Babel)
for the current locale. One catalogue per package, so features never share a file:

* ``bot/locale/<locale>/LC_MESSAGES/linkwise.po`` for the core (``bot/``),
* ``cogs/<feature>/locale/<locale>/LC_MESSAGES/linkwise.po`` for each feature.

They are read straight from the ``.po`` files (no compile step to forget) and merged into one
catalogue per locale the first time a message is translated (:func:`load` does it at start-up).
``python -m bot.i18n update`` extracts every message from the code (Babel's extractor, for
``_``, ``N_`` and ``ngettext``) and updates each package's catalogue; ``python -m bot.i18n
check`` lists what still lacks a translation.

Use:

* ``_("Your {count} tips", count=3)``: the message in the current locale, then ``str.format``
  with the values; an ``int`` or ``float`` value is written for the locale by Babel (``2 600``
  in French; English keeps the plain ``2600`` its messages always had). Pass identifiers and
  years as ``str`` so they are shown as they are. A message is formatted only when values are
  given; placeholders take no format spec (round a number before passing it).
* ``N_("...")`` marks a module-level constant for extraction; translate it where it is used:
  ``_(CONSTANT, **values)``.
* ``ngettext("{n} tip", "{n} tips", n, **values)``: the form for ``n`` in the current locale
  (``n`` is also a placeholder, written for the locale).

The current locale is a :class:`contextvars.ContextVar` (``"en"`` by default). Each interaction
sets the member's locale once, before any reply (the tree's ``interaction_check``, the
persistent items' and forms' entry points: :func:`use_member_locale`); a public post is built
inside ``with using_locale(await post_locale(store, guild_id, guild)):``.

Locale resolution (SPEC "Languages"), from the server's ``/settings language`` value:
``en`` or ``fr`` is used as set; ``auto`` (the default) answers a member in their Discord
language where Linkwise has it, else the server's preferred locale, else English
(:func:`member_locale`); public posts use the server's setting, else its preferred locale, else
English (:func:`server_locale`).

Importing this module brings no discord.py along (pure modules translate their messages too).
"""

from __future__ import annotations

import contextlib
import functools
import io
import logging
import sys
from collections.abc import Iterator, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import NullTranslations, Translations

from bot.content import DEFAULT_LOCALE, LOCALES, TRANSLATED, format_number, resolve_locale, supported_locale

if TYPE_CHECKING:
    import discord

    from bot.store import Store

log = logging.getLogger(__name__)

DOMAIN = "linkwise"
ROOT = Path(__file__).resolve().parent.parent  # the folder holding the bot and cogs packages
CORE = ROOT / "bot"
FEATURES = ROOT / "cogs"

AUTO = "auto"  # the default of /settings language: the member's language, else the server's

_current: ContextVar[str] = ContextVar("linkwise_locale", default=DEFAULT_LOCALE)


# ---------------------------------------------------------------------- the current locale
def current_locale() -> str:
    """The locale messages are translated into now (``"en"`` or ``"fr"``)."""
    return _current.get()


def set_locale(locale: object) -> str:
    """Make ``locale`` (or English, for a language Linkwise lacks) the current locale of this
    task from here on, and return it. Each interaction runs in its own task, so this is how an
    entry point sets the member's locale once; elsewhere prefer :func:`using_locale`."""
    chosen = supported_locale(locale) or DEFAULT_LOCALE
    _current.set(chosen)
    return chosen


@contextlib.contextmanager
def using_locale(locale: object) -> Iterator[str]:
    """Translate into ``locale`` inside the block (a public post in the server's language), then
    restore the locale that was current before."""
    token = _current.set(supported_locale(locale) or DEFAULT_LOCALE)
    try:
        yield _current.get()
    finally:
        _current.reset(token)


# ---------------------------------------------------------------------- resolution (SPEC "Languages")
def choose_locale(setting: str | None, *discord_locales: object) -> str:
    """The server's ``setting`` when it names a language; for ``auto`` (or no setting) the first
    of ``discord_locales`` Linkwise speaks, else English. Pure: the rule behind both below."""
    return supported_locale(setting) or resolve_locale(*discord_locales)


def member_locale(interaction: discord.Interaction, setting: str | None) -> str:
    """The locale a member is answered in: the server's ``setting`` when it names a language;
    for ``auto`` (or no setting) the member's Discord language where Linkwise has it, else the
    server's preferred locale, else English."""
    guild = interaction.guild
    preferred = guild.preferred_locale if guild is not None else interaction.guild_locale
    return choose_locale(setting, interaction.locale, preferred)


def server_locale(guild: discord.Guild | None, setting: str | None) -> str:
    """The locale of a public post (scheduled, or ``/prompt``'s message): the server's
    ``setting`` when it names a language, else the server's preferred locale, else English."""
    return choose_locale(setting, guild.preferred_locale if guild is not None else None)


async def language_setting(store: Store, guild_id: int | None) -> str:
    """The server's ``/settings language`` value (``auto`` when never set)."""
    if guild_id is None:
        return AUTO
    from bot.store import settings

    return await settings.language(store, guild_id)


async def use_member_locale(interaction: discord.Interaction) -> str:
    """Set the current locale to the member's (:func:`member_locale`, with the server's setting
    read from the store) and return it. Called once per interaction, before any reply, by the
    entry points: the tree's ``interaction_check``, the persistent items' ``interaction_check``
    and the form routing. Never raises: if the setting cannot be read, the member's and the
    server's Discord languages decide (and the failure is logged)."""
    setting: str | None = None
    store = getattr(interaction.client, "store", None)
    if store is not None:
        try:
            setting = await language_setting(store, interaction.guild_id)
        except Exception:  # noqa: BLE001 - the language is a preference: answer the member anyway
            log.warning("could not read the server's language; using Discord's (guild %s)", interaction.guild_id)
    return set_locale(member_locale(interaction, setting))


async def post_locale(store: Store, guild_id: int, guild: discord.Guild | None = None) -> str:
    """The locale of a public post in a server (:func:`server_locale`, with its setting read
    from the store); use it as ``with using_locale(await post_locale(...)):``. Never raises: if
    the setting cannot be read, the server's preferred locale decides."""
    setting: str | None = None
    try:
        setting = await language_setting(store, guild_id)
    except Exception:  # noqa: BLE001 - the language is a preference: post anyway
        log.warning("could not read the server's language; using Discord's (guild %s)", guild_id)
    return server_locale(guild, setting)


# ---------------------------------------------------------------------- catalogues
def catalogue_paths(locale: str) -> list[Path]:
    """Every catalogue of ``locale`` there is: the core's, then each feature's, in name order."""
    relative = Path("locale", locale, "LC_MESSAGES", f"{DOMAIN}.po")
    found = [CORE / relative] if (CORE / relative).is_file() else []
    found += sorted(path for path in FEATURES.glob(f"*/{relative}") if path.is_file())
    return found


def read_catalogue(path: Path, locale: str) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=LOCALES.get(locale, locale), domain=DOMAIN)


def _compiled(catalogue: Catalog) -> Translations:
    """A catalogue as gettext reads it (fuzzy and empty entries left out: they stay English)."""
    buffer = io.BytesIO()
    write_mo(buffer, catalogue, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


@functools.cache
def translations(locale: str) -> NullTranslations:
    """All of ``locale``'s catalogues merged into one (English: the messages as written)."""
    if locale not in TRANSLATED:
        return NullTranslations()
    merged: Translations | None = None
    for path in catalogue_paths(locale):
        compiled = _compiled(read_catalogue(path, locale))
        if merged is None:
            merged = compiled
        else:
            merged.merge(compiled)
    return merged or NullTranslations()


def load() -> dict[str, int]:
    """Read every catalogue now (at start-up, so a broken one stops the bot before it serves
    anyone): the number of translated messages per locale."""
    return {locale: len(getattr(translations(locale), "_catalog", {})) for locale in TRANSLATED}


# ---------------------------------------------------------------------- translating
def _shown(values: Mapping[str, Any], locale: str) -> dict[str, Any]:
    """The values as a reader of ``locale`` sees them: numbers written for the locale by Babel
    (``2 600`` in French). English, the language the messages are written in, shows them as
    the code always has (``2600``), so no English answer changes with translation."""
    if locale == DEFAULT_LOCALE:
        return dict(values)
    return {
        name: format_number(value, locale) if isinstance(value, int | float) and not isinstance(value, bool) else value
        for name, value in values.items()
    }


def number(value: int | float) -> str:
    """A number on its own (an embed field's value) as a reader of the current locale sees it,
    like a number passed to :func:`_`."""
    return str(_shown({"value": value}, _current.get())["value"])


def _(message: str, /, **values: Any) -> str:
    """``message`` in the current locale, formatted with ``values`` (numbers for the locale)."""
    locale = _current.get()
    text = translations(locale).gettext(message)
    return text.format(**_shown(values, locale)) if values else text


def gettext(message: str, /, **values: Any) -> str:
    """The same as :func:`_`, by its long name."""
    return _(message, **values)


def N_(message: str, /) -> str:
    """Mark a module-level constant for extraction; translate it where it is used with ``_``."""
    return message


def ngettext(singular: str, plural: str, n: int, /, **values: Any) -> str:
    """The singular or plural message for ``n`` in the current locale, formatted with
    ``values`` and ``n`` itself (numbers for the locale)."""
    locale = _current.get()
    text = translations(locale).ngettext(singular, plural, n)
    return text.format(**_shown({"n": n, **values}, locale))


def and_list(items: list[str]) -> str:
    """``items`` as a list in a sentence of the current locale: "a, b and c" ("a, b et c")."""
    if len(items) < 2:
        return "".join(items)
    # Translators: the end of a list of two or more items ("`/a`, `/b` and `/c`").
    return _("{items} and {last}", items=", ".join(items[:-1]), last=items[-1])


def translate(message: str, locale: object, /, **values: Any) -> str:
    """``message`` in ``locale`` rather than the current locale (the command tree's translator)."""
    with using_locale(locale):
        return _(message, **values)


# ---------------------------------------------------------------------- extraction
KEYWORDS: dict[str, tuple[int, ...] | None] = {"_": None, "gettext": None, "N_": None, "ngettext": (1, 2)}


@dataclass(frozen=True)
class Package:
    """A package with its own catalogue: the core, or one feature."""

    name: str  # "bot" or "cogs.<feature>"
    folder: Path

    def catalogue(self, locale: str) -> Path:
        return self.folder / "locale" / locale / "LC_MESSAGES" / f"{DOMAIN}.po"

    def sources(self) -> list[Path]:
        """The package's Python files (a feature's only; the core's without the features)."""
        return sorted(path for path in self.folder.rglob("*.py") if "locale" not in path.parts)


def packages() -> list[Package]:
    """The core and every feature package, each with its own catalogue."""
    found = [Package("bot", CORE)]
    found += [
        Package(f"cogs.{path.parent.name}", path.parent)
        for path in sorted(FEATURES.glob("*/__init__.py"))
        if not path.parent.name.startswith("_")
    ]
    return found


def extract(package: Package) -> Catalog:
    """Every message of a package's code (``_``, ``N_``, ``ngettext``), with where it is used."""
    from babel.messages.extract import extract as extract_from

    catalogue = Catalog(domain=DOMAIN, project="Linkwise", charset="utf-8")
    for path in package.sources():
        with path.open("rb") as handle:
            for lineno, message, comments, context in extract_from(
                "python", handle, keywords=KEYWORDS, comment_tags=("Translators:",), strip_comment_tags=True
            ):
                where = (str(path.relative_to(ROOT)), lineno)
                catalogue.add(message, None, [where], auto_comments=comments, context=context)
    return catalogue


# Two plural forms, as gettext has always had them for French: one for 0 and 1, one for more
# (Babel would give CLDR's three, whose third, for millions, reads the same in Linkwise).
PLURAL_FORMS: dict[str, str] = {"fr": "nplurals=2; plural=(n > 1);"}


def new_catalogue(locale: str) -> Catalog:
    """An empty catalogue for a package that has none yet."""
    catalogue = Catalog(
        locale=LOCALES.get(locale, locale),
        domain=DOMAIN,
        project="Linkwise",
        header_comment=f"# Linkwise's messages in {locale}: python -m bot.i18n update adds new ones; translate each.",
        fuzzy=False,
    )
    if locale in PLURAL_FORMS:
        catalogue.mime_headers = [("Plural-Forms", PLURAL_FORMS[locale])]
    return catalogue


def update(locale: str) -> list[Path]:
    """Bring every package's ``locale`` catalogue up to date with its code: new messages added
    (untranslated), translations kept, messages no longer used dropped. Returns the files written."""
    from babel.messages.pofile import write_po

    written = []
    for package in packages():
        template = extract(package)
        path = package.catalogue(locale)
        if not len(template) and not path.exists():
            continue
        catalogue = read_catalogue(path, locale) if path.exists() else new_catalogue(locale)
        template.creation_date = catalogue.creation_date  # the file changes only when its messages do
        catalogue.update(template, no_fuzzy_matching=True, update_header_comment=False)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("wb") as handle:
            write_po(handle, catalogue, width=100, omit_header=False, ignore_obsolete=True, include_lineno=False)
        written.append(path)
    translations.cache_clear()
    return written


def missing(locale: str) -> list[str]:
    """Each message of the code that ``locale``'s catalogue of its package lacks (or has fuzzy)."""
    problems = []
    for package in packages():
        path = package.catalogue(locale)
        catalogue = read_catalogue(path, locale) if path.exists() else Catalog()
        for message in extract(package):
            if not message.id:
                continue
            found = catalogue.get(message.id, message.context)
            strings = found.string if found is not None else None
            complete = isinstance(strings, tuple | list) and all(strings) or isinstance(strings, str) and strings
            if found is None or found.fuzzy or not complete:
                where = ", ".join(f"{file}:{line}" for file, line in message.locations)
                problems.append(f"{where}: {message.id!r}")
    return problems


def main(argv: list[str] | None = None) -> int:
    """``python -m bot.i18n update`` | ``check`` (for every translated locale)."""
    args = sys.argv[1:] if argv is None else argv
    if args not in (["update"], ["check"]):
        print("usage: python -m bot.i18n update | check", file=sys.stderr)
        return 2
    if args == ["update"]:
        for locale in TRANSLATED:
            for path in update(locale):
                print(f"updated {path.relative_to(ROOT)}")
        return 0
    problems = [f"{locale}: {problem}" for locale in TRANSLATED for problem in missing(locale)]
    print("\n".join(problems) or "every message is translated")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
