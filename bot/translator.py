"""The command tree in every language Linkwise speaks: Discord shows each member the command,
option and choice descriptions, the choices' names and the context menus' names in their own
language (SPEC "Languages": slash command and option names stay English).

Descriptions and choice names are written in English in the code, marked with ``N_`` so the
extractor puts them in their package's catalogue; the translator looks each up in the same
merged catalogues as every message (:mod:`bot.i18n`). Topic choices take the content's own
topic labels.
"""

from __future__ import annotations

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


class LinkwiseTranslator(app_commands.Translator):
    async def translate(
        self,
        string: app_commands.locale_str,
        locale: discord.Locale,
        context: app_commands.TranslationContextTypes,
    ) -> str | None:
        # discord.py asks for every string in each of Discord's 30-odd locales, twice a start
        # (the tree's hash, then the sync): answer the locales Linkwise does not speak first.
        target = supported_locale(locale)
        if target is None or target == DEFAULT_LOCALE:
            return None
        template = string.extras.get("template")
        if isinstance(template, str):
            return localized(template, locale, context.location, context.data, **string.extras.get("values", {}))
        return localized(string.message, locale, context.location, context.data)


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
