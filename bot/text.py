"""Text a member typed that cannot be kept or shown: broken characters (lone surrogates).

A character outside the Basic Multilingual Plane (most emoji) travels as two UTF-16 halves; a
copy that splits one leaves a *lone surrogate*, which Discord passes on as ``\\ud800``-style
escapes. Python holds it in a ``str``, but it has no UTF-8 form: SQLite, files and most of the
world refuse it. Linkwise refuses such text where it arrives (every command option and every
form, see :func:`bot.app.refuse_broken_text`) and gives it back readable, each broken
character replaced by U+FFFD (�), so the member loses nothing and sees where to fix it.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence

import discord

from bot.i18n import and_list, ngettext

MARK = "\ufffd"  # the replacement character, shown where a broken character was
LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # any left in a str are lone: Python pairs the rest
FILENAME = "your-text.txt"


def broken_characters(text: str) -> int:
    """How many lone surrogates ``text`` holds (0 for any text that has a UTF-8 form)."""
    return len(LONE_SURROGATE.findall(text))


def readable(text: str) -> str:
    """``text`` with every broken character replaced by :data:`MARK`: always encodable."""
    return LONE_SURROGATE.sub(MARK, text)


def text_file(text: str, filename: str = FILENAME) -> discord.File:
    """The member's text as a UTF-8 file to give back; never fails on broken characters."""
    return discord.File(io.BytesIO(readable(text).encode("utf-8")), filename=filename)


def broken_text_message(names: Sequence[str], count: int) -> str:
    """Why typed text was refused. ``names`` are the options or boxes holding broken characters
    (empty when there is one box, a form's)."""
    shown = [f"`{name}`" for name in names]
    if not shown:
        return ngettext(
            "Your text has {n} broken character (half of an emoji or symbol, split when the text was "
            "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
            "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
            "Your text has {n} broken characters (half of an emoji or symbol, split when the text was "
            "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
            "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
            count,
            mark=MARK,
        )
    if len(shown) == 1:
        return ngettext(
            "Your {option} has {n} broken character (half of an emoji or symbol, split when the text was "
            "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
            "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
            "Your {option} has {n} broken characters (half of an emoji or symbol, split when the text was "
            "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
            "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
            count,
            option=shown[0],
            mark=MARK,
        )
    return ngettext(
        "Your {options} has {n} broken character (half of an emoji or symbol, split when the text was "
        "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
        "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
        "Your {options} has {n} broken characters (half of an emoji or symbol, split when the text was "
        "copied). Linkwise cannot save or show text like that, so nothing was done with it. Your text "
        "is attached with each broken character shown as {mark}: delete or retype those, then try again.",
        count,
        options=and_list(shown),
        mark=MARK,
    )
