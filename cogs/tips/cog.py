"""/tip: one LinkedIn tip at a time, with **Another tip** and **I tried this**."""

from __future__ import annotations

import logging
from typing import Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_content
from bot.app import Linkwise
from bot.content import TOPICS, Tip, topic_labels
from bot.errors import Refusal
from bot.i18n import N_, _, current_locale, ngettext, post_locale, using_locale
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
    rotation now (the dispatcher gives it back if the post does not go out). In the server's
    language (SPEC "Languages": a public post uses the server's setting, else its preferred locale)."""
    with using_locale(await post_locale(bot.store, guild_id, bot.get_guild(guild_id))):
        content = bot.content.localized(current_locale())
        tip, claim = await tips.claim_for_post(content, bot.store, guild_id, topic)
        return Post(tip.id, tip_embed(tip), tip_view(tip, topic or tips.ALL), claim=claim)


async def send_tip(interaction: discord.Interaction[Linkwise], topic: str | None, *, public: bool) -> None:
    bot = interaction.client
    picked = await tips.next_tip(bot.content.localized(current_locale()), bot.store, member_of(interaction), topic)
    if isinstance(picked, Refusal):
        return await refuse(interaction, picked)
    note = None
    if picked.cycle_restarted and topic:
        note = _(
            "You have seen all {count} {topic} tips, so the cycle starts again from the top.",
            count=picked.pool_size,
            topic=topic_labels(current_locale())[topic],
        )
    elif picked.cycle_restarted:
        note = _("You have seen all {count} tips, so the cycle starts again from the top.", count=picked.pool_size)
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
        await reply(interaction, _("A counsellor removed that tip just as it was posted, so Linkwise took it down."))


class AnotherTip(PersistentItem, prefix="tip:next", key=r"[a-z-]{1,20}"):
    """Gives the clicker their next unseen tip of the same selection (its key), just for them."""

    key: str

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("Another tip"),
            style=discord.ButtonStyle.primary,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        topic = None if self.key == tips.ALL else self.key
        if topic is not None and topic not in TOPICS:
            await reply(interaction, _("That button points at a topic Linkwise does not know. Use /tip instead."))
            return
        await send_tip(interaction, topic, public=False)


class TriedTip(PersistentItem, prefix="tip:tried", key=r"[a-z0-9-]{1,80}"):
    """Records the tip (its key) as tried for the clicker (idempotent) and shows their running count."""

    key: str

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("I tried this"),
            style=discord.ButtonStyle.success,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        content = bot.content.localized(current_locale())
        tried = await tips.mark_tried(content, bot.store, member_of(interaction), self.key)
        if isinstance(tried, Refusal):
            return await refuse(interaction, tried)
        tip, new, count = tried
        title = discord.utils.escape_mentions(tip.title)  # a server's own tip may carry mentions
        if new:
            message = ngettext(
                "Nice work: **{title}** is marked as tried. You have tried {n} tip so far.",
                "Nice work: **{title}** is marked as tried. You have tried {n} tips so far.",
                count,
                title=title,
            )
        else:
            message = ngettext(
                "You had already marked **{title}** as tried. You have tried {n} tip so far.",
                "You had already marked **{title}** as tried. You have tried {n} tips so far.",
                count,
                title=title,
            )
        await reply(interaction, message)


class Tips(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="tip", description=N_("Get a LinkedIn tip you have not seen yet"))
    @app_commands.describe(
        topic=N_("Only tips about this topic (default: any topic)"),
        public=N_("Post it in the channel for everyone (default: only you see it)"),
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
