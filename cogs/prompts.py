"""/prompt: a public discussion prompt with **Share your practice**, and the share flow.

The button opens the modal "Share your practice"; the answer is posted as an embed attributed
to the member (display name, never a ping) in a thread on the prompt message, created on first
use and reused after. When Linkwise cannot open a thread there, the answer goes in the channel.
If Discord refuses the post, the member gets their text back: a shared practice is never lost.
"""

from __future__ import annotations

import io
import logging
import re

import discord
from discord import app_commands
from discord.ext import commands

from bot import prompts
from bot.app import (
    NO_MENTIONS,
    Linkwise,
    PersistentItem,
    handles_user_errors,
    member_of,
    persistent_view,
    reply,
    report_error,
)
from bot.content import TOPICS, Prompt
from bot.dispatcher import Post
from bot.tips import Member
from cogs.tips import TOPIC_CHOICES

log = logging.getLogger(__name__)

PROMPT_COLOUR = discord.Colour.from_rgb(5, 118, 66)
SHARE_COLOUR = discord.Colour.from_rgb(10, 102, 194)
THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
ARCHIVE_AFTER_MINUTES = 10080  # a week: a prompt's thread stays open while the group answers


def prompt_embed(prompt: Prompt) -> discord.Embed:
    embed = discord.Embed(title="Discussion prompt", description=prompt.text, colour=PROMPT_COLOUR)
    label = prompts.topic_label(prompt)
    topic = f"Topic: {label}" if label else "Your group's own prompt"
    embed.set_footer(text=f"{topic} · Answer from your experience with the button below")
    return embed


def prompt_view(prompt: Prompt) -> discord.ui.View:
    return persistent_view(SharePractice(prompt.id))


async def prompt_post(bot: Linkwise, guild_id: int, topic: str | None) -> Post:
    """A scheduled prompt post: the server's next prompt not yet posted there, taken from its
    rotation now (the dispatcher gives it back if the post does not go out)."""
    picked = await prompts.claim_next(bot.content, bot.store, guild_id, topic)
    return Post(picked.prompt.id, prompt_embed(picked.prompt), prompt_view(picked.prompt), claim=picked.claim)


TAKEN_DOWN = (
    "A counsellor removed that prompt just as it was posted, so Linkwise took the post down. "
    "Use /prompt again for another one."
)


async def post_prompt(interaction: discord.Interaction, topic: str | None) -> None:
    bot: Linkwise = interaction.client  # type: ignore[assignment]
    member = member_of(interaction)
    taken_at = await prompts.take_turn(bot.store, member)
    picked: prompts.NextPrompt | None = None
    try:
        picked = await prompts.claim_next(bot.content, bot.store, member.guild_id, topic)
        note = None
        if picked.rotation_restarted:
            scope = f"{TOPICS[topic]} prompts" if topic else "prompts"
            note = f"All {picked.pool_size} {scope} have been posted here, so the rotation starts again."
        await interaction.response.send_message(
            note, embed=prompt_embed(picked.prompt), view=prompt_view(picked.prompt), allowed_mentions=NO_MENTIONS
        )
    except BaseException:
        if picked is not None:
            await prompts.give_back(bot.store, picked)  # nothing was posted: the prompt is not used up
        await prompts.give_back_turn(bot.store, member, taken_at)  # and no cooldown
        raise
    if not await prompts.still_there(bot.store, member.guild_id, picked):
        # Removed while Discord was taking the post: the counsellor was told it is gone, so it goes.
        try:
            await interaction.delete_original_response()
        except discord.HTTPException:
            log.warning("could not take down a removed prompt (guild=%s)", member.guild_id, exc_info=True)
        else:
            await prompts.give_back(bot.store, picked)
            await prompts.give_back_turn(bot.store, member, taken_at)
            await reply(interaction, TAKEN_DOWN)
            return
    await prompts.mark_posted(bot.store, member)


class SharePractice(PersistentItem, template=r"linkwise:prompt:share:(?P<prompt_id>[a-z0-9-]{1,78})"):
    """Opens the share modal for whoever clicks, on any prompt post (from /prompt or a schedule)."""

    def __init__(self, prompt_id: str) -> None:
        super().__init__(
            discord.ui.Button(
                label="Share your practice",
                style=discord.ButtonStyle.success,
                custom_id=f"linkwise:prompt:share:{prompt_id}",
            )
        )
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(
        cls, interaction: discord.Interaction, item: discord.ui.Button, match: re.Match[str]
    ) -> SharePractice:
        return cls(match["prompt_id"])

    async def run(self, interaction: discord.Interaction) -> None:
        bot: Linkwise = interaction.client  # type: ignore[assignment]
        member = member_of(interaction)
        prompt = await prompts.find_prompt(bot.content, bot.store, member.guild_id, self.prompt_id)
        message = interaction.message
        if message is None:  # a button always comes on a message; be safe all the same
            await reply(interaction, "That prompt is no longer available. Ask for a new one with /prompt.")
            return
        # The prompt may have been removed since it was posted: its post still says what it was.
        text = prompt.text if prompt else next((e.description for e in message.embeds if e.description), "")
        await interaction.response.send_modal(ShareModal(self.prompt_id, text, message))


class ShareModal(discord.ui.Modal, title="Share your practice"):
    practice: discord.ui.TextInput[ShareModal] = discord.ui.TextInput(
        label="Your practice: what you did and how it went",
        style=discord.TextStyle.paragraph,
        custom_id="practice",
        placeholder="Be specific: what you did or wrote, and what happened. The group will read it.",
        min_length=prompts.PRACTICE_MIN,
        max_length=prompts.PRACTICE_MAX,
    )

    def __init__(self, prompt_id: str, prompt_text: str, message: discord.Message) -> None:
        super().__init__(timeout=3600, custom_id=f"linkwise:prompt:answer:{prompt_id}"[:100])
        self.prompt_id = prompt_id
        self.prompt_text = prompt_text
        self.message = message

    async def on_submit(self, interaction: discord.Interaction) -> None:  # type: ignore[override]
        bot: Linkwise = interaction.client  # type: ignore[assignment]
        member = member_of(interaction)
        text = self.practice.value.strip()
        problem = prompts.practice_problem(text)
        if problem:
            await reply(interaction, **text_back(problem, self.practice.value))
            return
        await interaction.response.defer(ephemeral=True, thinking=True)
        try:
            destination, in_thread = await self.destination(interaction)
            posted = await destination.send(
                embed=share_embed(member, interaction.user, text, None if in_thread else self.prompt_text),
                allowed_mentions=NO_MENTIONS,
            )
        except discord.HTTPException as error:
            log.warning("could not post a practice (guild=%s user=%s): %s", member.guild_id, member.user_id, error)
            await reply(interaction, **text_back(post_failure(error), text))
            return
        count = await prompts.record_share(
            bot.store, member, self.prompt_id, self.message.id, posted.channel.id, posted.id
        )
        where = "in the thread" if in_thread else f"posted in {posted.channel.mention}"
        note = "" if in_thread or isinstance(destination, discord.Thread) else (
            " (Linkwise cannot open threads in this channel, so it went in the channel itself)"
        )
        plural = "practice" if count == 1 else "practices"
        await reply(
            interaction,
            f"Thanks — your practice is {where}{note}: {posted.jump_url}\n"
            f"You have shared {count} {plural} with this group.",
        )

    async def destination(self, interaction: discord.Interaction) -> tuple[discord.abc.Messageable, bool]:
        """Where the answer goes: the prompt's thread (found, or created now) and True; or the
        prompt's channel and False when Linkwise cannot open a thread there."""
        message = self.message
        thread = message.thread
        if thread is not None:
            return thread, True
        channel = message.channel
        allowed = interaction.app_permissions
        if not (
            isinstance(channel, discord.TextChannel)
            and allowed.create_public_threads
            and allowed.send_messages_in_threads
        ):
            return channel, False  # type: ignore[return-value]
        try:
            thread = await message.create_thread(
                name=prompts.thread_name(self.prompt_text), auto_archive_duration=ARCHIVE_AFTER_MINUTES
            )
        except discord.Forbidden:
            return channel, False
        except discord.HTTPException as error:
            if error.code != THREAD_EXISTS:  # e.g. archived, so not in the cache: use it
                raise
            thread = await message.fetch_thread()
        return thread, True

    async def on_error(self, interaction: discord.Interaction, error: Exception) -> None:  # type: ignore[override]
        await report_error(interaction, error)


def share_embed(member: Member, user: discord.abc.User, text: str, prompt_text: str | None) -> discord.Embed:
    """The answer, attributed by display name (an embed author never pings anyone)."""
    embed = discord.Embed(description=text, colour=SHARE_COLOUR)
    embed.set_author(name=member.display_name, icon_url=user.display_avatar.url)
    if prompt_text:  # posted in the channel: say which prompt it answers
        embed.set_footer(text=f"Shared practice · in answer to: {prompts.thread_name(prompt_text)}")
    else:
        embed.set_footer(text="Shared practice")
    return embed


def post_failure(error: discord.HTTPException) -> str:
    if isinstance(error, discord.Forbidden):
        reason = (
            "Discord did not let Linkwise post it there: a permission is missing in this channel. "
            "Ask a counsellor to check Linkwise's permissions."
        )
    else:
        reason = f"Discord did not accept the post just now (error {error.status}). Please try again in a moment."
    return f"Your practice was not posted and nothing was recorded. {reason}"


def text_back(explanation: str, text: str) -> dict[str, object]:
    """An ephemeral answer that gives the member their own text back, so nothing is lost:
    in a code block to copy, or as a file when a code block cannot hold it."""
    content = f"{explanation}\n\nHere is your text, so you can copy it:\n```\n{text}\n```"
    if "```" not in text and len(content) <= 2000:
        return {"content": content}
    return {
        "content": f"{explanation}\n\nYour text is attached as a file, so you can copy it.",
        "file": discord.File(io.BytesIO(text.encode()), filename="your-practice.txt"),
    }


class Prompts(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(name="prompt", description="Post a discussion prompt for the group to share their practice")
    @app_commands.describe(topic="Only prompts about this topic (default: any topic)")
    @app_commands.choices(topic=TOPIC_CHOICES)
    @app_commands.guild_only()
    @handles_user_errors
    async def prompt(self, interaction: discord.Interaction, topic: app_commands.Choice[str] | None = None) -> None:
        await post_prompt(interaction, topic.value if topic else None)


async def setup(bot: Linkwise) -> None:
    bot.add_dynamic_items(SharePractice)
    bot.posters["prompt"] = prompt_post
    await bot.add_cog(Prompts(bot))
