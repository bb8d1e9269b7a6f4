from __future__ import annotations

import sqlite3

from bot import create_bot
from bot.content import default_content


def rows(db_path, sql, params=()):
    with sqlite3.connect(db_path) as conn:
        return conn.execute(sql, params).fetchall()


async def test_tip_is_an_ephemeral_embed_with_two_buttons(group):
    result = await group.alice.slash(group.channel, "tip")
    assert result.ephemeral
    embed = result.response.embeds[0]
    tip = next(t for t in default_content().tips if t.title == embed.title)
    assert embed.description == tip.body
    assert tip.topic_label in embed.footer.text
    labels = [c["label"] for row in result.response.components for c in row["components"]]
    assert labels == ["Another tip", "I tried this"]


async def test_smoke_topic(group):
    result = await group.alice.slash(group.channel, "tip", topic="connecting", public=True)
    assert not result.ephemeral
    assert "Connecting" in result.response.embeds[0].footer.text
