"""The review rules are loaded by the first review, not at start-up: that review is scored by the
full rules, and a broken rules file neither stops the bot nor goes unreported."""

from __future__ import annotations

import functools
import importlib
import logging
import sys

import pytest

from bot import create_bot
from bot.ui import GENERIC_FAILURE

STRONG_HEADLINE = "Warehouse Supervisor | Inventory Control · Forklift Certified · Team Scheduling"


def loaded_rules_module():
    """The rules module the running bot uses, imported now if no review has imported it yet
    (discord.py re-imports an extension's modules each time it loads it, so a test's own
    import at the top of the file may be an older copy)."""
    return importlib.import_module("cogs.review.rules")


@pytest.fixture
def simcord_bot(database_url):
    """The bot, started with no rules loaded in this process (an earlier test's are forgotten)."""
    if "cogs.review.rules" in sys.modules:
        loaded_rules_module().default_rules.cache_clear()
    return create_bot(database_url=database_url)


async def test_the_bot_starts_without_loading_the_rules_and_the_first_review_scores_in_full(group):
    rules = loaded_rules_module()
    assert rules.default_rules.cache_info().currsize == 0  # start-up left them alone

    result = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)

    (embed,) = result.response.embeds
    expected = rules.review("headline", STRONG_HEADLINE, rules.load_rules())
    assert f" {expected.score}/100" in embed.title
    assert [field.name for field in embed.fields][:2] == ["Strengths", "Suggestions"]
    assert rules.default_rules.cache_info().currsize == 1  # loaded once, kept for the next review
    again = await group.bob.slash(group.channel, "review headline", text=STRONG_HEADLINE)
    assert again.response.embeds[0].title == embed.title


async def test_broken_rules_leave_the_bot_answering_and_the_review_apologises_and_logs_why(
    group, tmp_path, caplog, monkeypatch
):
    rules = loaded_rules_module()
    (tmp_path / "facts.toml").write_text('limit = "not a number"\n', encoding="utf-8")
    monkeypatch.setattr(rules, "CONTENT_DIR", tmp_path)
    monkeypatch.setattr(rules, "default_rules", functools.cache(rules.load_rules))  # nothing loaded yet

    tip = await group.alice.slash(group.channel, "tip")
    assert tip.response.embeds
    with caplog.at_level(logging.ERROR):
        result = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)

    assert result.ephemeral
    assert result.response.content == GENERIC_FAILURE
    causes = [getattr(error, "original", error) for error in group.env.errors]
    assert causes and all(isinstance(cause, ValueError) for cause in causes)
    assert "facts.toml: values must be numbers" in caplog.text
