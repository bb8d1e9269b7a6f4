"""Posts in flight (issue 13, item 3): once a counsellor is told a schedule is removed or paused,
or one of the server's own items is removed, it is not posted, even by a post that was already
waiting out a retry or on its way to Discord.

SimCord's clock starts at 2026-01-01T00:00Z. A schedule at 09:00 UTC whose first send gets a 5xx
or 429 waits 2 s before its resend: travelling to 09:00:01 leaves it waiting, so the counsellor
acts in the middle of the backoff.
"""

from __future__ import annotations

import asyncio

import discord
import pytest

from tests.db import rows
from tests.scheduled import dispatcher_of, posts, sends_to, travel_to, utc

CUSTOM_TITLE = "Ask your old team lead first"
CUSTOM_BODY = "Your first recommendation request goes to someone who saw your work up close, this week."
CUSTOM_PROMPT = "Which former colleague would you ask for a recommendation first, and why them?"


def answers(result) -> str:
    """Everything the member was answered (a deferred answer's first follow-up fills it)."""
    return " ".join(m.content for m in ([result.response] if result.response else []) + result.followups)


def every_message_text(channel) -> str:
    return " ".join(f"{m.content} {[e.to_dict() for e in m.embeds]}" for m in channel.history())


@pytest.fixture
def held_sends(monkeypatch):
    """``hold(channel_id)``: the next send to that channel waits (a declared external wait, so
    SimCord settles around it) until the returned event is set, then goes to Discord."""

    def hold(env, channel_id: int) -> asyncio.Event:
        gate = asyncio.Event()
        real = discord.TextChannel.send
        armed = [True]

        async def send(self, *args, **kwargs):
            if self.id == channel_id and armed[0]:
                armed[0] = False
                await env.external_wait(gate.wait(), reason="the post is on its way to Discord")
            return await real(self, *args, **kwargs)

        monkeypatch.setattr(discord.TextChannel, "send", send)
        return gate

    return hold


@pytest.fixture
def rate_limited_once(monkeypatch):
    """``limit(channel_id)``: the next send to that channel is refused with a 429 asking to wait
    30 s (a wait SimCord does not drain within one command, so the counsellor can act in it)."""

    def limit(channel_id: int) -> None:
        real = discord.TextChannel.send
        armed = [True]

        async def send(self, *args, **kwargs):
            if self.id == channel_id and armed[0]:
                armed[0] = False
                raise discord.RateLimited(30.0)
            return await real(self, *args, **kwargs)

        monkeypatch.setattr(discord.TextChannel, "send", send)

    return limit


async def add_schedule(group, **options):
    options.setdefault("time", "09:00")
    options.setdefault("timezone", "UTC")
    options.setdefault("days", "daily")
    added = await group.counsellor.slash(group.channel, "schedule add", channel=group.channel, **options)
    assert "#" in added.response.content, added.response.content


async def add_custom_tip(group):
    added = await group.counsellor.slash(
        group.channel, "content add-tip", topic="recommendations", title=CUSTOM_TITLE, body=CUSTOM_BODY
    )
    assert "Added your tip" in added.response.content, added.response.content


async def wait_in_backoff(group, status: int) -> None:
    """Make the 09:00 post's first send fail with ``status`` and stop while it waits to resend."""
    group.env.inject_error("POST", f"/channels/{group.channel.id}/messages", status=status)
    await travel_to(group.env, utc("2026-01-01T09:00:01"))
    assert sends_to(group.env, group.channel) == 1
    assert posts(group.channel) == []


# --------------------------------------------------------------------------- remove / pause
@pytest.mark.parametrize("status", [503, 429])
async def test_a_schedule_removed_during_the_backoff_is_not_posted(group, database_url, status):
    await add_schedule(group)
    await wait_in_backoff(group, status)

    removed = await group.counsellor.slash(group.channel, "schedule remove", id=1)
    assert "#1 is removed" in removed.response.content
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert posts(group.channel) == []
    assert sends_to(group.env, group.channel) == 1  # no resend after "removed"
    assert rows(database_url, "SELECT COUNT(*) FROM rotation") == [(0,)]  # the tip it had taken was given back
    assert dispatcher_of(group.env.bot).running


@pytest.mark.parametrize("status", [503, 429])
async def test_a_schedule_paused_during_the_backoff_is_not_posted(group, database_url, status):
    await add_schedule(group)
    await wait_in_backoff(group, status)

    paused = await group.counsellor.slash(group.channel, "schedule pause", id=1)
    assert "#1 is paused" in paused.response.content
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert posts(group.channel) == []
    assert sends_to(group.env, group.channel) == 1
    assert rows(database_url, "SELECT slot, status FROM schedule_slots") == [("2026-01-01T09:00:00+00:00", "cancelled")]


async def test_paused_and_resumed_during_the_backoff_the_waiting_post_still_does_not_go(group, database_url):
    """Resumed, the schedule continues from its next slot; the post of the paused slot stays
    unsent (the counsellor was told "paused", and "posts missed while it was paused are not sent")."""
    await add_schedule(group)
    await wait_in_backoff(group, 503)

    await group.counsellor.slash(group.channel, "schedule pause", id=1)
    resumed = await group.counsellor.slash(group.channel, "schedule resume", id=1)
    assert "running again" in resumed.response.content
    await travel_to(group.env, utc("2026-01-02T12:00"))

    assert [m.created_at for m in posts(group.channel)] == [utc("2026-01-02T09:00")]
    assert rows(database_url, "SELECT slot, status FROM schedule_slots ORDER BY slot") == [
        ("2026-01-01T09:00:00+00:00", "cancelled"),
        ("2026-01-02T09:00:00+00:00", "posted"),
    ]


async def test_a_schedule_removed_while_its_post_is_on_its_way_has_the_post_taken_down(group, database_url, held_sends):
    await add_schedule(group)
    gate = held_sends(group.env, group.channel.id)
    await travel_to(group.env, utc("2026-01-01T09:00:01"))  # the post is with Discord, not answered yet

    removed = await group.counsellor.slash(group.channel, "schedule remove", id=1)
    assert "#1 is removed" in removed.response.content
    gate.set()
    await group.env.settle()

    assert sends_to(group.env, group.channel) == 1  # Discord took it...
    assert posts(group.channel) == []  # ...and Linkwise deleted it at once
    assert rows(database_url, "SELECT COUNT(*) FROM rotation") == [(0,)]
    await travel_to(group.env, utc("2026-01-02T12:00"))
    assert posts(group.channel) == []


# --------------------------------------------------------------------------- removed content
async def test_a_custom_tip_removed_during_the_backoff_is_replaced_by_another_tip(group, database_url, custom_first):
    await add_custom_tip(group)
    await add_schedule(group, topic="recommendations")
    await wait_in_backoff(group, 503)  # the failed send carried the custom tip
    first_try = next(r for r in group.env.http_requests if r.path == f"/channels/{group.channel.id}/messages")
    assert CUSTOM_TITLE in str(first_try.json)

    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")
    assert "Removed tip" in removed.response.content
    await travel_to(group.env, utc("2026-01-01T12:00"))

    [posted] = posts(group.channel)  # the slot still posts, with a tip that exists
    assert posted.embeds[0].title != CUSTOM_TITLE
    assert "Recommendations" in posted.embeds[0].footer.text
    assert CUSTOM_TITLE not in every_message_text(group.channel)
    used = [i for (i,) in rows(database_url, "SELECT item_id FROM rotation")]
    assert len(used) == 1 and used != ["custom-tip-1"]
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("posted",)]


async def test_a_custom_tip_removed_while_its_post_is_on_its_way_is_taken_down(
    group, database_url, custom_first, held_sends
):
    await add_custom_tip(group)
    await add_schedule(group, topic="recommendations")
    gate = held_sends(group.env, group.channel.id)
    await travel_to(group.env, utc("2026-01-01T09:00:01"))

    await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")
    gate.set()
    await group.env.settle()

    assert CUSTOM_TITLE not in every_message_text(group.channel)
    assert posts(group.channel) == []
    assert rows(database_url, "SELECT status FROM schedule_slots") == [("cancelled",)]


async def test_schedule_test_does_not_post_a_custom_tip_removed_while_it_waits(
    group, database_url, custom_first, rate_limited_once
):
    await add_custom_tip(group)
    await add_schedule(group, topic="recommendations")
    rate_limited_once(group.channel.id)
    testing = await group.counsellor.slash(group.channel, "schedule test", id=1)  # waits out the 429
    assert posts(group.channel) == []

    await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")
    await group.env.advance_time(40)

    [posted] = posts(group.channel)
    assert posted.embeds[0].title != CUSTOM_TITLE
    assert posted.jump_url in answers(testing)
    assert CUSTOM_TITLE not in every_message_text(group.channel)


async def test_schedule_test_of_a_schedule_removed_while_it_waits_posts_nothing(group, database_url, rate_limited_once):
    await add_schedule(group)
    rate_limited_once(group.channel.id)
    testing = await group.counsellor.slash(group.channel, "schedule test", id=1)
    assert posts(group.channel) == []

    await group.counsellor.slash(group.channel, "schedule remove", id=1)
    await group.env.advance_time(40)

    assert posts(group.channel) == []
    assert "was not sent" in answers(testing)
    assert rows(database_url, "SELECT COUNT(*) FROM rotation") == [(0,)]


async def test_a_custom_prompt_removed_while_prompt_posts_it_is_taken_down(
    group, database_url, custom_first, monkeypatch
):
    added = await group.counsellor.slash(group.channel, "content add-prompt", text=CUSTOM_PROMPT, topic="messaging")
    assert "Added your prompt" in added.response.content
    gate = asyncio.Event()
    real = discord.InteractionResponse.send_message
    armed = [True]

    async def send_message(self, *args, **kwargs):
        embed = kwargs.get("embed")
        if armed[0] and embed is not None and embed.title == "Discussion prompt":
            armed[0] = False
            await group.env.external_wait(gate.wait(), reason="the prompt is on its way to Discord")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(discord.InteractionResponse, "send_message", send_message)
    asked = await group.alice.slash(group.channel, "prompt", topic="messaging")  # chosen, not answered yet

    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-prompt-1")
    assert "Removed prompt" in removed.response.content
    gate.set()
    await group.env.settle()

    assert CUSTOM_PROMPT not in every_message_text(group.channel)
    assert "took the post down" in answers(asked)
    assert rows(database_url, "SELECT COUNT(*) FROM rotation") == [(0,)]
    assert rows(database_url, "SELECT COUNT(*) FROM prompt_requests") == [(0,)]  # no cooldown for nothing
    again = await group.alice.slash(group.channel, "prompt", topic="messaging")  # she can ask again at once
    assert not again.ephemeral and again.response.embeds[0].description != CUSTOM_PROMPT


async def test_a_public_custom_tip_removed_while_it_is_posted_is_taken_down(
    group, database_url, custom_first, monkeypatch
):
    await add_custom_tip(group)
    gate = asyncio.Event()
    real = discord.InteractionResponse.send_message
    armed = [True]

    async def send_message(self, *args, **kwargs):
        embed = kwargs.get("embed")
        if armed[0] and embed is not None and embed.title == CUSTOM_TITLE:
            armed[0] = False
            await group.env.external_wait(gate.wait(), reason="the tip is on its way to Discord")
        return await real(self, *args, **kwargs)

    monkeypatch.setattr(discord.InteractionResponse, "send_message", send_message)
    asked = await group.alice.slash(group.channel, "tip", topic="recommendations", public=True)

    removed = await group.counsellor.slash(group.channel, "content remove", id="custom-tip-1")
    assert "Removed tip" in removed.response.content
    gate.set()
    await group.env.settle()

    assert CUSTOM_TITLE not in every_message_text(group.channel)
    assert "took it down" in answers(asked)
