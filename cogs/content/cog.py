"""/content: the server's own tips and prompts, mixed into /tip, /prompt and scheduled posts here."""

from __future__ import annotations

import logging

import discord
from discord import app_commands
from discord.ext import commands

from bot import custom_content
from bot.app import Linkwise
from bot.content import topic_labels
from bot.errors import Refusal
from bot.i18n import N_, _, current_locale
from bot.options import Topic
from bot.permissions import counsellors_only, is_counsellor
from bot.store import custom_content as content_rows
from bot.translator import described
from bot.ui import TIP_COLOUR, member_of, refuse, reply, tip_embed

log = logging.getLogger(__name__)

PAGE_LINES = 25  # at most, so a page stays readable
DESCRIPTION_MAX = 4096  # Discord's limit for an embed's description
SNIPPET = 80


def snippet(text: str, limit: int = SNIPPET) -> str:
    """The first words of ``text`` on one line, shown literally (markdown and mentions escaped)."""
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return discord.utils.escape_mentions(discord.utils.escape_markdown(line))


def sent_length(text: str) -> int:
    """How long ``text`` is as Discord measures it, counted cautiously: in UTF-16 code units, so
    a character outside the Basic Multilingual Plane (most emoji) counts twice."""
    return len(text.encode("utf-16-le")) // 2


def kind_label(kind: str) -> str:
    return _("Tip") if kind == "tip" else _("Prompt")


def topic_shown(item: custom_content.Item) -> str:
    """The item's topic in the current locale (a prompt may have none)."""
    return topic_labels(current_locale()).get(item.topic or "", _("Any topic"))


def list_line(item: custom_content.Item) -> str:
    return f"`{item.id}` · {kind_label(item.kind)} · {topic_shown(item)} · {snippet(item.text)}"


def paginate(lines: list[str], budget: int = DESCRIPTION_MAX, most: int = PAGE_LINES) -> list[list[str]]:
    """Lines into pages whose joined text, as sent, fits ``budget``: measured after escaping,
    which can double a line made of markdown characters."""
    pages: list[list[str]] = []
    current: list[str] = []
    size = 0
    for line in lines:
        cost = sent_length(line)
        if current and (size + 1 + cost > budget or len(current) >= most):
            pages.append(current)
            current, size = [], 0
        size += cost + (1 if current else 0)
        current.append(line)
    if current:
        pages.append(current)
    return pages or [[]]


def list_embed(items: list[custom_content.Item], page: int) -> discord.Embed:
    pages = paginate([list_line(i) for i in items])
    page = min(max(page, 1), len(pages))
    embed = discord.Embed(
        title=_("This server's own tips and prompts"),
        colour=TIP_COLOUR,
        description="\n".join(pages[page - 1]),
    )
    tips = sum(1 for i in items if i.kind == "tip")
    counts = {"tips": tips, "prompts": len(items) - tips, "most": content_rows.MAX_PER_GUILD}
    if len(pages) > 1:
        after = page + 1 if page < len(pages) else 1
        footer = _(
            "{tips} tips, {prompts} prompts (at most {most}). Page {page} of {pages}: see more with "
            "/content list page:{after}. Remove one with /content remove id.",
            **counts,
            page=page,
            pages=len(pages),
            after=after,
        )
    else:
        footer = _("{tips} tips, {prompts} prompts (at most {most}). Remove one with /content remove id.", **counts)
    embed.set_footer(text=footer)
    return embed


@app_commands.default_permissions(manage_guild=True)
@app_commands.guild_only()
class ContentCog(commands.GroupCog, group_name="content", group_description=N_("The server's own tips and prompts")):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    @counsellors_only(N_("add tips for the group"))
    @app_commands.command(name="add-tip", description=N_("Add a tip of your own for members of this server"))
    @app_commands.describe(
        topic=N_("The tip's topic (members asking for this topic get it too)"),
        title=custom_content.TITLE_DESCRIPTION,
        body=custom_content.TIP_BODY_DESCRIPTION,
    )
    async def add_tip(
        self,
        interaction: discord.Interaction[Linkwise],
        topic: app_commands.Transform[str, Topic],
        title: str,
        body: str,
    ) -> None:
        me = member_of(interaction)
        tip = await custom_content.add_tip(self.bot.store, me.guild_id, me.user_id, topic, title, body)
        if isinstance(tip, Refusal):
            return await refuse(interaction, tip)
        await reply(
            interaction,
            _(
                "Added your tip as `{id}`. Members here now get it in `/tip` (topic {topic}) and in "
                "scheduled tip posts. This is how it looks:",
                id=tip.id,
                topic=topic_labels(current_locale()).get(tip.topic, tip.topic),
            ),
            embed=tip_embed(tip),
        )

    @counsellors_only(N_("add prompts for the group"))
    @app_commands.command(name="add-prompt", description=N_("Add a discussion prompt of your own for this server"))
    @app_commands.describe(
        text=custom_content.PROMPT_DESCRIPTION,
        topic=N_("Optional: its topic, so /prompt with that topic can pick it too"),
    )
    async def add_prompt(
        self,
        interaction: discord.Interaction[Linkwise],
        text: str,
        topic: app_commands.Transform[str, Topic] | None = None,
    ) -> None:
        me = member_of(interaction)
        prompt = await custom_content.add_prompt(self.bot.store, me.guild_id, me.user_id, text, topic)
        if isinstance(prompt, Refusal):
            return await refuse(interaction, prompt)
        embed = discord.Embed(title=_("Discussion prompt"), description=prompt.text, colour=TIP_COLOUR)
        await reply(
            interaction,
            _(
                "Added your prompt as `{id}`. It joins `/prompt` and scheduled prompt posts in this server.",
                id=prompt.id,
            ),
            embed=embed,
        )

    @counsellors_only(N_("see the server's own tips and prompts"))
    @app_commands.command(name="list", description=N_("See the server's own tips and prompts, with their ids"))
    @app_commands.describe(
        page=described(N_("Which page, up to {count} items a page (default: the first)"), count=PAGE_LINES)
    )
    async def list_items(
        self, interaction: discord.Interaction[Linkwise], page: app_commands.Range[int, 1, 100] = 1
    ) -> None:
        items = await custom_content.items(self.bot.store, member_of(interaction).guild_id)
        if not items:
            await reply(
                interaction,
                _(
                    "This server has no tips or prompts of its own yet. Add one with `/content add-tip` or "
                    "`/content add-prompt`; members get them alongside Linkwise's own."
                ),
            )
            return
        await reply(interaction, embed=list_embed(items, page))

    @counsellors_only(N_("remove the server's own tips and prompts"))
    @app_commands.command(name="remove", description=N_("Remove one of the server's own tips or prompts"))
    @app_commands.describe(id=N_("Its id from /content list, e.g. custom-tip-3"))
    async def remove(self, interaction: discord.Interaction[Linkwise], id: str) -> None:
        item = await custom_content.remove(self.bot.content, self.bot.store, member_of(interaction).guild_id, id)
        if isinstance(item, Refusal):
            return await refuse(interaction, item)
        await reply(
            interaction,
            _(
                "Removed tip `{id}` ({text}). It will not be posted or shown again; "
                "members who tried it keep it in their progress.",
                id=item.id,
                text=snippet(item.text),
            )
            if item.kind == "tip"
            else _(
                "Removed prompt `{id}` ({text}). It will not be posted or shown again; "
                "members who tried it keep it in their progress.",
                id=item.id,
                text=snippet(item.text),
            ),
        )

    @remove.autocomplete("id")
    async def remove_ids(
        self, interaction: discord.Interaction[Linkwise], current: str
    ) -> list[app_commands.Choice[str]]:
        try:
            if interaction.guild_id is None or not await is_counsellor(self.bot.store, interaction.user):
                return []
            wanted = current.strip().casefold()
            items = await custom_content.items(self.bot.store, interaction.guild_id)
        except Exception:  # noqa: BLE001 - autocomplete must never fail; the command still checks
            log.warning("content id autocomplete failed", exc_info=True)
            return []
        choices = []
        for item in items:
            name = f"{item.id} · {' '.join(item.text.split())}"
            if wanted in name.casefold():
                choices.append(app_commands.Choice(name=name if len(name) <= 100 else name[:99] + "…", value=item.id))
        return choices[:25]


async def setup(bot: Linkwise) -> None:
    await bot.add_cog(ContentCog(bot))
