"""The command tree in every language Linkwise speaks: Discord shows each member the command,
option and choice descriptions, the choices' names and the context menus' names in their own
language (SPEC "Languages": slash command and option names stay English).

Descriptions and choice names are written in English in the code, marked with ``N_`` so the
extractor puts them in their package's catalogue; the translator looks each up in the same
merged catalogues as every message (:mod:`bot.i18n`). Topic choices take the content's own
topic labels.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from typing import Any

import discord
from discord import app_commands

from bot.content import DEFAULT_LOCALE, TOPICS, supported_locale, topic_labels
from bot.i18n import translate

Location = app_commands.TranslationContextLocation

# What Discord shows translated: descriptions everywhere, choices' names, and the names of the
# context menus (which read as labels under Apps). Command, group and option names stay English.
TRANSLATED_LOCATIONS = frozenset(
    {
        Location.command_description,
        Location.group_description,
        Location.parameter_description,
        Location.choice_name,
    }
)


def described(template: str, /, **values: Any) -> app_commands.locale_str:
    """A description with values (``described(N_("Up to {count} items"), count=PAGE_LINES)``):
    the English filled in now, as Discord shows it by default; each other language translated
    from the template, then filled in, its numbers written for it."""
    return app_commands.locale_str(template.format(**values), template=template, values=values)


# One translation the translator gave: where, of what (the string, its template and values, and
# for a choice its value), into which locale, and the result. The command tree's hash is made
# of these and of the tree's own (untranslated) payload: together they determine what Discord
# gets, since a translation depends on nothing else.
Translation = tuple[str, str, str, str, str, str]


class LinkwiseTranslator(app_commands.Translator):
    def __init__(self) -> None:
        super().__init__()
        self._made: set[Translation] | None = None

    @contextlib.contextmanager
    def recording(self) -> Iterator[set[Translation]]:
        """Collect every translation given inside the block (see :data:`Translation`)."""
        made: set[Translation] = set()
        self._made = made
        try:
            yield made
        finally:
            self._made = None

    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        # discord.py asks for every string in each of Discord's 30-odd locales: answer the
        # locales Linkwise does not speak first.
        target = supported_locale(locale)
        if target is None or target == DEFAULT_LOCALE:
            return None
        template = string.extras.get("template")
        if isinstance(template, str):
            result = localized(template, locale, context.location, context.data, **string.extras.get("values", {}))
        else:
            result = localized(string.message, locale, context.location, context.data)
        if result is not None and self._made is not None:
            data = context.data
            of = f"choice={data.value!r}" if isinstance(data, app_commands.Choice) else type(data).__name__
            extras = repr(sorted(string.extras.items()))
            self._made.add((context.location.name, string.message, extras, of, str(locale), result))
        return result


def localized(message: str, locale: object, location: Location, data: object = None, **values: Any) -> str | None:
    """``message`` (a description, a choice's or a context menu's name) in ``locale``, filled in
    with ``values``, or None where Discord should show it as it is (English, a name that stays
    English, or no translation)."""
    target = supported_locale(locale)
    if target is None or target == DEFAULT_LOCALE:
        return None
    context_menu = location is Location.command_name and isinstance(data, app_commands.ContextMenu)
    if location not in TRANSLATED_LOCATIONS and not context_menu:
        return None
    if location is Location.choice_name and isinstance(data, app_commands.Choice):
        if data.value in TOPICS and message == TOPICS[str(data.value)]:
            return topic_labels(target)[str(data.value)]
    translated = translate(message, target, **values)
    english = message.format(**values) if values else message
    return translated if translated != english else None
