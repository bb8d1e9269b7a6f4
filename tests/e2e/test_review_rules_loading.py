"""The review rules are loaded after start-up, not during it: the first review, however soon it
comes, is scored by the full rules, and a broken rules file found then is logged, not silent."""

from __future__ import annotations

import logging
import sys

import pytest

from bot import create_bot

STRONG_HEADLINE = "Warehouse Supervisor | Inventory Control · Forklift Certified · Team Scheduling"


def loaded_rules_module():
    """The rules module the running bot imported (discord.py re-imports an extension's modules
    each time it loads it, so a test's own import may be an older copy)."""
    return sys.modules["cogs.review.rules"]


@pytest.fixture
def simcord_bot(db_path):
    bot = create_bot(db_path=db_path)
    rules = sys.modules.get("cogs.review.rules")
    if rules is not None:
        rules.default_rules.cache_clear()
    return bot


async def test_a_review_before_the_rules_are_loaded_loads_them_and_scores_in_full(group):
    rules = loaded_rules_module()
    rules.default_rules.cache_clear()  # as if the review came before the rules were loaded

    result = await group.alice.slash(group.channel, "review headline", text=STRONG_HEADLINE)

    (embed,) = result.response.embeds
    expected = rules.review("headline", STRONG_HEADLINE, rules.load_rules())
    assert f" {expected.score}/100" in embed.title
    assert len(embed.fields) >= 2
    assert rules.default_rules.cache_info().currsize == 1


async def test_the_rules_are_loaded_once_the_bot_is_ready_without_any_review(group):
    await group.env.settle()

    assert loaded_rules_module().default_rules.cache_info().currsize == 1
    tip = await group.alice.slash(group.channel, "tip")
    assert tip.response.embeds


async def test_broken_rules_found_after_start_are_logged_and_other_commands_still_answer(
    group, tmp_path, caplog, monkeypatch
):
    rules = loaded_rules_module()
    (tmp_path / "facts.toml").write_text('limit = "not a number"\n', encoding="utf-8")
    monkeypatch.setattr(rules, "CONTENT_DIR", tmp_path)
    rules.default_rules.cache_clear()
    cog = group.env.bot.get_cog("ReviewCog")

    with caplog.at_level(logging.ERROR, logger="cogs.review.cog"):
        await cog._load_rules_once_ready()

    assert "the review rules are invalid: run `linkwise check`" in caplog.text
    assert "facts.toml" in caplog.text
    tip = await group.alice.slash(group.channel, "tip")
    assert tip.response.embeds
