"""/suggest (members) and /content queue (counsellors): parse, call the rules and queries, render."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

import discord
from discord import app_commands
from discord.ext import commands

from bot import clock, custom_content, permissions
from bot.app import Linkwise
from bot.content import topic_labels
from bot.errors import Refusal, UserFacingError
from bot.i18n import N_, _, current_locale, ngettext
from bot.options import Topic
from bot.permissions import counsellor_extras
from bot.store import members
from bot.text import text_file
from bot.ui import (
    BRAND_COLOUR,
    NO_MENTIONS,
    PersistentForm,
    PersistentItem,
    member_of,
    persistent_view,
    refuse,
    reply,
    sanitize_member_text,
)

from . import queries, rules

if TYPE_CHECKING:
    from .resemblance import Resemblance

log = logging.getLogger(__name__)

COLOUR = BRAND_COLOUR
QUEUE_SHOWN = 5  # suggestions on one queue message: one row of buttons each (Discord allows 5 rows)
MESSAGE_BUDGET = 5600  # of the 6,000 characters the embeds of one message may hold
STATUS_SHOWN = 15
SNIPPET = 70
def status_word(status: str) -> str:
    """A suggestion's status as the member reads it."""
    words = {"pending": _("pending"), "approved": _("approved"), "declined": _("declined")}
    return words.get(status, status)


def snippet(text: str, limit: int = SNIPPET) -> str:
    line = " ".join(text.split())
    if len(line) > limit:
        line = line[: limit - 1].rstrip() + "…"
    return discord.utils.escape_markdown(line)


def label_of(item: queries.Suggestion) -> str:
    return item.title if item.kind == "tip" and item.title else item.body


# ---------------------------------------------------------------------- near-duplicates
def resembles(text: str, existing: list[rules.Existing]) -> Resemblance | None:
    """:func:`cogs.suggestions.resemblance.resembles`. Its module (and rapidfuzz, 7-10 ms in a
    new process) is imported by the first suggestion or queue, not with the extension."""
    from . import resemblance

    return resemblance.resembles(text, existing)


async def existing_items(bot: Linkwise, guild_id: int, kind: str) -> list[rules.Existing]:
    """Everything of ``kind`` a suggestion may repeat: Linkwise's own items (in every language
    Linkwise has them, so a copy of a French tip is caught as surely as a copy of an English one),
    the server's own and the suggestions already waiting."""
    found: list[rules.Existing] = []
    languages = [bot.content.localized(locale) for locale in bot.content.locales]
    if kind == "tip":
        found += [
            rules.Existing(t.id, t.title, rules.tip_text(t.title, t.body)) for view in languages for t in view.tips
        ]
        found += [
            rules.Existing(t.id, t.title, rules.tip_text(t.title, t.body))
            for t in await custom_content.tips(bot.store, guild_id, None)
        ]
    else:
        found += [rules.Existing(p.id, p.text, p.text) for view in languages for p in view.prompts]
        found += [rules.Existing(p.id, p.text, p.text) for p in await custom_content.prompts(bot.store, guild_id, None)]
    for waiting in await queries.pending(bot.store, guild_id, rules.PENDING_MAX):
        if waiting.kind == kind:
            text = rules.tip_text(waiting.title or "", waiting.body) if kind == "tip" else waiting.body
            found.append(rules.Existing(f"#{waiting.id}", label_of(waiting), text))
    return found


def compared_text(item: queries.Suggestion) -> str:
    return rules.tip_text(item.title or "", item.body) if item.kind == "tip" else item.body


# ---------------------------------------------------------------------- the queue
def suggestion_embed(item: queries.Suggestion, like: Resemblance | None) -> discord.Embed:
    topic = topic_labels(current_locale()).get(item.topic or "", _("Any topic"))
    if item.kind == "tip":
        title = _("#{id} · Tip · {topic}: {title}", id=str(item.id), topic=topic, title=item.title)
    else:
        title = _("#{id} · Prompt", id=str(item.id))
    embed = discord.Embed(title=title[:256], description=sanitize_member_text(item.body), colour=COLOUR)
    if like is not None:
        if like.item.id.startswith("#"):
            value = _("{score}% like waiting in the queue: {label}", score=like.score, label=snippet(like.item.label))
        else:
            value = _(
                "{score}% like `{id}`: {label}", score=like.score, id=like.item.id, label=snippet(like.item.label)
            )
        embed.add_field(name=_("⚠️ Looks like something you have"), value=value[:1024], inline=False)
    if item.name:
        footer = _("Suggested by {name}", name=item.name)
    else:
        footer = _("Suggested by a member")
    embed.set_footer(text=footer[:2048])
    return embed


async def queue_message(bot: Linkwise, guild_id: int, note: str | None = None) -> dict[str, Any]:
    """The queue as message keyword arguments: the oldest waiting suggestions (as many as fit
    one message), each with its Approve and Decline buttons."""
    waiting = await queries.pending(bot.store, guild_id, QUEUE_SHOWN)
    total = await queries.pending_count(bot.store, guild_id)
    if not waiting:
        text = _(
            "No suggestions are waiting. Members suggest tips and prompts with `/suggest tip` and `/suggest prompt`."
        )
        return {"content": f"{note}\n\n{text}" if note else text, "embeds": [], "view": None}
    embeds: list[discord.Embed] = []
    items: list[discord.ui.Item] = []
    size = 0
    existing: dict[str, list[rules.Existing]] = {}
    for row, item in enumerate(waiting):
        if item.kind not in existing:
            existing[item.kind] = await existing_items(bot, guild_id, item.kind)
        others = [e for e in existing[item.kind] if e.id != f"#{item.id}"]
        embed = suggestion_embed(item, resembles(compared_text(item), others))
        if embeds and size + len(embed) > MESSAGE_BUDGET:
            break
        size += len(embed)
        embeds.append(embed)
        items += [ApproveSuggestion(item.id, row=row), DeclineSuggestion(item.id, row=row)]
    shown = len(embeds)
    if shown < total:
        head = ngettext(
            "**{total}** suggestion waiting; the oldest {shown} below. Approved ones join this server's own "
            "tips and prompts, credited to the member.",
            "**{total}** suggestions waiting; the oldest {shown} below. Approved ones join this server's own "
            "tips and prompts, credited to the member.",
            total,
            total=total,
            shown=shown,
        )
    else:
        head = ngettext(
            "**{total}** suggestion waiting: Approved ones join this server's own tips and prompts, credited "
            "to the member.",
            "**{total}** suggestions waiting: Approved ones join this server's own tips and prompts, credited "
            "to the member.",
            total,
            total=total,
        )
    return {
        "content": f"{note}\n\n{head}" if note else head,
        "embeds": embeds,
        "view": persistent_view(*items),
    }


async def show_queue(interaction: discord.Interaction[Linkwise], note: str | None) -> None:
    """Replace the queue message the counsellor clicked on with the queue as it is now."""
    bot = interaction.client
    message = await queue_message(bot, member_of(interaction).guild_id, note)
    view = message.pop("view")
    if interaction.message is not None and not interaction.response.is_done():
        await interaction.response.edit_message(**message, view=view or discord.ui.View())
    else:
        await reply(interaction, **message, **({"view": view} if view else {}))


def outcome_note(item: queries.Suggestion | None, suggestion_id: int) -> str:
    """Why nothing was done: what became of the suggestion meanwhile."""
    number = str(suggestion_id)
    if item is None:
        return _("Suggestion #{id} is gone (the member deleted their data), so nothing was done.", id=number)
    if item.status == "approved":
        return _("Suggestion #{id} was already approved, so nothing more was done.", id=number)
    if item.status == "declined":
        return _("Suggestion #{id} was already declined, so nothing was done.", id=number)
    return _(
        "This server already has the most tips and prompts of its own Linkwise keeps, so #{id} "
        "stays waiting. Remove some with `/content remove` (see `/content list`), then approve it.",
        id=number,
    )


class ApproveSuggestion(PersistentItem, prefix="suggestion:approve", key=r"[0-9]{1,18}", key_type=int):
    """Approves the suggestion (its key): counsellors only."""

    key: int

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("Approve #{id}", id=str(self.key)),
            style=discord.ButtonStyle.success,
        )

    async def refusal(self, interaction: discord.Interaction[Linkwise]) -> str | None:
        return await permissions.refusal(interaction, N_("approve suggestions"))

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        bot = interaction.client
        guild_id = member_of(interaction).guild_id
        number = await queries.approve(bot.store, guild_id, self.key, interaction.user.id, clock.now())
        if number is None:
            note = outcome_note(await queries.get(bot.store, guild_id, self.key), self.key)
        else:
            item = await queries.get(bot.store, guild_id, self.key)
            kind = item.kind if item else "tip"
            values = {"id": str(self.key), "content_id": custom_content.item_id(kind, number)}
            if kind == "tip":
                note = _(
                    "Approved #{id}: it is now `{content_id}`, in `/tip` and scheduled tip posts here, "
                    "credited to the member.",
                    **values,
                )
            else:
                note = _(
                    "Approved #{id}: it is now `{content_id}`, in `/prompt` and scheduled prompt posts here, "
                    "credited to the member.",
                    **values,
                )
        await show_queue(interaction, note)


class DeclineSuggestion(PersistentItem, prefix="suggestion:decline", key=r"[0-9]{1,18}", key_type=int):
    """Opens the form that declines the suggestion (its key): counsellors only."""

    key: int

    def component(self) -> discord.ui.Button[Any]:
        return discord.ui.Button(
            label=_("Decline #{id}", id=str(self.key)),
            style=discord.ButtonStyle.secondary,
        )

    async def refusal(self, interaction: discord.Interaction[Linkwise]) -> str | None:
        return await permissions.refusal(interaction, N_("decline suggestions"))

    async def run(self, interaction: discord.Interaction[Linkwise]) -> None:
        await DeclineForm(f"linkwise:suggestion:decline-form:{self.key}").open(interaction)


class DeclineForm(
    PersistentForm,
    template=r"linkwise:suggestion:decline-form:(?P<id>[0-9]{1,18})",
    title=N_("Decline this suggestion"),
):
    reason: discord.ui.TextInput[Any] = discord.ui.TextInput(
        label=N_("Reason for the member (optional)"),
        custom_id="reason",
        style=discord.TextStyle.paragraph,
        required=False,
        max_length=rules.REASON_MAX,
        placeholder=N_("For example: we already have a tip on this; try one about your own field."),
    )
    text_filename = "your-reason.txt"

    async def submit(self, interaction: discord.Interaction[Linkwise], values: Any) -> None:
        if (refused := await permissions.refusal(interaction, N_("decline suggestions"))) is not None:
            raise UserFacingError(refused)  # the form's one path: answered, with the reason given back
        suggestion_id = int(self.state["id"])
        bot = interaction.client
        guild_id = member_of(interaction).guild_id
        reason = " ".join(values.get("reason", "").split()) or None
        if await queries.decline(bot.store, guild_id, suggestion_id, interaction.user.id, reason, clock.now()):
            if reason:
                note = _(
                    "Declined #{id}; the member sees it in `/suggest status` (with your reason).", id=str(suggestion_id)
                )
            else:
                note = _(
                    "Declined #{id}; the member sees it in `/suggest status` (without a reason).", id=str(suggestion_id)
                )
        else:
            note = outcome_note(await queries.get(bot.store, guild_id, suggestion_id), suggestion_id)
        await show_queue(interaction, note)


# ---------------------------------------------------------------------- /suggest
def status_line(item: queries.Suggestion) -> str:
    kind = _("Tip") if item.kind == "tip" else _("Prompt")
    status = status_word(item.status)
    line = f"`#{item.id}` {kind} · “{snippet(label_of(item), 60)}” · **{status}**"
    if item.status == "approved" and item.content_id is not None:
        line += " " + _("(now `{content_id}`)", content_id=custom_content.item_id(item.kind, item.content_id))
    if item.status == "declined":
        line += _(": {reason}", reason=snippet(item.reason, 200)) if item.reason else " " + _("(no reason given)")
    return line


async def queue_suggestion(
    interaction: discord.Interaction[Linkwise], kind: str, topic: str | None, title: str | None, body: str
) -> None:
    bot = interaction.client
    me = member_of(interaction)
    now = clock.now()
    counts = await bot.store.write(
        queries.add(me.guild_id, me.user_id, kind, topic, title, body, now),
        *members.touch(me.guild_id, me.user_id, me.display_name, now, me.standing),
    )
    returned = counts.returned(0)
    if not returned:
        again = rules.next_allowed(await queries.recent(bot.store, me.guild_id, me.user_id, now), now)
        if again is not None:
            message = _(
                "You have made {most} suggestions in the last 24 hours, the most Linkwise takes. "
                "You can suggest again {relative} ({when}). Nothing was saved; your text is attached.",
                most=rules.PER_DAY,
                relative=discord.utils.format_dt(again, "R"),
                when=discord.utils.format_dt(again, "f"),
            )
        else:
            message = _(
                "The counsellors already have {most} suggestions waiting, the most Linkwise "
                "queues. You can suggest again as soon as they have approved or declined some "
                "(see `/suggest status`). Nothing was saved; your text is attached.",
                most=rules.PENDING_MAX,
            )
        await reply(interaction, message, file=text_file(f"{title}\n\n{body}" if title else body))
        return
    number = int(returned[0][0])
    like = resembles(
        rules.tip_text(title or "", body) if kind == "tip" else body,
        [e for e in await existing_items(bot, me.guild_id, kind) if e.id != f"#{number}"],
    )
    if kind == "tip":
        thanks = _(
            "Thank you! Your tip is suggestion #{id}, waiting for the counsellors. If they approve it, it "
            "joins this server's own tips, credited to you. See how it goes with `/suggest status`.",
            id=str(number),
        )
    else:
        thanks = _(
            "Thank you! Your prompt is suggestion #{id}, waiting for the counsellors. If they approve it, it "
            "joins this server's own prompts, credited to you. See how it goes with `/suggest status`.",
            id=str(number),
        )
    if like is not None:
        label = snippet(like.item.label, 60)
        if like.item.id.startswith("#"):
            note = _(
                "It looks a lot like a suggestion already waiting (“{label}”); the counsellors will see that too.",
                label=label,
            )
        else:
            note = _(
                "It looks a lot like one this server has (“{label}”); the counsellors will see that too.", label=label
            )
        thanks = f"{thanks}\n\n{note}"
    await reply(interaction, thanks)


QUEUE_TASK = N_("see and decide members' suggestions")  # counsellor-only: checked by the tree


async def content_queue(interaction: discord.Interaction[Linkwise]) -> None:
    bot = interaction.client
    message = await queue_message(bot, member_of(interaction).guild_id)
    view = message.pop("view")
    await reply(interaction, **message, **({"view": view} if view else {}))


@app_commands.guild_only()
class Suggestions(
    commands.GroupCog, group_name="suggest", group_description=N_("Suggest a tip or prompt for the group")
):
    def __init__(self, bot: Linkwise) -> None:
        self.bot = bot

    async def cog_load(self) -> None:
        self.bot.add_dynamic_items(ApproveSuggestion, DeclineSuggestion)
        self.bot.add_forms(DeclineForm)
        # /content queue sits with the other /content commands (the content feature's group).
        group = self.bot.tree.get_command("content")
        if not isinstance(group, app_commands.Group):
            raise RuntimeError("the content feature's /content group must load before suggestions")
        queue: app_commands.Command[Any, ..., None] = app_commands.Command(
            name="queue", description=N_("Suggestions from members waiting for a decision (counsellors)"),
            callback=content_queue, extras=counsellor_extras(QUEUE_TASK),
        )
        group.add_command(queue, override=True)

    async def cog_unload(self) -> None:
        self.bot.remove_dynamic_items(ApproveSuggestion, DeclineSuggestion)
        self.bot.remove_forms(DeclineForm)
        group = self.bot.tree.get_command("content")
        if isinstance(group, app_commands.Group):
            group.remove_command("queue")

    @app_commands.command(name="tip", description=N_("Suggest a tip for this server; the counsellors decide"))
    @app_commands.describe(
        topic=N_("The tip's topic"),
        title=custom_content.TITLE_DESCRIPTION,
        body=custom_content.TIP_BODY_DESCRIPTION,
    )
    async def tip(
        self,
        interaction: discord.Interaction[Linkwise],
        topic: app_commands.Transform[str, Topic],
        title: str,
        body: str,
    ) -> None:
        checked = custom_content.checked_tip(topic, title, body)
        if isinstance(checked, Refusal):
            return await refuse(interaction, checked)
        title, body = checked
        await queue_suggestion(
            interaction, "tip", topic, sanitize_member_text(title), sanitize_member_text(body)
        )

    @app_commands.command(name="prompt", description=N_("Suggest a discussion prompt for this server"))
    @app_commands.describe(
        text=custom_content.PROMPT_DESCRIPTION
    )
    async def prompt(self, interaction: discord.Interaction[Linkwise], text: str) -> None:
        checked = custom_content.checked_prompt(text, None)
        if isinstance(checked, Refusal):
            return await refuse(interaction, checked)
        text = checked
        await queue_suggestion(interaction, "prompt", None, None, sanitize_member_text(text))

    @app_commands.command(name="status", description=N_("Your suggestions: pending, approved or declined"))
    async def status(self, interaction: discord.Interaction[Linkwise]) -> None:
        me = member_of(interaction)
        mine = await queries.of_member(self.bot.store, me.guild_id, me.user_id, STATUS_SHOWN)
        if not mine:
            await reply(
                interaction,
                _(
                    "You have not suggested anything here yet. Suggest a tip with `/suggest tip` or a discussion "
                    "prompt with `/suggest prompt`; the counsellors decide, and approved ones are credited to you."
                ),
            )
            return
        lines: list[str] = []
        size = 0
        for item in mine:
            line = status_line(item)
            if size + len(line) + 1 > 4000:
                break
            lines.append(line)
            size += len(line) + 1
        embed = discord.Embed(title=_("Your suggestions"), description="\n".join(lines), colour=COLOUR)
        embed.set_footer(
            text=_(
                "Newest first, up to {shown}. At most {most} suggestions in 24 hours.",
                shown=STATUS_SHOWN,
                most=rules.PER_DAY,
            )
        )
        await reply(interaction, embed=embed, allowed_mentions=NO_MENTIONS)

