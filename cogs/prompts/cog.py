"""/prompt: a public discussion prompt with **Share your practice**, and the share flow.

The button opens the form "Share your practice" (a persistent form: carried out whenever it is
submitted, after a restart too); the answer is posted as an embed attributed to the member
(display name, never a ping) in a thread on the prompt message, created on first use and reused
after. When Linkwise cannot open a thread there, the answer goes in the channel. Each member
shares at most once per prompt post every few minutes (``prompts.SHARE_COOLDOWN``). If the
practice cannot be posted (Discord refuses, the prompt was removed or its post deleted, the
cooldown), the member gets their text back: a shared practice is never lost.
"""

from __future__ import annotations

import logging
import re
from typing import Any, Literal

import discord
from discord import app_commands
from discord.ext import commands

from bot.app import Linkwise
from bot.content import Prompt
from bot.errors import Refusal, UserFacingError
from bot.i18n import N_, _, ngettext, post_locale, using_locale
from bot.identity import Member
from bot.options import Topic
from bot.posts import NothingToPost, Post
from bot.ui import (
    BRAND_COLOUR,
    NO_MENTIONS,
    FormValues,
    PersistentForm,
    PersistentItem,
    member_of,
    message_link,
    persistent_view,
    refuse,
    reply,
    sanitize_member_text,
)
from cogs.prompts import service as prompts

log = logging.getLogger(__name__)

PROMPT_COLOUR = discord.Colour.from_rgb(5, 118, 66)
SHARE_COLOUR = BRAND_COLOUR
THREAD_EXISTS = 160004  # Discord: "A thread has already been created for this message"
ARCHIVE_AFTER_MINUTES: Literal[10080] = 10080  # a week: a prompt's thread stays open while the group answers


def prompt_embed(prompt: Prompt) -> discord.Embed:
    """The public prompt post, in the language of the current locale (the server's)."""
    embed = discord.Embed(title=_("Discussion prompt"), description=prompt.text, colour=PROMPT_COLOUR)
    label = prompts.topic_label(prompt)
    if label and prompt.credit:
        footer = _(
            "Topic: {topic} · Suggested by {name} · Answer from your experience with the button below",
            topic=label,
            name=prompt.credit,
        )
    elif label:
        footer = _("Topic: {topic} · Answer from your experience with the button below", topic=label)
    elif prompt.credit:
        footer = _(
            "Your group's own prompt · Suggested by {name} · Answer from your experience with the button below",
            name=prompt.credit,
        )
    else:
        footer = _("Your group's own prompt · Answer from your experience with the button below")
    embed.set_footer(text=footer)
    return embed


def prompt_view(prompt: Prompt) -> discord.ui.View:
    return persistent_view(SharePractice(prompt.id))


async def prompt_post(bot: Linkwise, guild_id: int, topic: str | None) -> Post:
    """A scheduled prompt post: the server's next prompt not yet posted there, taken from its
    rotation now (the dispatcher gives it back if the post does not go out)."""
    public = await post_locale(bot.store, guild_id, bot.get_guild(guild_id))  # the server's language
    with using_locale(public):
        picked = await prompts.claim_next(bot.content.localized(public), bot.store, guild_id, topic)
        if isinstance(picked, Refusal):
            raise NothingToPost(picked.message)
        return Post(picked.prompt.id, prompt_embed(picked.prompt), prompt_view(picked.prompt), claim=picked.claim)


TAKEN_DOWN = N_(
    "A counsellor removed that prompt just as it was posted, so Linkwise took the post down. "
    "Use /prompt again for another one."
)


def rotation_note(picked: prompts.NextPrompt, topic: str | None) -> str | None:
    """Said above the prompt when it starts the server's rotation again."""
    if not picked.rotation_restarted:
        return None
    if topic:
        return ngettext(
            "All {count} {topic} prompt has been posted here, so the rotation starts again.",
            "All {count} {topic} prompts have been posted here, so the rotation starts again.",
            picked.pool_size,
            count=picked.pool_size,
            topic=prompts.topic_name(topic),
        )
    return ngettext(
        "All {count} prompt has been posted here, so the rotation starts again.",
        "All {count} prompts have been posted here, so the rotation starts again.",
        picked.pool_size,
        count=picked.pool_size,
    )


async def post_prompt(interaction: discord.Interaction[Linkwise], topic: str | None) -> None:
    bot = interaction.client
    member = member_of(interaction)
    # The post is public: in the server's language; what only the member reads, in theirs.
    public = await post_locale(bot.store, member.guild_id, interaction.guild)
    taken_at = await prompts.take_turn(bot.store, member)
    if isinstance(taken_at, Refusal):
        return await refuse(interaction, taken_at)
    try:
        picked = await prompts.claim_next(bot.content.localized(public), bot.store, member.guild_id, topic)
    except BaseException:
        await prompts.give_back_turn(bot.store, member, taken_at)  # nothing was posted: no cooldown
        raise
    if isinstance(picked, Refusal):
        await prompts.give_back_turn(bot.store, member, taken_at)
        return await refuse(interaction, picked)
    try:
        with using_locale(public):
            note = rotation_note(picked, topic)
            embed, view = prompt_embed(picked.prompt), prompt_view(picked.prompt)
        await interaction.response.send_message(note, embed=embed, view=view, allowed_mentions=NO_MENTIONS)
    except BaseException:
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
            await reply(interaction, _(TAKEN_DOWN))
            return
    await prompts.mark_posted(bot.store, member)


class SharePractice(PersistentItem, prefix="prompt:share", key=r"[a-z0-9-]{1,78}"):
    """Opens the share form for the prompt (its key) for whoever clicks, on any prompt post
    (from /prompt or a schedule)."""

    key: str

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("Share your practice"),
            style=discord.ButtonStyle.success,
        )

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        member = member_of(interaction)
        message = interaction.message
        if message is None:  # a button always comes on a message; be safe all the same
            await reply(interaction, _("That prompt is no longer available. Ask for a new one with /prompt."))
            return
        if await prompts.find_prompt(bot.content, bot.store, member.guild_id, self.key) is None:
            await reply(interaction, _(PROMPT_REMOVED))
            return
        wait = await prompts.share_wait(bot.store, member, message.id)
        if wait:
            await reply(interaction, wait)
            return
        await ShareForm(message.id, self.key).open(interaction)


PROMPT_REMOVED = N_(
    "This prompt was removed, so Linkwise no longer takes answers to it. Ask for another with "
    "`/prompt` (or answer one of the prompts above) and share your practice there."
)
PROMPT_DELETED = N_(
    "The post of this prompt was deleted, so there is nowhere to put your answer. Ask for "
    "another prompt with `/prompt` (or answer one of the prompts above) and share it there."
)
UNKNOWN_MESSAGE = 10008  # Discord: the message no longer exists


class ShareForm(
    PersistentForm,
    # The prompt post's id and the prompt's id. Forms opened before the post's id was part of
    # the custom_id ("linkwise:prompt:answer:<prompt id>") are still carried out, on the post
    # the submission comes from.
    template=r"linkwise:(?:share:(?P<message_id>[0-9]{1,20}):|prompt:answer:)(?P<prompt_id>[a-z0-9-]{1,64})",
    title=N_("Share your practice"),
):
    """The answer to a prompt: posted, attributed to the member, in a thread on the prompt post."""

    text_filename = "your-practice.txt"
    practice: discord.ui.TextInput[ShareForm] = discord.ui.TextInput(
        label=N_("Your practice: what you did and how it went"),
        style=discord.TextStyle.paragraph,
        custom_id="practice",
        placeholder=N_("Be specific: what you did or wrote, and what happened. The group will read it."),
        min_length=prompts.PRACTICE_MIN,
        max_length=prompts.PRACTICE_MAX,
    )

    def __init__(self, message_id: int | None, prompt_id: str) -> None:
        old_style = f"linkwise:prompt:answer:{prompt_id}"
        super().__init__(f"linkwise:share:{message_id}:{prompt_id}" if message_id is not None else old_style)
        self.message_id = message_id
        self.prompt_id = prompt_id

    @classmethod
    async def from_custom_id(cls, interaction: discord.Interaction[Linkwise], match: re.Match[str]) -> ShareForm:
        return cls(int(match["message_id"]) if match["message_id"] else None, match["prompt_id"])

    async def submit(self, interaction: discord.Interaction[Linkwise], values: FormValues) -> None:
        bot = interaction.client
        member = member_of(interaction)
        text = values.get("practice", "").strip()
        problem = prompts.practice_problem(text)
        if problem:
            raise UserFacingError(problem)
        await interaction.response.defer(ephemeral=True, thinking=True)
        # The answer is posted for the group: in the server's language, as the prompt post is.
        public = await post_locale(bot.store, member.guild_id, interaction.guild)
        prompt = await prompts.find_prompt(bot.content.localized(public), bot.store, member.guild_id, self.prompt_id)
        if prompt is None:
            raise UserFacingError(_(PROMPT_REMOVED))
        message = await self.prompt_message(interaction)
        taken_at = await prompts.take_share_turn(bot.store, member, message.id)
        if isinstance(taken_at, Refusal):
            raise UserFacingError(taken_at.message)  # the form's one path: answered, the text given back
        try:
            with using_locale(public):
                name = prompts.thread_name(prompt.text)
            destination, in_thread = await self.destination(interaction, message, name)
            with using_locale(public):
                embed = share_embed(member, interaction.user, text, None if in_thread else prompt.text)
            posted = await destination.send(embed=embed, allowed_mentions=NO_MENTIONS)
        except BaseException as error:
            await prompts.give_back_share_turn(bot.store, member, message.id, taken_at)  # nothing was posted
            if isinstance(error, discord.HTTPException):
                log.warning("could not post a practice (guild=%s user=%s): %s", member.guild_id, member.user_id, error)
                raise UserFacingError(post_failure(error)) from error
            raise
        count = await prompts.record_share(bot.store, member, prompt.id, message.id, posted.channel.id, posted.id)
        link = message_link(posted, bot.settings.link_origin)
        where = f"<#{posted.channel.id}>"  # the channel's mention
        if in_thread:
            thanks = _("Thanks — your practice is in the thread: {link}", link=link)
        elif isinstance(destination, discord.Thread):
            thanks = _("Thanks — your practice is posted in {channel}: {link}", channel=where, link=link)
        else:
            thanks = _(
                "Thanks — your practice is posted in {channel} (Linkwise cannot open threads in this channel, "
                "so it went in the channel itself): {link}",
                channel=where,
                link=link,
            )
        shared = ngettext(
            "You have shared {count} practice with this group.",
            "You have shared {count} practices with this group.",
            count,
            count=count,
        )
        await reply(interaction, f"{thanks}\n{shared}")

    async def prompt_message(self, interaction: discord.Interaction[Linkwise]) -> discord.Message:
        """The prompt post the answer is for: the message the form was opened from (Discord
        sends it with the submission), or fetched by the id kept in the form's custom_id."""
        message = interaction.message
        if message is not None and (self.message_id is None or message.id == self.message_id):
            return message
        channel = interaction.channel
        if self.message_id is None or not isinstance(channel, discord.abc.Messageable):
            raise UserFacingError(_(PROMPT_DELETED))
        try:
            return await channel.fetch_message(self.message_id)
        except discord.NotFound as error:
            raise UserFacingError(_(PROMPT_DELETED)) from error

    async def destination(
        self, interaction: discord.Interaction[Linkwise], message: discord.Message, thread_name: str
    ) -> tuple[discord.abc.Messageable, bool]:
        """Where the answer goes: the prompt's thread (found, or created now, named ``thread_name``)
        and True; or the prompt's channel and False when Linkwise cannot open a thread there."""
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
            return channel, False
        try:
            thread = await message.create_thread(
                name=thread_name, auto_archive_duration=ARCHIVE_AFTER_MINUTES
            )
        except discord.Forbidden:
            return channel, False
        except discord.HTTPException as error:
            if error.code == UNKNOWN_MESSAGE:
                raise UserFacingError(_(PROMPT_DELETED)) from error
            if error.code != THREAD_EXISTS:  # e.g. archived, so not in the cache: use it
                raise
            thread = await message.fetch_thread()
        return thread, True


def share_embed(member: Member, user: discord.abc.User, text: str, prompt_text: str | None) -> discord.Embed:
    """The answer, attributed by display name (an embed author never pings anyone). The member's
    words are shown as written, but every link with its real address and no headings: it is
    posted under Linkwise's name."""
    embed = discord.Embed(description=sanitize_member_text(text), colour=SHARE_COLOUR)
    embed.set_author(name=member.display_name, icon_url=user.display_avatar.url)
    if prompt_text:  # posted in the channel: say which prompt it answers
        embed.set_footer(text=_("Shared practice · in answer to: {prompt}", prompt=prompts.thread_name(prompt_text)))
    else:
        embed.set_footer(text=_("Shared practice"))
    return embed


def post_failure(error: discord.HTTPException) -> str:
    if isinstance(error, discord.Forbidden):
        return _(
            "Your practice was not posted and nothing was recorded. Discord did not let Linkwise post it "
            "there: a permission is missing in this channel. Ask a counsellor to check Linkwise's permissions."
        )
    return _(
        "Your practice was not posted and nothing was recorded. Discord did not accept the post just now "
        "(error {status}). Please try again in a moment.",
        status=str(error.status),
    )


class Prompts(commands.Cog):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @app_commands.command(
        name="prompt", description=N_("Post a discussion prompt for the group to share their practice")
    )
    @app_commands.describe(topic=N_("Only prompts about this topic (default: any topic)"))
    @app_commands.guild_only()
    async def prompt(
        self, interaction: discord.Interaction[Linkwise], topic: app_commands.Transform[str, Topic] | None = None
    ) -> None:
        await post_prompt(interaction, topic)


async def setup(bot: Linkwise) -> None:
    bot.add_dynamic_items(SharePractice)
    bot.add_forms(ShareForm)
    bot.add_post_source("prompt", prompt_post)
    await bot.add_cog(Prompts(bot))
