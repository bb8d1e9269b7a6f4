"""Members' text shown under Linkwise's name (issue 13, item 12), and text given back."""

from __future__ import annotations

import re

import pytest
from discord import app_commands
from hypothesis import given
from hypothesis import strategies as st

from bot.ui import form_text, sanitize_member_text, text_back

# A heading or subtext as Discord draws one: at a line's start, perhaps after spaces, a quote or
# list markers (a backslash before the mark makes it plain text).
HEADING = re.compile(
    r"(?:^|(?<=[\n\r\x85\u2028\u2029]))[ \t]*(?:>>>[ \t]+|>[ \t]+)?(?:(?:[-*+]|[0-9]+[.)])[ \t]+)*(?:#{1,3}|-#)[ \t]"
)


def assert_safe(shown: str) -> None:
    assert "](" not in shown, shown  # no masked link: Discord needs "](" to draw one
    assert not HEADING.search(shown), shown


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        pytest.param(
            "# OFFICIAL LINKWISE NOTICE\nVerify at [linkedin.com/verify](https://evil.example/steal)",
            "\\# OFFICIAL LINKWISE NOTICE\nVerify at linkedin.com/verify (https://evil.example/steal)",
            id="the-reported-notice",
        ),
        pytest.param("[here](<https://evil.example>)", "here (<https://evil.example>)", id="angle-brackets"),
        pytest.param(
            '[docs](https://a.example/x "LinkedIn Help")', 'docs (https://a.example/x "LinkedIn Help")', id="title"
        ),
        pytest.param("[ ](https://evil.example)", "https://evil.example", id="blank-label"),
        pytest.param(
            "[wiki](https://en.wikipedia.org/wiki/Net_(economics))",
            "wiki (https://en.wikipedia.org/wiki/Net_(economics))",
            id="parentheses-in-the-address",
        ),
        pytest.param(
            "[https://linkedin.com](https://evil.example)",
            "https://linkedin.com (https://evil.example)",
            id="a-label-that-looks-like-an-address",
        ),
        pytest.param(
            "## Big\n### Bigger\n-# small print", "\\## Big\n\\### Bigger\n\\-# small print", id="every-level"
        ),
        pytest.param("> # quoted\n>>> ## quoted block", "> \\# quoted\n>>> \\## quoted block", id="in-quotes"),
        pytest.param("- # listed\n1. ### numbered", "- \\# listed\n1. \\### numbered", id="in-lists"),
        pytest.param("   # indented", "   \\# indented", id="indented"),
        pytest.param("line\r# after a carriage return", "line\r\\# after a carriage return", id="carriage-return"),
    ],
)
def test_hostile_markdown_is_shown_with_real_addresses_and_no_headings(written, shown):
    assert sanitize_member_text(written) == shown
    assert_safe(shown)


@pytest.mark.parametrize(
    "written",
    [
        "[[nested]](https://evil.example)",
        "[a [b](https://one.example) c](https://two.example)",
        "[x]( https://evil.example )",
        "[x](https://evil.example)[y](https://evil.example)",
        "\\[escaped](https://evil.example)",
        "\\\\[escaped backslash](https://evil.example)",
        "[multi\nline](https://evil.example)",
        "[x](javascript:alert(1))",
        "[x]()",
        "](((((",
    ],
)
def test_odd_brackets_leave_no_masked_link_and_every_address_visible(written):
    shown = sanitize_member_text(written)
    assert_safe(shown)
    for address in re.findall(r"[a-z]+:[^\s()\[\]<>\"]+", written):
        assert address in shown


@pytest.mark.parametrize(
    "written",
    [
        "I open every note with the project we shared. It works!",
        "#hashtag at the start, ####four marks, #no-space, and C# skills",
        "Ask <@123> and @everyone; see https://www.linkedin.com/help and <https://example.com>.",
        "**bold** __under__ ~~gone~~ `code` ||spoiler|| - a list\n> a quote",
        "Costs (in $) [approx]: 20 (per month)",
        "",
    ],
)
def test_ordinary_text_is_kept_exactly_as_written(written):
    assert sanitize_member_text(written) == written


@given(st.text(alphabet=st.sampled_from(list("[]()<>#-> \n\r\\ab:/.\"'*1")), max_size=80))
def test_no_input_leaves_a_masked_link_or_a_heading(written):
    shown = sanitize_member_text(written)
    assert_safe(shown)
    assert len(shown) <= 2 * len(written) + 1
    assert sanitize_member_text(shown) == shown  # showing it again changes nothing


def test_text_back_uses_a_code_block_or_a_file():
    short = text_back("Not posted.", "my text")
    assert short == {"content": "Not posted.\n\nHere is your text, so you can copy it:\n```\nmy text\n```"}
    fenced = text_back("Not posted.", "a ``` fence", filename="your-practice.txt")
    assert "attached" in fenced["content"] and fenced["file"].filename == "your-practice.txt"
    long = text_back("Not posted.", "x" * 1990)
    assert "file" in long
    assert text_back("Not posted.", "lone \ud800 surrogate")["content"].startswith("Not posted.")
    assert "file" in text_back("Not posted.", "lone \ud800 surrogate " * 150)


def test_form_text_labels_several_boxes_and_keeps_one_as_it_is():
    assert form_text({"text": "my about"}, {"text": "Your About"}) == "my about"
    assert form_text({"posting": "job", "profile": "me"}, {"posting": "The posting", "profile": "Your profile"}) == (
        "The posting:\njob\n\nYour profile:\nme"
    )
    assert form_text({"posting": "job", "profile": ""}, {}) == "job"


async def test_every_command_runs_its_own_body_with_no_wrapper_around_it(group):
    """Expected outcomes are answered by the tree's check or by the body itself (a Refusal), so
    no command needs a wrapper that catches errors and rewrites its signature."""
    commands = [c for c in group.env.bot.tree.walk_commands() if isinstance(c, app_commands.Command)]
    assert len(commands) > 20
    for command in commands:
        assert not hasattr(command.callback, "__wrapped__"), command.qualified_name
        assert command.callback.__module__.startswith("cogs."), command.qualified_name
