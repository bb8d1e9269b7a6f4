"""Helpers shared by the tests that drive scheduled posts through virtual time."""

from __future__ import annotations

from datetime import UTC, datetime

import discord

DAY = 86400.0


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


async def travel_to(env, moment: datetime) -> None:
    """Advance virtual time to ``moment``, a day at a time."""
    while env.now() < moment:
        await env.advance_time(min(DAY, (moment - env.now()).total_seconds()))


def posts(channel) -> list[discord.Message]:
    """The public messages Linkwise posted in ``channel`` (not ephemeral command replies)."""
    return [m for m in channel.history() if m.author.bot and not m.flags.ephemeral]


def sends_to(env, channel) -> int:
    """How many times the bot asked Discord to post in ``channel`` (failed attempts included)."""
    path = f"/channels/{channel.id}/messages"
    return sum(1 for r in env.http_requests if r.method == "POST" and r.path == path)


def dispatcher_of(bot):
    """The schedules feature's dispatcher (its cog starts and stops it)."""
    return bot.get_cog("Schedules").dispatcher
