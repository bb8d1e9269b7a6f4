"""/tip: one LinkedIn tip at a time, with **Another tip** and **I tried this**."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_content
from bot.app import Linkwise
from bot.content import TOPICS, Tip
from bot.errors import Refusal
from bot.options import Topic
from bot.posts import Post
from bot.ui import (
    PersistentItem,
    member_of,
    persistent_view,
    refuse,
    reply,
    tip_embed,
)
from cogs.tips import service as tips

log = logging.getLogger(__name__)

def tip_view(tip: Tip, selection: str) -> discord.ui.View:
    return persistent_view(AnotherTip(selection), TriedTip(tip.id))


async def tip_post(bot: Linkwise, guild_id: int, topic: str | None) -> Post:
    """A scheduled tip post: the server's next tip not yet posted there, taken from its
    rotation now (the dispatcher gives it back if the post does not go out)."""
    tip, claim = await tips.claim_for_post(bot.content, bot.store, guild_id, topic)
    return Post(tip.id, tip_embed(tip), tip_view(tip, topic or tips.ALL), claim=claim)


async def send_tip(interaction: discord.Interaction[Linkwise], topic: str | None, *, public: bool) -> None:
    bot = interaction.client
    picked = await tips.next_tip(bot.content, bot.store, member_of(interaction), topic)
    if isinstance(picked, Refusal):
        return await refuse(interaction, picked)
    note = None
    if picked.cycle_restarted:
        scope = f"{TOPICS[topic]} tips" if topic else "tips"
        note = f"You have seen all {picked.pool_size} {scope}, so the cycle starts again from the top."
    await reply(
        interaction,
        note,
        embed=tip_embed(picked.tip),
        view=tip_view(picked.tip, topic or tips.ALL),
        ephemeral=not public,
    )
    if public and not await custom_content.still_exists(bot.store, interaction.guild_id or 0, picked.tip.id):
        # A counsellor removed it while Discord was taking the post: it does not stay posted.
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.warning("could not take down a removed tip (guild=%s)", interaction.guild_id, exc_info=True)
            return
        await reply(interaction, "A counsellor removed that tip just as it was posted, so Linkwise took it down.")


class AnotherTip(PersistentItem, prefix="tip:next", key=r"[a-z-]{1,20}"):
    """Gives the clicker their next unseen tip of the same selection (its key), just for them."""

    key: str

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label="Another tip",
            style=discord.ButtonStyle.primary,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        topic = None if self.key == tips.ALL else self.key
        if topic is not None and topic not in TOPICS:
            await reply(interaction, "That button points at a topic Linkwise does not know. Use /tip instead.")
            return
        await send_tip(interaction, topic, public=False)


class TriedTip(PersistentItem, prefix="tip:tried", key=r"[a-z0-9-]{1,80}"):
    """Records the tip (its key) as tried for the clicker (idempotent) and shows their running count."""

    key: str

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label="I tried this",
            style=discord.ButtonStyle.success,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        tried = await tips.mark_tried(bot.content, bot.store, member_of(interaction), self.key)
        if isinstance(tried, Refusal):
            return await refuse(interaction, tried)
        tip, new, count = tried
        plural = "tip" if count == 1 else "tips"
        title = discord.utils.escape_mentions(tip.title)  # a server's own tip may carry mentions
        if new:
            message = f"Nice work: **{title}** is marked as tried. You have tried {count} {plural} so far."
        else:
            message = f"You had already marked **{title}** as tried. You have tried {count} {plural} so far."
        await reply(interaction, message)


class Tips(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="tip", description="Get a LinkedIn tip you have not seen yet")
    @app_commands.describe(
        topic="Only tips about this topic (default: any topic)",
        public="Post it in the channel for everyone (default: only you see it)",
    )
    @app_commands.guild_only()
    async def tip(
        self,
        interaction: discord.Interaction[Linkwise],
        topic: app_commands.Transform[str, Topic] | None = None,
        public: bool = False,
    ) -> None:
        await send_tip(interaction, topic, public=public)


async def setup(bot: Linkwise) -> None:
    bot.add_dynamic_items(AnotherTip, TriedTip)
    bot.add_post_source("tip", tip_post)
    await bot.add_cog(Tips(bot))
