"""What every feature shows the same way: members' own text under Linkwise's name, and text
given back when a form could not be carried out."""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from typing import Any

import discord

MESSAGE_MAX = 2000

# ---------------------------------------------------------------------- member text
# A masked link, as Discord draws one: [label](address), [label](<address>), optionally with a
# "title"; the address may hold one level of balanced parentheses (Wikipedia-style). Not after a
# backslash: "\[" is the member's own escaped bracket, shown as a bracket.
_MASKED_LINK = re.compile(
    r"(?<!\\)\[(?P<label>[^\[\]]*)\]"
    r"\((?P<target>[ \t]*<?[^\s()<>]+(?:\([^\s()<>]*\)[^\s()<>]*)*>?(?:[ \t]+(?:\"[^\"]*\"|'[^']*'))?[ \t]*)\)"
)
# A heading (#, ##, ###) or subtext (-#) at the start of a line, also inside a quote or a list item.
_LINE_START = r"(?:^|(?<=[\n\r\x85\u2028\u2029]))"
_HEADING = re.compile(
    _LINE_START
    + r"(?P<lead>[ \t]*(?:>>>[ \t]+|>[ \t]+)?(?:(?:[-*+]|[0-9]{1,9}[.)])[ \t]+)*)(?P<mark>#{1,3}|-#)(?=[ \t])"
)


def _unmask(match: re.Match[str]) -> str:
    label, target = match["label"], match["target"].strip()
    return f"{label} ({target})" if label.strip() else target


def sanitize_member_text(text: str) -> str:
    """Text a member wrote, made safe to show under Linkwise's name, otherwise as written.

    * Every link shows its real address: a masked link ``[label](address)`` (also with
      ``<address>`` or a title) becomes ``label (address)``, so "linkedin.com/verify" can no
      longer lead somewhere else. Whatever still reads ``](`` (nested or odd brackets) gets a
      backslash, which Discord hides, so no masked link is left at all.
    * No headings: ``#``, ``##``, ``###`` and ``-#`` at the start of a line (also after a quote
      or list marker) get a backslash, so they show as the characters the member typed, in
      normal size, instead of a banner that reads like an announcement.

    Mentions are left as written: Linkwise sends with no allowed mentions, so they ping nobody.
    Pure: the same text always gives the same result, and it never grows by more than a few
    characters per link or line (well within an embed's 4,096 for a 1,000-character input).
    """
    previous = None
    while previous != text:  # each pass removes at least one "](", so this ends
        previous = text
        text = _MASKED_LINK.sub(_unmask, text)
    text = text.replace("](", "]\\(")
    return _HEADING.sub(lambda m: f"{m['lead']}\\{m['mark']}", text)


# ---------------------------------------------------------------------- text given back
def text_back(explanation: str, text: str, *, filename: str = "your-text.txt") -> dict[str, Any]:
    """Keyword arguments for an ephemeral answer that gives the member their own text back, so
    nothing is lost: in a code block to copy, or as a file when a code block cannot hold it
    (too long for one message, or the text has its own code fence)."""
    content = f"{explanation}\n\nHere is your text, so you can copy it:\n```\n{text}\n```"
    if "```" not in text and len(content) <= MESSAGE_MAX:
        return {"content": content}
    return {
        "content": f"{explanation}\n\nYour text is attached as a file, so you can copy it."[:MESSAGE_MAX],
        # A lone surrogate cannot be written as UTF-8; it becomes "?" and the rest is kept.
        "file": discord.File(io.BytesIO(text.encode("utf-8", "replace")), filename=filename),
    }


def form_text(values: Mapping[str, str], labels: Mapping[str, str]) -> str:
    """What a member typed into a form, as one text to give back: the one box as it is, or
    each box under its label when there are several."""
    filled = {key: value for key, value in values.items() if value}
    if len(filled) <= 1:
        return next(iter(filled.values()), "")
    return "\n\n".join(f"{labels.get(key, key)}:\n{value}" for key, value in filled.items())
